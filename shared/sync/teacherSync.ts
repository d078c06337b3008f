import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { issueSetPasswordToken } from '../auth/setPassword';
import type { Account, HubTeacher, Session, SyncRun } from '../domain/records';
import { NotFoundError, UnprocessableError } from '../core/errors';
import type { Dependencies } from '../runtime/dependencies';
import { EmailTakenError } from '../store/hubStore';
import { openTeachersPanelFromSnapshot } from '../teachers/teachersPanel';
import { mapConcurrently } from './mapConcurrently';

/** Records Apply handles per invocation, so a run of 5,000 teachers is many short steps. */
export const APPLY_CHUNK = 100;

export const runInputSchema = z.object({ centreId: z.string().min(1), runId: z.string().min(1) });
export type RunInput = z.infer<typeof runInputSchema>;
export const applyInputSchema = runInputSchema.extend({ cursor: z.number().int().nonnegative() });

/** A check before writing found the Hub or MIS changed underneath the plan: nothing is written. */
export class PlanChangedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PlanChangedError';
  }
}

export interface RunView {
  runId: string;
  status: SyncRun['status'];
  step: SyncRun['step'];
  progress: SyncRun['progress'];
  counts: SyncRun['counts'];
  failures: SyncRun['failures'];
  failureReason: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export function runView(run: SyncRun): RunView {
  const { runId, status, step, progress, counts, failures, failureReason, startedAt, finishedAt } = run;
  return { runId, status, step, progress, counts, failures, failureReason, startedAt, finishedAt };
}

/** Save and sync teachers: the plan must be complete; it is frozen into a run and the pipeline starts. */
export async function startTeacherSync(deps: Dependencies, session: Session): Promise<RunView> {
  const panel = await openTeachersPanelFromSnapshot(deps, session);
  if (panel.problems.length) throw new UnprocessableError(`Before you save: ${panel.problems.join('; ')}.`);
  const now = deps.clock.now().toISOString();
  const run: SyncRun = {
    runId: `${now.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`,
    centreId: session.centreId,
    kind: 'teachers',
    startedBy: session.userId,
    startedAt: now,
    status: 'running',
    step: 'backup',
    links: panel.rows.flatMap((row) =>
      row.status === 'matched'
        ? [
            {
              hubId: row.hub.id,
              misId: row.mis.id,
              title: row.mis.title,
              firstName: row.mis.firstName,
              lastName: row.mis.lastName,
            },
          ]
        : [],
    ),
    imports: panel.rows.flatMap((row) =>
      row.status === 'new' && row.import
        ? [
            {
              misId: row.mis.id,
              title: row.mis.title,
              firstName: row.mis.firstName ?? '',
              lastName: row.mis.lastName ?? '',
              email: row.email,
            },
          ]
        : [],
    ),
    progress: { done: 0, total: 0 },
    counts: { imported: 0, linked: 0, emailsSent: 0 },
    failures: [],
    failureReason: null,
    finishedAt: null,
  };
  run.progress.total = run.links.length + run.imports.length;
  await deps.store.putSyncRun(run);
  await deps.workflow().startSync({ centreId: run.centreId, runId: run.runId });
  return runView(run);
}

export async function getRun(deps: Dependencies, session: Session, runId: string): Promise<RunView> {
  const run = await deps.store.getSyncRun(session.centreId, runId);
  if (!run) throw new NotFoundError('No such sync run');
  return runView(run);
}

async function loadRun(deps: Dependencies, input: RunInput): Promise<SyncRun> {
  const run = await deps.store.getSyncRun(input.centreId, input.runId);
  if (!run) throw new Error('The sync run record is missing');
  return run;
}

/** How many store calls a step keeps in flight: enough to hide round trips, few enough not to be throttled. */
const STORE_CONCURRENCY = 8;

const importedTeacherId = (misId: string) => `mis-teacher-${misId}`;
const importedUserId = (misId: string) => `mis-user-${misId}`;

/** Backup: every Hub teacher the run will change, as it is now, once per run. */
export async function backupStep(deps: Dependencies, input: RunInput): Promise<void> {
  const run = await loadRun(deps, input);
  const teachers = new Map((await deps.store.listTeachers(run.centreId)).map((teacher) => [teacher.teacherId, teacher]));
  await mapConcurrently(run.links, STORE_CONCURRENCY, async (link) => {
    const teacher = teachers.get(link.hubId);
    if (teacher)
      await deps.store.putBackupIfAbsent({
        centreId: run.centreId,
        runId: run.runId,
        recordKey: `teacher#${teacher.teacherId}`,
        teacher,
        takenAt: deps.clock.now().toISOString(),
      });
  });
  await deps.store.putSyncRun({ ...run, step: 'match' });
}

/** Match: re-check the plan against the Hub as it is now, before anything is written. */
export async function matchStep(deps: Dependencies, input: RunInput): Promise<void> {
  const run = await loadRun(deps, input);
  const teachers = new Map((await deps.store.listTeachers(run.centreId)).map((teacher) => [teacher.teacherId, teacher]));
  for (const link of run.links) {
    const teacher = teachers.get(link.hubId);
    if (!teacher)
      throw new PlanChangedError(
        `A Hub teacher in the plan has been deleted since it was made (${link.hubId}). Review the Teachers panel and save again.`,
      );
    if (teacher.misId && teacher.misId !== link.misId)
      throw new PlanChangedError(`A Hub teacher in the plan has been linked to someone else meanwhile (${link.hubId}).`);
  }
  const accounts = await mapConcurrently(run.imports, STORE_CONCURRENCY, (entry) => deps.store.findAccountByEmail(entry.email));
  for (const [index, entry] of run.imports.entries()) {
    const account = accounts[index];
    if (account && account.userId !== importedUserId(entry.misId)) {
      throw new PlanChangedError(
        `The email address ${entry.email} has been taken by another account since the plan was made. Choose another and save again.`,
      );
    }
  }
  await deps.store.putSyncRun({ ...run, step: 'apply' });
}

/** Apply, one chunk: link matched teachers (MIS values win) and create imported ones. Safe to repeat. */
export async function applyStep(
  deps: Dependencies,
  input: z.infer<typeof applyInputSchema>,
): Promise<{ cursor: number; done: boolean }> {
  const run = await loadRun(deps, input);
  const now = deps.clock.now().toISOString();
  const end = Math.min(input.cursor + APPLY_CHUNK, run.progress.total);
  const indexes = Array.from({ length: Math.max(0, end - input.cursor) }, (_, offset) => input.cursor + offset);
  // Each teacher of the chunk: the Hub record updated from the MIS, or for an import the failure to record, if any.
  const outcomes = await mapConcurrently(indexes, STORE_CONCURRENCY, async (index) => {
    const link = run.links[index];
    if (link) {
      // Only this chunk's teachers are read: a run of 5,000 does not re-read the whole Hub per chunk.
      const teacher = await deps.store.getTeacher(run.centreId, link.hubId);
      if (!teacher) throw new PlanChangedError(`A Hub teacher in the plan has been deleted during the sync (${link.hubId}).`);
      const update: HubTeacher = {
        ...teacher,
        misId: link.misId,
        syncStatus: 'synced',
        title: link.title ?? teacher.title,
        firstName: link.firstName ?? teacher.firstName,
        lastName: link.lastName ?? teacher.lastName,
        updatedAt: now,
      };
      return { update };
    }
    const entry = run.imports[index - run.links.length]!;
    await deps.store.putTeacherIfAbsent({
      teacherId: importedTeacherId(entry.misId),
      centreId: run.centreId,
      title: entry.title,
      firstName: entry.firstName,
      lastName: entry.lastName,
      email: entry.email,
      misId: entry.misId,
      syncStatus: 'synced',
      createdAt: now,
      updatedAt: now,
    });
    const account: Account = {
      userId: importedUserId(entry.misId),
      centreId: run.centreId,
      email: entry.email,
      role: 'teacher',
      displayName: `${entry.firstName} ${entry.lastName}`,
      teacherId: importedTeacherId(entry.misId),
      passwordHash: null,
      createdAt: now,
    };
    try {
      await deps.store.createAccount(account);
    } catch (error) {
      if (!(error instanceof EmailTakenError)) throw error;
      const existing = await deps.store.findAccountByEmail(entry.email);
      if (existing?.userId !== account.userId)
        return { failure: { misId: entry.misId, reason: `The email address ${entry.email} belongs to another account` } };
    }
    return {};
  });
  const updates = outcomes.flatMap((outcome) => (outcome.update ? [outcome.update] : []));
  const failures = [...run.failures];
  for (const { failure } of outcomes) {
    if (failure && !failures.some((known) => known.misId === failure.misId)) failures.push(failure);
  }
  await deps.store.putTeachers(updates);
  const done = end >= run.progress.total;
  const imported = Math.max(0, end - run.links.length);
  await deps.store.putSyncRun({
    ...run,
    step: done ? 'email' : 'apply',
    failures,
    progress: { ...run.progress, done: end },
    counts: { ...run.counts, linked: Math.min(end, run.links.length), imported: imported - failures.length },
  });
  return { cursor: end, done };
}

/** Email: a welcome with a single-use, 7-day set-password link to each imported teacher, once each. */
export async function emailStep(deps: Dependencies, input: RunInput): Promise<void> {
  const run = await loadRun(deps, input);
  const failures = [...run.failures];
  let sent = run.counts.emailsSent;
  const centre = await deps.store.getCentre(run.centreId);
  for (const entry of run.imports) {
    if (failures.some((failure) => failure.misId === entry.misId)) continue;
    if (!(await deps.store.claimWelcomeEmail(run.centreId, run.runId, entry.misId))) continue;
    try {
      const token = await issueSetPasswordToken(
        deps.store,
        { userId: importedUserId(entry.misId), centreId: run.centreId },
        deps.clock,
      );
      const link = `${deps.appUrl()}/set-password?token=${encodeURIComponent(token)}`;
      await deps.mailer().send(welcomeEmail(entry.email, entry.firstName, centre?.name ?? 'your school', link));
      sent++;
    } catch (error) {
      failures.push({
        misId: entry.misId,
        reason: `The welcome email could not be sent (${error instanceof Error ? error.name : 'error'})`,
      });
    }
  }
  await deps.store.putSyncRun({ ...run, failures, counts: { ...run.counts, emailsSent: sent }, step: 'done' });
}

export async function finishStep(deps: Dependencies, input: RunInput): Promise<void> {
  const run = await loadRun(deps, input);
  await deps.store.putSyncRun({ ...run, status: 'succeeded', step: 'done', finishedAt: deps.clock.now().toISOString() });
}

export const failInputSchema = runInputSchema.extend({
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

/** The pipeline's Catch: record why the run stopped, in words the co-ordinator can act on. */
export async function failStep(deps: Dependencies, input: z.infer<typeof failInputSchema>): Promise<void> {
  const run = await loadRun(deps, input);
  let reason = 'The sync stopped because of an error on our side. Nothing more was changed; please try again.';
  if (input.error?.Error === 'PlanChangedError') {
    try {
      reason = String((JSON.parse(input.error.Cause ?? '{}') as { errorMessage?: string }).errorMessage ?? input.error.Cause);
    } catch {
      reason = input.error.Cause ?? reason;
    }
  }
  await deps.store.putSyncRun({ ...run, status: 'failed', failureReason: reason, finishedAt: deps.clock.now().toISOString() });
}

function welcomeEmail(to: string, firstName: string, school: string, link: string) {
  const subject = `Welcome to MARK at ${school}`;
  const text = `Dear ${firstName},\n\nAn account has been created for you in the Hodder Education Admin Hub for ${school}.\nSet your password with this link (it works once and expires in 7 days):\n\n${link}\n\nThen sign in with this email address.`;
  const escape = (value: string) =>
    value.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);
  const html = `<p>Dear ${escape(firstName)},</p><p>An account has been created for you in the Hodder Education Admin Hub for ${escape(school)}.</p><p><a href="${escape(link)}">Set your password</a> (the link works once and expires in 7 days), then sign in with this email address.</p>`;
  return { to, subject, text, html };
}
