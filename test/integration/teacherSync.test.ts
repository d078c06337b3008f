import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { handler as runsHandler } from '../../functions/sync/runs';
import { handler as teachersHandler } from '../../functions/sync/teachers';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { LOCAL_SYNC_STATE_MACHINE_ARN } from '../../infra/local/stepFunctions';
import { demoCentre, demoHubHistory } from '../../shared/demo/seedDemo';
import { HAND_ENTERED, type HubTeacher, type SyncRun } from '../../shared/domain/records';
import { dependencies } from '../../shared/runtime/dependencies';
import { metrics } from '../../shared/runtime/observability';
import { syncPipeline } from '../../shared/sync/pipeline';
import { CHUNK_SIZE, startRun } from '../../shared/sync/runs';
import { StepFunctionsWorkflow } from '../../shared/workflow/workflow';
import { runKinds } from '../../shared/wizard/steps';
import { teachersRun, type TeacherEntry } from '../../shared/wizard/teachers/sync';
import { connectThroughConsent, startStandInForHandlers, TEST_APP_URL } from '../support/assembly';
import { apiEvent, call, givenAccount, sessionCookieFrom, signInAsDemoCoordinator, tableSnapshot } from '../support/hub';
import { emailsTo as emailsToOf, openTeachersPanel, sentEmails as sentEmailsOf, startPipelineEngines } from '../support/engines';

const APP_URL = TEST_APP_URL;
let standIn: AssemblyStandIn;
let sesUrl: string;
let engines: Awaited<ReturnType<typeof startPipelineEngines>>;
let coordinator: string;
const session = {
  userId: 'user-coordinator',
  centreId: demoCentre.centreId,
  role: 'access_coordinator' as const,
  expiresAt: 0,
  sessionVersion: 0,
};

beforeAll(async () => {
  standIn = await startStandInForHandlers(demoCentre.seed);
  engines = await startPipelineEngines();
  sesUrl = engines.sesUrl;
  coordinator = await signInAsDemoCoordinator();
  await connectThroughConsent(standIn, coordinator);
  expect((await openTeachersPanel(coordinator)).status).toBe(200);
});
afterAll(async () => {
  await standIn?.stop();
  engines?.stop();
});

const teachers = (routeKey: string, body?: unknown) =>
  call(teachersHandler, apiEvent(routeKey, { cookies: [coordinator], body }));
interface Panel {
  rows: {
    status: string;
    hub?: { id: string; version: number };
    mis?: { id: string };
    outOfSync?: string | null;
    reason?: string;
  }[];
  plan: { version: number; imports: string[]; confirmed: { hubId: string; misId: string }[] };
}
interface Run {
  runId: string;
  status: string;
  counts: Record<string, number>;
  notices: { sent: number; alreadySent: number; failed: number };
  issues: { recordId: string; label: string; reason: string }[];
  noticeIssues: { recordId: string; reason: string }[];
  failureReason: string | null;
}

/** Save and sync as the browser does: with the plan's version and each Matched pair as shown. */
async function save() {
  const panel = (await teachers('GET /api/sync/teachers')).body as unknown as Panel;
  return teachers('POST /api/sync/teachers/save', reviewedOf(panel));
}
const reviewedOf = (panel: Panel) => ({
  planVersion: panel.plan.version,
  reviewed: Object.fromEntries(
    panel.rows.flatMap((row) =>
      row.status === 'matched' ? [[row.hub!.id, { misId: row.mis!.id, version: row.hub!.version }]] : [],
    ),
  ),
});

async function waitForRun(runId: string, seconds = 60): Promise<Run> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const run = await call(
      runsHandler,
      apiEvent('GET /api/sync/runs/{runId}', { cookies: [coordinator], pathParameters: { runId } }),
    );
    if (run.body?.status !== 'running') return run.body as unknown as Run;
    if (Date.now() > deadline) throw new Error(`the run did not finish within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const sentEmails = () => sentEmailsOf(sesUrl);
const emailsTo = (address: string) => emailsToOf(sesUrl, address);

/** Starts a run of the given entries through the real start (lock, work list) and the local Step Functions. */
async function runOf(entries: TeacherEntry[]): Promise<string> {
  return (await startRun(dependencies(), session, teachersRun, entries)).runId;
}
const importOf = (misId: string, email: string): TeacherEntry => ({
  op: 'import',
  misId,
  label: `Teacher ${misId}`,
  title: 'Ms',
  firstName: 'Seren',
  lastName: `Price-${misId}`,
  email,
});
const now = () => new Date().toISOString();
const hubTeacher = (teacherId: string, firstName: string, lastName: string): HubTeacher => ({
  teacherId,
  centreId: demoCentre.centreId,
  title: 'Mr',
  firstName,
  lastName,
  email: `${teacherId}@old.example`,
  ...HAND_ENTERED,
  createdAt: now(),
  updatedAt: now(),
});
const linkOf = (teacher: HubTeacher, misId: string, lastName = 'Fromthemis'): TeacherEntry => ({
  op: 'link',
  hubId: teacher.teacherId,
  misId,
  replacesMisId: null,
  version: teacher.version,
  label: teacher.teacherId,
  title: 'Dr',
  firstName: teacher.firstName,
  lastName,
});

describe('Save and sync teachers', () => {
  it('refuses to save while a May match is unconfirmed or an import has no email', async () => {
    const panel = (await teachers('GET /api/sync/teachers')).body as unknown as Panel;
    const newIds = panel.rows.filter((row) => row.status === 'new').map((row) => row.mis!.id);
    await teachers('PUT /api/sync/teachers/plan', { ...panel.plan, imports: newIds.slice(0, 3) });
    const response = await save();
    expect(response.status).toBe(422);
    expect(response.body?.message).toMatch(/May match/);
  });

  it('runs one sync for two saves at once: one 202, one 409 naming it, one welcome email each', async () => {
    await teachers('POST /api/sync/teachers/emails', { format: '{first}.{last}', domain: 'stmarys.sch.uk' });
    const panel = (await teachers('GET /api/sync/teachers')).body as unknown as Panel;
    const mayMatches = panel.rows
      .filter((row) => row.status === 'mayMatch')
      .map((row) => ({ hubId: row.hub!.id, misId: row.mis!.id }));
    await teachers('PUT /api/sync/teachers/plan', { ...panel.plan, confirmed: [...panel.plan.confirmed, ...mayMatches] });

    const [first, second] = await Promise.all([save(), save()]);

    expect([first.status, second.status].sort()).toEqual([202, 409]);
    const refused = first.status === 409 ? first : second;
    expect(refused.body).toMatchObject({
      error: 'run_in_progress',
      message: expect.stringMatching(/teachers sync started at .* is still running/),
    });
    const runId = String((first.status === 202 ? first : second).body!.runId);
    const run = await waitForRun(runId);
    expect(run).toMatchObject({ status: 'succeeded', counts: { imported: 3 }, notices: { sent: 3, failed: 0 }, issues: [] });
    const store = dependencies().store;
    expect((await store.listSyncRuns(demoCentre.centreId)).filter((candidate) => candidate.kind === 'teachers')).toHaveLength(1);
    expect(await store.getRunLock(demoCentre.centreId)).toBeNull();
    // The refused Save left no work list behind.
    const items = (await tableSnapshot()).map((item) => JSON.parse(item) as Record<string, { S?: string }>);
    const runIds = new Set(items.filter((item) => item.type?.S === 'syncRun').map((item) => item.runId?.S));
    expect(items.filter((item) => item.type?.S === 'workChunk' && !runIds.has(item.runId?.S))).toEqual([]);
    const hubTeachers = await store.listTeachers(demoCentre.centreId);
    expect(hubTeachers.filter((teacher) => teacher.teacherId.startsWith(`mis-teacher-${demoCentre.centreId}-`))).toHaveLength(3);
    const mails = await sentEmails();
    expect(mails).toHaveLength(3);
    expect(new Set(mails.map((mail) => mail.destination.to[0])).size).toBe(3);
    expect(mails[0]!.body.text).toContain(`${APP_URL}/set-password#token=`);
    expect(mails[0]!.body.text).not.toMatch(/set-password\?/);

    // Another centre cannot see the run.
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
      apiEvent('GET /api/sync/runs/{runId}', { cookies: [strangerCookie], pathParameters: { runId } }),
    );
    expect(peek.status).toBe(404);

    // Saving again changes nothing and sends nothing; steps retried by Step Functions repeat safely.
    const again = await waitForRun(String((await save()).body!.runId));
    expect(again).toMatchObject({ status: 'succeeded', notices: { sent: 0 } });
    // The steps of a running run repeat safely: Apply and Notify again as if Step Functions retried them.
    const running = (await store.getSyncRun(demoCentre.centreId, runId))!;
    const rerun = { ...running, status: 'running' as const };
    const [chunk] = [
      (await store.getWorkChunk(demoCentre.centreId, runId, 0))!.map((entry) => teachersRun.entrySchema.parse(entry)),
    ];
    const replayed = await teachersRun.apply(dependencies(), rerun, chunk);
    expect(replayed.issues).toEqual([]);
    await teachersRun.notify(dependencies(), rerun, chunk, replayed);
    expect((await store.listTeachers(demoCentre.centreId)).length).toBe(hubTeachers.length);
    expect(await sentEmails()).toHaveLength(3);
  });

  it('unmatching a synced teacher restores the exact earlier record, shows Not matched and New, and is audited', async () => {
    const original = demoHubHistory().teachers.find((teacher) => teacher.teacherId === 'hub-teacher-001')!;
    const store = dependencies().store;
    const synced = (await store.getTeacher(demoCentre.centreId, original.teacherId))!;
    expect(synced).toMatchObject({ syncStatus: 'synced', misId: expect.any(String) });

    const response = await teachers('POST /api/sync/teachers/unmatch', { hubId: original.teacherId });

    expect(response.status).toBe(200);
    const restored = (await store.getTeacher(demoCentre.centreId, original.teacherId))!;
    expect({ ...restored, version: 0, updatedAt: original.updatedAt, lastRunId: null }).toEqual(original);
    expect(await store.getLinkHolder(demoCentre.centreId, 'teacher', synced.misId!)).toBeNull();
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

  it('fails before writing anything when a teacher in the plan was deleted, and says why', async () => {
    const store = dependencies().store;
    const before = JSON.stringify(await store.listTeachers(demoCentre.centreId));
    const gone = hubTeacher('hub-teacher-deleted', 'A', 'B');
    const runId = await runOf([linkOf(gone, String(standIn.generated!.staff[0]!.id))]);

    const ended = await waitForRun(runId);

    expect(ended).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/deleted since it was made/) });
    expect(JSON.stringify(await store.listTeachers(demoCentre.centreId))).toBe(before);
    expect(await store.getRunLock(demoCentre.centreId)).toBeNull();
  });

  it('skips and reports a teacher edited between review and Apply, and applies the rest', async () => {
    const store = dependencies().store;
    const edited = hubTeacher('hub-edited', 'Owain', 'Jones');
    const untouched = hubTeacher('hub-untouched', 'Nia', 'Evans');
    await store.putTeachers([edited, untouched]);
    const entries = [linkOf(edited, 'mis-edited'), linkOf(untouched, 'mis-untouched')];
    // The co-ordinator reviewed version 0; someone edits the teacher before the run applies it.
    await store.putTeachers([{ ...edited, email: 'owain@new.example', version: 1 }]);

    const run = await waitForRun(await runOf(entries));

    expect(run).toMatchObject({ status: 'succeeded', counts: { linked: 1, skipped: 1 } });
    expect(run.issues).toEqual([
      {
        recordId: 'mis-edited',
        label: 'hub-edited',
        reason: expect.stringMatching(/changed in the Admin Hub since you reviewed it/i),
      },
    ]);
    expect(await store.getTeacher(demoCentre.centreId, 'hub-edited')).toMatchObject({
      misId: null,
      email: 'owain@new.example',
      lastName: 'Jones',
    });
    expect(await store.getTeacher(demoCentre.centreId, 'hub-untouched')).toMatchObject({
      misId: 'mis-untouched',
      lastName: 'Fromthemis',
    });
  });

  it('links one MIS person to one Hub teacher when two plans race for them', async () => {
    const store = dependencies().store;
    const [a, b] = [hubTeacher('hub-race-a', 'Gwen', 'Rees'), hubTeacher('hub-race-b', 'Gwen', 'Rhys')];
    await store.putTeachers([a, b]);
    const run = (id: string): SyncRun => ({
      runId: id,
      centreId: demoCentre.centreId,
      kind: 'teachers',
      startedBy: 'user-coordinator',
      startedAt: now(),
      status: 'running',
      step: 'apply',
      total: 1,
      chunks: 1,
      notices: 0,
      failureReason: null,
      finishedAt: null,
    });

    const results = await Promise.all([
      teachersRun.apply(dependencies(), run('race-1'), [linkOf(a, 'mis-contested')]),
      teachersRun.apply(dependencies(), run('race-2'), [linkOf(b, 'mis-contested')]),
    ]);

    expect(results.map((result) => result.counts.linked).sort()).toEqual([0, 1]);
    expect(results.flatMap((result) => result.issues)).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/already linked to another Admin Hub teacher/) }),
    ]);
    const linked = (await store.listTeachers(demoCentre.centreId)).filter((teacher) => teacher.misId === 'mis-contested');
    expect(linked).toHaveLength(1);
    expect(await store.getLinkHolder(demoCentre.centreId, 'teacher', 'mis-contested')).toBe(linked[0]!.teacherId);
  });

  it('restores the original names on unmatch after a run that failed in its second Apply chunk', async () => {
    const store = dependencies().store;
    const originals = Array.from({ length: CHUNK_SIZE + 20 }, (_, index) =>
      hubTeacher(`hub-chunk-${index}`, 'Iolo', `Original${index}`),
    );
    await store.putTeachers(originals);
    const link = store.linkRecord.bind(store);
    store.linkRecord = async (write) => {
      if (write.hubId.startsWith('hub-chunk-') && Number(write.hubId.slice(10)) >= CHUNK_SIZE)
        throw Object.assign(new Error('Simulated outage'), { name: 'InternalServerError' });
      return link(write);
    };
    try {
      const run = await waitForRun(
        await runOf(originals.map((teacher, index) => linkOf(teacher, `mis-chunk-${index}`, 'Changed'))),
        120,
      );
      expect(run.status).toBe('failed');
    } finally {
      store.linkRecord = link;
    }
    expect(await store.getTeacher(demoCentre.centreId, 'hub-chunk-3')).toMatchObject({ lastName: 'Changed', title: 'Dr' });
    expect(await store.getRunLock(demoCentre.centreId)).toBeNull();
    await store.putTeachers([
      { ...(await store.getTeacher(demoCentre.centreId, 'hub-chunk-3'))!, email: 'edited@after.example', version: 2 },
    ]);

    const response = await teachers('POST /api/sync/teachers/unmatch', { hubId: 'hub-chunk-3' });

    expect(response.status).toBe(200);
    expect(await store.getTeacher(demoCentre.centreId, 'hub-chunk-3')).toMatchObject({
      title: 'Mr',
      lastName: 'Original3',
      email: 'edited@after.example',
      misId: null,
      syncStatus: 'none',
    });
  });

  it('sends one email to a teacher whose send was interrupted after the claim, when the step is retried', async () => {
    const store = dependencies().store;
    const putToken = store.issueSetPasswordLink.bind(store);
    let crashes = 0;
    store.issueSetPasswordLink = async (hash, token) => {
      if (crashes++ === 0) throw Object.assign(new Error('Simulated crash'), { name: 'TimeoutError' });
      return putToken(hash, token);
    };
    try {
      const run = await waitForRun(await runOf([importOf('crash-1', 'rhian.evans@stmarys.sch.uk')]));
      expect(run).toMatchObject({ status: 'succeeded', counts: { imported: 1 }, notices: { sent: 1 } });
    } finally {
      store.issueSetPasswordLink = putToken;
    }
    expect(crashes).toBe(2);
    expect(await emailsTo('rhian.evans@stmarys.sch.uk')).toHaveLength(1);
    expect(await store.getWelcomeClaim(demoCentre.centreId, 'crash-1')).toMatchObject({ status: 'sent' });
  });

  it('imports a teacher who was imported, then unmatched, again: linked again, not welcomed twice', async () => {
    const store = dependencies().store;
    await waitForRun(await runOf([importOf('again-1', 'seren.again@stmarys.sch.uk')]));
    const teacherId = `mis-teacher-${demoCentre.centreId}-again-1`;
    expect((await teachers('POST /api/sync/teachers/unmatch', { hubId: teacherId })).status).toBe(200);
    expect(await store.getTeacher(demoCentre.centreId, teacherId)).toMatchObject({ misId: null, syncStatus: 'none' });

    const run = await waitForRun(await runOf([importOf('again-1', 'seren.again@stmarys.sch.uk')]));

    expect(run).toMatchObject({ status: 'succeeded', counts: { imported: 1 }, notices: { alreadySent: 1, sent: 0 } });
    expect(await store.getTeacher(demoCentre.centreId, teacherId)).toMatchObject({ misId: 'again-1', syncStatus: 'synced' });
    expect(await emailsTo('seren.again@stmarys.sch.uk')).toHaveLength(1);
  });

  it('never takes another centre’s account with the same email as its own', async () => {
    const other = await givenAccount('other-school', 'teacher');
    const run = await waitForRun(await runOf([importOf('taken-1', other.email)]));
    expect(run).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/taken by another account/) });
  });

  it('shows a link to someone who left the MIS as Out of sync, and still saves', async () => {
    const store = dependencies().store;
    await store.putTeachers([{ ...hubTeacher('hub-left', 'Bryn', 'Gone'), misId: 'mis-left-school', syncStatus: 'synced' }]);
    const panel = (await teachers('GET /api/sync/teachers')).body as unknown as Panel;
    expect(panel.rows.find((row) => row.hub?.id === 'hub-left')).toMatchObject({ status: 'notMatched', outOfSync: 'left_mis' });
    const saved = await save();
    expect(saved.status).toBe(202);
    expect(await waitForRun(String(saved.body!.runId))).toMatchObject({ status: 'succeeded' });
  });

  it('marks the run failed and lets go of the lock when Step Functions will not start it', async () => {
    const deps = dependencies();
    const startedAt = now();
    const sfn = mockClient(SFNClient);
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const workflow = deps.workflow;
    deps.workflow = () => new StepFunctionsWorkflow(LOCAL_SYNC_STATE_MACHINE_ARN, new SFNClient({}));
    try {
      await expect(startRun(deps, session, teachersRun, [importOf('never-1', 'never@stmarys.sch.uk')])).rejects.toThrow(
        /could not be started/,
      );
    } finally {
      deps.workflow = workflow;
      sfn.restore();
    }
    const runs = await deps.store.listSyncRuns(demoCentre.centreId);
    expect(runs.filter((run) => run.startedAt >= startedAt)).toEqual([
      expect.objectContaining({ status: 'failed', failureReason: expect.stringMatching(/could not be started/) }),
    ]);
    expect(await deps.store.getRunLock(demoCentre.centreId)).toBeNull();
  });

  it('refuses a Save from a stale panel, and skips a teacher edited after it was reviewed', async () => {
    const store = dependencies().store;
    const teacher = hubTeacher('hub-reviewed', 'Elin', 'Morgan');
    await store.putTeachers([teacher]);
    const panel = (await teachers('GET /api/sync/teachers')).body as unknown as Panel;
    const manual = (panel.rows.find((row) => row.status === 'new') as { mis: { id: string } }).mis.id;
    await teachers('PUT /api/sync/teachers/plan', {
      ...panel.plan,
      manualMatches: [
        ...(panel.plan as unknown as { manualMatches: unknown[] }).manualMatches,
        { hubId: 'hub-reviewed', misId: manual },
      ],
    });
    const reviewed = (await teachers('GET /api/sync/teachers')).body as unknown as Panel;

    expect(
      (await teachers('POST /api/sync/teachers/save', { ...reviewedOf(reviewed), planVersion: reviewed.plan.version - 1 })).body,
    ).toMatchObject({
      error: 'stale_plan',
    });
    // Someone edits the teacher by hand after the co-ordinator reviewed the pair.
    expect(await store.editTeacherDetails(demoCentre.centreId, 'hub-reviewed', 0, { email: 'elin@new.example' }, now())).toBe(
      true,
    );
    const started = await teachers('POST /api/sync/teachers/save', reviewedOf(reviewed));

    const run = await waitForRun(String(started.body!.runId));
    expect(run.status).toBe('succeeded');
    expect(run.issues).toEqual([
      expect.objectContaining({ recordId: manual, reason: expect.stringMatching(/since you reviewed it/) }),
    ]);
    expect(await store.getTeacher(demoCentre.centreId, 'hub-reviewed')).toMatchObject({ misId: null, email: 'elin@new.example' });
  });

  it('retries a welcome email SES throttles, and sends one SES refused with the next Save and sync', async () => {
    const deps = dependencies();
    const mailer = deps.mailer();
    const send = mailer.send.bind(mailer);
    let throttled = 0;
    mailer.send = async (email) => {
      if (email.to.startsWith('refused')) throw Object.assign(new Error('Mailbox unavailable'), { name: 'MessageRejected' });
      if (email.to.startsWith('throttled') && throttled++ === 0)
        throw Object.assign(new Error('Slow down'), { name: 'TooManyRequestsException' });
      return send(email);
    };
    try {
      const run = await waitForRun(
        await runOf([
          importOf('mail-refused', 'refused.gethin@stmarys.sch.uk'),
          importOf('mail-throttled', 'throttled.seren@stmarys.sch.uk'),
        ]),
      );
      expect(run).toMatchObject({ status: 'succeeded', counts: { imported: 2 }, notices: { sent: 1, failed: 1 } });
      expect(run.noticeIssues).toEqual([
        { recordId: 'mail-refused', label: 'Teacher mail-refused', reason: expect.stringMatching(/\(MessageRejected\)/) },
      ]);
      expect(await emailsTo('throttled.seren@stmarys.sch.uk')).toHaveLength(1);
    } finally {
      mailer.send = send;
    }

    const next = await waitForRun(String((await save()).body!.runId));

    expect(next.notices).toMatchObject({ sent: 1, failed: 0 });
    expect(await emailsTo('refused.gethin@stmarys.sch.uk')).toHaveLength(1);
    expect(await emailsTo('throttled.seren@stmarys.sch.uk')).toHaveLength(1);
  });

  it('writes nothing for an execution whose run has already ended', async () => {
    const deps = dependencies();
    const teacher = hubTeacher('hub-ended', 'Iwan', 'Bowen');
    await deps.store.putTeachers([teacher]);
    const runId = (await startRun(deps, session, teachersRun, [linkOf(teacher, 'mis-ended')])).runId;
    await waitForRun(runId);
    await deps.store.putTeachers([teacher]);

    await expect(syncPipeline(deps, runKinds).apply({ centreId: demoCentre.centreId, runId, cursor: 0 })).rejects.toMatchObject({
      name: 'RunEndedError',
    });
    expect(await deps.store.getTeacher(demoCentre.centreId, 'hub-ended')).toMatchObject({ misId: null });
  });

  it('completes a run of 5,000 teachers', { timeout: 300_000 }, async () => {
    const store = dependencies().store;
    const many = Array.from({ length: 5000 }, (_, index) =>
      hubTeacher(`hub-many-${String(index).padStart(4, '0')}`, 'Alun', `Many${index}`),
    );
    await store.putTeachers(many);

    const run = await waitForRun(await runOf(many.map((teacher, index) => linkOf(teacher, `mis-many-${index}`))), 280);

    expect(run).toMatchObject({ status: 'succeeded', counts: { linked: 5000, skipped: 0 } });
    const linked = (await store.listTeachers(demoCentre.centreId)).filter((teacher) => teacher.teacherId.startsWith('hub-many-'));
    expect(linked.every((teacher) => teacher.syncStatus === 'synced' && teacher.lastName === 'Fromthemis')).toBe(true);
  });
});

describe('metrics', () => {
  it('counts the run, the records it applied and the emails it sent, published as each task ends', async () => {
    const added = vi.spyOn(metrics, 'addMetric');
    const published = vi.spyOn(metrics, 'publishStoredMetrics');
    try {
      const runId = await runOf([
        importOf('90001', 'seren.90001@school.example'),
        importOf('90002', 'seren.90002@school.example'),
      ]);
      expect((await waitForRun(runId)).status).toBe('succeeded');
      const counted = added.mock.calls.map(([name, , value]) => `${name} ${value}`);
      expect(counted.filter((metric) => !metric.startsWith('ColdStart')).sort()).toEqual(
        ['EmailsSent 1', 'EmailsSent 1', 'RecordsApplied 2', 'RunsStarted 1', 'RunsSucceeded 1'].sort(),
      );
      expect(published).toHaveBeenCalled();
    } finally {
      added.mockRestore();
      published.mockRestore();
    }
  });
});
