import type { Server } from 'node:http';
import sesModule from 'aws-ses-v2-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { handler as runsHandler } from '../../functions/sync/runs';
import { handler as teachersHandler } from '../../functions/sync/teachers';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { freePort } from '../../infra/local/ports';
import { LOCAL_SYNC_STATE_MACHINE_ARN, startLocalStepFunctions } from '../../infra/local/stepFunctions';
import { demoCentre, demoHubHistory } from '../../shared/demo/seedDemo';
import { dependencies } from '../../shared/runtime/dependencies';
import { connectThroughConsent, startStandInForHandlers, TEST_APP_URL } from '../support/assembly';
import type { SyncRun } from '../../shared/domain/records';
import { applyStep, emailStep } from '../../shared/sync/teacherSync';
import { apiEvent, call, givenAccount, sessionCookieFrom, signInAsDemoCoordinator } from '../support/hub';

const sesLocal: typeof sesModule = (sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule;
const APP_URL = TEST_APP_URL;
let standIn: AssemblyStandIn;
let sesUrl: string;
const servers: Server[] = [];
let coordinator: string;

beforeAll(async () => {
  standIn = await startStandInForHandlers(demoCentre.seed);
  const sesPort = await freePort();
  servers.push(await sesLocal({ host: '127.0.0.1', port: sesPort }));
  sesUrl = `http://127.0.0.1:${sesPort}`;
  const stepFunctions = await startLocalStepFunctions(0);
  servers.push(stepFunctions.server);
  Object.assign(process.env, {
    MAIL_FROM: 'no-reply@admin-hub.local',
    AWS_ENDPOINT_URL_SESV2: sesUrl,
    AWS_ENDPOINT_URL_SFN: stepFunctions.endpoint,
    SYNC_STATE_MACHINE_ARN: LOCAL_SYNC_STATE_MACHINE_ARN,
  });
  coordinator = await signInAsDemoCoordinator();
  await connectThroughConsent(standIn, coordinator);
});
afterAll(async () => {
  await standIn?.stop();
  for (const server of servers) server.close();
});

const teachers = (routeKey: string, body?: unknown) =>
  call(teachersHandler, apiEvent(routeKey, { cookies: [coordinator], body }));
interface Panel {
  rows: { status: string; hub?: { id: string }; mis?: { id: string }; email?: string }[];
  plan: {
    imports: string[];
    manualMatches: unknown[];
    unmatched: unknown[];
    confirmed: { hubId: string; misId: string }[];
    emails: Record<string, string>;
  };
}

async function waitForRun(runId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = await call(
      runsHandler,
      apiEvent('GET /api/sync/runs/{runId}', { cookies: [coordinator], pathParameters: { runId } }),
    );
    if (run.body?.status !== 'running') return run.body!;
    if (Date.now() > deadline) throw new Error('the run did not finish within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function sentEmails(): Promise<{ destination: { to: string[] }; subject: string; body: { text: string } }[]> {
  return ((await (await fetch(`${sesUrl}/store`)).json()) as { emails: [] }).emails;
}

describe('Save and sync teachers', () => {
  it('refuses to save while a May match is unconfirmed or an import has no email', async () => {
    const panel = (await teachers('GET /api/sync/teachers')).body as unknown as Panel;
    const newIds = panel.rows.filter((row) => row.status === 'new').map((row) => row.mis!.id);
    await teachers('PUT /api/sync/teachers/plan', { ...panel.plan, imports: newIds.slice(0, 3) });
    const response = await teachers('POST /api/sync/teachers/save');
    expect(response.status).toBe(422);
    expect(response.body?.message).toMatch(/May match/);
  });

  it('imports, links, emails, and a second run changes nothing and sends nothing', async () => {
    await teachers('POST /api/sync/teachers/emails', { format: '{first}.{last}', domain: 'stmarys.sch.uk' });
    const panel = (await teachers('GET /api/sync/teachers')).body as unknown as Panel;
    const mayMatches = panel.rows
      .filter((row) => row.status === 'mayMatch')
      .map((row) => ({ hubId: row.hub!.id, misId: row.mis!.id }));
    await teachers('PUT /api/sync/teachers/plan', { ...panel.plan, confirmed: [...panel.plan.confirmed, ...mayMatches] });

    const started = await teachers('POST /api/sync/teachers/save');
    expect(started.status).toBe(202);
    const run = await waitForRun(String(started.body!.runId));

    expect(run).toMatchObject({ status: 'succeeded', counts: { imported: 3, emailsSent: 3 }, failures: [] });
    const store = dependencies().store;
    const hubTeachers = await store.listTeachers(demoCentre.centreId);
    const imported = hubTeachers.filter((teacher) => teacher.teacherId.startsWith('mis-teacher-'));
    expect(imported).toHaveLength(3);
    expect(hubTeachers.filter((teacher) => teacher.syncStatus === 'synced').length).toBe(
      (run.counts as { linked: number }).linked + 3,
    );
    const mails = await sentEmails();
    expect(mails).toHaveLength(3);
    expect(mails[0]!.body.text).toContain(`${APP_URL}/set-password?token=`);

    const stranger = await givenAccount('another-centre', 'access_coordinator');
    const strangerCookie = sessionCookieFrom(
      (
        await call(
          signInHandler,
          apiEvent('POST /api/auth/sign-in', { body: { email: stranger.email, password: stranger.password } }),
        )
      ).cookies,
    );
    const peek = await call(
      runsHandler,
      apiEvent('GET /api/sync/runs/{runId}', {
        cookies: [strangerCookie],
        pathParameters: { runId: String(started.body!.runId) },
      }),
    );
    expect(peek.status).toBe(404);

    const again = await waitForRun(String((await teachers('POST /api/sync/teachers/save')).body!.runId));
    expect(again).toMatchObject({ status: 'succeeded', counts: { imported: 0, emailsSent: 0 } });
    expect((await store.listTeachers(demoCentre.centreId)).length).toBe(hubTeachers.length);
    expect(await sentEmails()).toHaveLength(3);

    // Steps retried by Step Functions repeat safely: no duplicate teacher, account or email.
    const runId = String(started.body!.runId);
    await applyStep(dependencies(), { centreId: demoCentre.centreId, runId, cursor: 0 });
    await emailStep(dependencies(), { centreId: demoCentre.centreId, runId });
    expect((await store.listTeachers(demoCentre.centreId)).length).toBe(hubTeachers.length);
    expect(await sentEmails()).toHaveLength(3);
  });

  it('unmatching a synced teacher restores the exact earlier record, shows Not matched and New, and is audited', async () => {
    const original = demoHubHistory().teachers.find((teacher) => teacher.teacherId === 'hub-teacher-001')!;
    const store = dependencies().store;
    const synced = (await store.listTeachers(demoCentre.centreId)).find((teacher) => teacher.teacherId === original.teacherId)!;
    expect(synced).toMatchObject({ syncStatus: 'synced', misId: expect.any(String) });

    const response = await teachers('POST /api/sync/teachers/unmatch', { hubId: original.teacherId });

    expect(response.status).toBe(200);
    const restored = (await store.listTeachers(demoCentre.centreId)).find((teacher) => teacher.teacherId === original.teacherId);
    expect(restored).toEqual(original);
    const panel = response.body as unknown as Panel;
    expect(panel.rows.find((row) => row.hub?.id === original.teacherId)?.status).toBe('notMatched');
    expect(panel.rows.find((row) => row.mis?.id === synced.misId)?.status).toBe('new');
    expect(await store.listAudit(demoCentre.centreId)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'teacher.unmatched',
          subject: `teacher:${original.teacherId}`,
          actorUserId: 'user-coordinator',
        }),
      ]),
    );
    expect((await teachers('POST /api/sync/teachers/unmatch', { hubId: 'hub-teacher-missing' })).status).toBe(404);
  });

  it('fails before writing anything when the Hub changed underneath the plan, and says why', async () => {
    const store = dependencies().store;
    const before = JSON.stringify(await store.listTeachers(demoCentre.centreId));
    const run = await crafted({
      links: [
        { hubId: 'hub-teacher-deleted', misId: String(standIn.school.staff[0]!.id), title: null, firstName: 'A', lastName: 'B' },
      ],
    });

    const ended = await waitForRun(run);

    expect(ended).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/deleted since it was made/) });
    expect(JSON.stringify(await store.listTeachers(demoCentre.centreId))).toBe(before);
  });

  it('ends in the same state as a clean run after a failure in Apply and Step Functions’ retry', async () => {
    const store = dependencies().store;
    const original = store.putTeachers.bind(store);
    let failures = 0;
    store.putTeachers = async (teachers) => {
      if (failures++ === 0)
        throw Object.assign(new Error('Simulated throttling'), { name: 'ProvisionedThroughputExceededException' });
      return original(teachers);
    };
    try {
      const imports = [
        { misId: 'retry-1', title: 'Ms', firstName: 'Rhian', lastName: 'Evans', email: 'rhian.evans@stmarys.sch.uk' },
      ];
      const run = await crafted({ imports });
      expect(await waitForRun(run)).toMatchObject({ status: 'succeeded', counts: { imported: 1, emailsSent: 1 } });
      expect(failures).toBeGreaterThan(1);
      const teachersNow = await store.listTeachers(demoCentre.centreId);
      expect(teachersNow.filter((teacher) => teacher.misId === 'retry-1')).toHaveLength(1);
      expect(await store.findAccountByEmail('rhian.evans@stmarys.sch.uk')).toMatchObject({ teacherId: 'mis-teacher-retry-1' });
    } finally {
      store.putTeachers = original;
    }
  });
});

describe('welcome emails', () => {
  it('records a failed email for that teacher without failing the run', async () => {
    const deps = dependencies();
    const mailer = deps.mailer();
    const send = mailer.send.bind(mailer);
    mailer.send = async (email) => {
      if (email.to.startsWith('bounce')) throw Object.assign(new Error('Mailbox unavailable'), { name: 'MessageRejected' });
      return send(email);
    };
    try {
      const run = await crafted({
        imports: [
          { misId: 'mail-1', title: 'Mr', firstName: 'Gethin', lastName: 'Price', email: 'bounce.gethin@stmarys.sch.uk' },
          { misId: 'mail-2', title: 'Ms', firstName: 'Seren', lastName: 'Price', email: 'seren.price@stmarys.sch.uk' },
        ],
      });
      expect(await waitForRun(run)).toMatchObject({
        status: 'succeeded',
        counts: { imported: 2, emailsSent: 1 },
        failures: [{ misId: 'mail-1', reason: expect.stringMatching(/could not be sent \(MessageRejected\)/) }],
      });
    } finally {
      mailer.send = send;
    }
  });
});

/** A run record made directly, then started through the local Step Functions endpoint. */
async function crafted(overrides: Partial<SyncRun>): Promise<string> {
  const runId = `crafted-${Math.random().toString(36).slice(2, 10)}`;
  const run: SyncRun = {
    runId,
    centreId: demoCentre.centreId,
    kind: 'teachers',
    startedBy: 'user-coordinator',
    startedAt: new Date().toISOString(),
    status: 'running',
    step: 'backup',
    links: [],
    imports: [],
    progress: { done: 0, total: 0 },
    counts: { imported: 0, linked: 0, emailsSent: 0 },
    failures: [],
    failureReason: null,
    finishedAt: null,
    ...overrides,
  };
  run.progress.total = run.links.length + run.imports.length;
  await dependencies().store.putSyncRun(run);
  await dependencies().workflow().startSync({ centreId: run.centreId, runId });
  return runId;
}
