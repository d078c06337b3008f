import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { handler as teachersHandler } from '../../functions/sync/teachers';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { demoCentre } from '../../shared/demo/seedDemo';
import { connectThroughConsent, startStandInForHandlers } from '../support/assembly';
import { openTeachersPanel, startPipelineEngines } from '../support/engines';
import { apiEvent, call, givenAccount, sessionCookieFrom, signInAsDemoCoordinator, tableSnapshot } from '../support/hub';

let standIn: AssemblyStandIn;
let coordinator: string;
let engines: Awaited<ReturnType<typeof startPipelineEngines>>;

beforeAll(async () => {
  standIn = await startStandInForHandlers(demoCentre.seed);
  engines = await startPipelineEngines();
  coordinator = await signInAsDemoCoordinator();
});
afterAll(async () => {
  await standIn?.stop();
  engines?.stop();
});

const teachers = (cookie: string, routeKey: string, body?: unknown) =>
  call(teachersHandler, apiEvent(routeKey, { cookies: [cookie], body }));

interface PanelBody {
  rows: {
    status: string;
    hub?: { id: string };
    import?: boolean;
    mis?: { id: string; email: string | null };
    problem?: string | null;
  }[];
  counts: Record<string, number>;
  plan: {
    imports: string[];
    manualMatches: unknown[];
    unmatched: unknown[];
    confirmed: unknown[];
    values: Record<string, { email?: string }>;
    version: number;
  };
}

describe('Teachers panel', () => {
  it('asks to connect to Assembly first', async () => {
    const response = await teachers(coordinator, 'POST /api/sync/teachers/load');
    expect(response.status).toBe(409);
    expect(response.body?.message).toMatch(/Authorisation step/);
    expect((await teachers(coordinator, 'GET /api/sync/teachers')).body?.message).toMatch(/Open the Teachers panel first/);
  });

  it('lists every Hub teacher and MIS staff member once, with statuses in review order', async () => {
    await connectThroughConsent(standIn, coordinator);
    const response = await openTeachersPanel(coordinator);
    expect(response.status).toBe(200);
    const panel = response.body as unknown as PanelBody;
    const statuses = panel.rows.map((row) => row.status);
    expect(statuses).toEqual(
      [...statuses].sort(
        (a, b) =>
          ['notMatched', 'new', 'mayMatch', 'matched'].indexOf(a) - ['notMatched', 'new', 'mayMatch', 'matched'].indexOf(b),
      ),
    );
    expect(new Set(statuses)).toEqual(new Set(['notMatched', 'new', 'mayMatch', 'matched']));
    const misIds = panel.rows.flatMap((row) => (row.mis ? [row.mis.id] : []));
    expect(misIds.sort()).toEqual(standIn.generated!.staff.map((member) => String(member.id)).sort());
    expect(panel.rows.filter((row) => row.status === 'new').every((row) => row.import === false)).toBe(true);
  });

  it('loads the MIS staff as a job with its progress, and a second open joins the running load', async () => {
    standIn.faults.latencyMs = 300;
    try {
      const [first, second] = await Promise.all([
        teachers(coordinator, 'POST /api/sync/teachers/load'),
        teachers(coordinator, 'POST /api/sync/teachers/load'),
      ]);
      expect(first.status).toBe(202);
      expect(second.body!.loadId).toBe(first.body!.loadId);
      const opened = await openTeachersPanel(coordinator);
      expect(opened.status).toBe(200);
      const { dependencies } = await import('../../shared/runtime/dependencies');
      const load = await dependencies().store.getLoad(demoCentre.centreId, String(first.body!.loadId));
      expect(load).toMatchObject({ status: 'done', pages: 1, records: standIn.generated!.staff.length });
    } finally {
      standIn.faults.latencyMs = 0;
    }
  });

  it('says why when Assembly cannot be reached, and keeps the staff loaded before', async () => {
    standIn.faults.serverErrorNext = 1000;
    try {
      const started = await teachers(coordinator, 'POST /api/sync/teachers/load');
      await expect(openTeachersPanel(coordinator)).rejects.toThrow(/Assembly is not answering/);
      expect(started.status).toBe(202);
    } finally {
      standIn.faults.serverErrorNext = 0;
    }
    expect((await teachers(coordinator, 'GET /api/sync/teachers')).status).toBe(200);
  });

  it('keeps ticks and batch-created emails server-side', async () => {
    const panel = (await teachers(coordinator, 'GET /api/sync/teachers')).body as unknown as PanelBody;
    const newIds = panel.rows.filter((row) => row.status === 'new').map((row) => row.mis!.id);
    await teachers(coordinator, 'PUT /api/sync/teachers/plan', { ...panel.plan, imports: newIds, values: {} });

    const created = (
      await teachers(coordinator, 'POST /api/sync/teachers/emails', { format: '{first}.{last}', domain: 'stmarys.sch.uk' })
    ).body as unknown as PanelBody;
    const reopened = (await teachers(coordinator, 'GET /api/sync/teachers')).body as unknown as PanelBody;

    const imports = reopened.rows.filter((row) => row.status === 'new');
    expect(imports.every((row) => row.import && row.problem === null && row.mis!.email!.endsWith('@stmarys.sch.uk'))).toBe(true);
    expect(new Set(imports.map((row) => row.mis!.email)).size).toBe(imports.length);
    expect(reopened.plan).toEqual(created.plan);
  });

  it('refuses a plan naming records it does not know, with field messages, and writes nothing', async () => {
    const before = await tableSnapshot();
    const response = await teachers(coordinator, 'PUT /api/sync/teachers/plan', {
      version: 0,
      imports: ['no-such-staff'],
      manualMatches: [{ hubId: 'no-such-teacher', misId: 'no-such-staff' }],
      unmatched: [],
      confirmed: [],
      values: {},
    });
    expect(response.status).toBe(400);
    expect(response.body?.fields).toEqual({
      'imports.0': 'This member of staff is not in your MIS',
      'manualMatches.0.hubId': 'This teacher is not in the Admin Hub',
      'manualMatches.0.misId': 'This member of staff is not in your MIS',
    });
    expect(await tableSnapshot()).toEqual(before);
  });

  it('refuses the second of two edits made from the same version, and writes nothing for it', async () => {
    const panel = (await teachers(coordinator, 'GET /api/sync/teachers')).body as unknown as PanelBody;
    const newIds = panel.rows.filter((row) => row.status === 'new').map((row) => row.mis!.id);
    const [first, second] = await Promise.all([
      teachers(coordinator, 'PUT /api/sync/teachers/plan', { ...panel.plan, imports: newIds.slice(0, 1) }),
      teachers(coordinator, 'PUT /api/sync/teachers/plan', { ...panel.plan, imports: newIds.slice(1, 2) }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const refused = first.status === 409 ? first : second;
    const kept = first.status === 200 ? first : second;
    expect(refused.body).toMatchObject({ error: 'stale_plan', message: expect.stringMatching(/another tab/) });
    const reopened = (await teachers(coordinator, 'GET /api/sync/teachers')).body as unknown as PanelBody;
    expect(reopened.plan).toEqual((kept.body as unknown as PanelBody).plan);
    expect(reopened.plan.version).toBe(panel.plan.version + 1);
  });

  it('keeps a plan naming 10,000 records, far past one item’s 400 KB', async () => {
    const { dependencies } = await import('../../shared/runtime/dependencies');
    const { loadPlan, storePlan, emptyPlan } = await import('../../shared/wizard/review/plan');
    const deps = dependencies();
    const big = {
      ...emptyPlan(),
      imports: Array.from({ length: 10_000 }, (_, index) => `pupil-${index}-${'x'.repeat(40)}`),
      values: Object.fromEntries(Array.from({ length: 10_000 }, (_, index) => [`pupil-${index}`, { note: 'y'.repeat(40) }])),
    };
    expect(JSON.stringify(big).length).toBeGreaterThan(400_000);
    const stored = await storePlan(deps, 'big-plan-centre', 'pupils', big);
    expect(await loadPlan(deps, 'big-plan-centre', 'pupils')).toEqual(stored);
    const smaller = await storePlan(deps, 'big-plan-centre', 'pupils', { ...stored, imports: ['one'] });
    expect(await loadPlan(deps, 'big-plan-centre', 'pupils')).toEqual(smaller);
  });

  it('refuses a malformed plan and a bad email format', async () => {
    expect((await teachers(coordinator, 'PUT /api/sync/teachers/plan', { imports: 'all' })).body).toMatchObject({
      fields: { imports: expect.any(String) },
    });
    expect(
      (await teachers(coordinator, 'POST /api/sync/teachers/emails', { format: '{first}', domain: 'not a domain' })).body,
    ).toMatchObject({
      fields: { domain: 'Enter a domain such as oakfield.sch.uk' },
    });
  });

  it('is not a teacher’s to open', async () => {
    const account = await givenAccount(demoCentre.centreId, 'teacher');
    const cookie = sessionCookieFrom(
      (
        await call(
          signInHandler,
          apiEvent('POST /api/auth/sign-in', { body: { email: account.email, password: account.password } }),
        )
      ).cookies,
    );
    expect((await teachers(cookie, 'GET /api/sync/teachers')).status).toBe(403);
    expect((await teachers(cookie, 'POST /api/sync/teachers/load')).status).toBe(403);
  });
});
