import * as z from 'zod';
import { welcomeEmail } from '../../auth/emails';
import { setPasswordUrl, storeSetPasswordLink } from '../../auth/setPassword';
import { refusedForGood } from '../../mail/refusals';
import { hashToken, newToken } from '../../auth/tokens';
import { linkedTo } from '../../core/syncState';
import { FULL_ACCESS, type Account, type HubTeacher, type SyncRun, type WelcomeClaim } from '../../domain/records';
import type { Dependencies } from '../../runtime/dependencies';
import { backUp, STORE_CONCURRENCY } from '../../sync/backups';
import { mapConcurrently } from '../../sync/mapConcurrently';
import { persistently } from '../../sync/persistently';
import { PlanChangedError, type RunKind } from '../../sync/runs';
import { applyLink, linkEntryFields, tally, type ApplyOutcome } from '../review/apply';
import { importedTeacherId, importedUserId } from './ids';

/** What a teachers run does, one entry per teacher, frozen when Save and sync is pressed. */
const linkEntry = z.object({
  ...linkEntryFields,
  title: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
});
const importEntry = z.object({
  op: z.literal('import'),
  misId: z.string(),
  label: z.string(),
  title: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
});
/** A teacher imported by an earlier run whose welcome email was never sent (that run failed, or SES refused it). */
const welcomeEntry = z.object({
  op: z.literal('welcome'),
  misId: z.string(),
  label: z.string(),
  firstName: z.string(),
  email: z.string(),
});
export const teacherEntrySchema = z.discriminatedUnion('op', [linkEntry, importEntry, welcomeEntry]);
export type TeacherEntry = z.infer<typeof teacherEntrySchema>;

const EMAIL_CONCURRENCY = 4;
const SMALL_RUN = 500;

const CHANGED_SINCE_REVIEW =
  'Changed in the Admin Hub since you reviewed it, so it was left as it is. Review the Teachers panel again.';
const LINKED_ELSEWHERE = 'This member of staff is already linked to another Admin Hub teacher, so nothing was changed.';

export const teachersRun: RunKind<TeacherEntry> = {
  kind: 'teachers',
  entrySchema: teacherEntrySchema,
  notices: (entries) => entries.filter((entry) => entry.op !== 'link').length,

  async backup(deps, run, entries) {
    const linked = new Set(entries.flatMap((entry) => (entry.op === 'link' ? [entry.hubId] : [])));
    // A school's few hundred teachers come in one query, fewer round trips than a read each; a
    // large run reads only its chunk's teachers, never the whole Hub once per chunk.
    const teachers =
      run.total <= SMALL_RUN
        ? (await deps.store.listTeachers(run.centreId)).filter((teacher) => linked.has(teacher.teacherId))
        : await mapConcurrently([...linked], STORE_CONCURRENCY, (hubId) => deps.store.getTeacher(run.centreId, hubId));
    await backUp(
      deps,
      run,
      'teacher',
      teachers.flatMap((teacher) => (teacher ? [{ id: teacher.teacherId, ...teacher }] : [])),
    );
  },

  async recheck(deps, run, entries) {
    const teachers = new Map((await deps.store.listTeachers(run.centreId)).map((teacher) => [teacher.teacherId, teacher]));
    for (const entry of entries) {
      if (entry.op === 'link' && !teachers.has(entry.hubId))
        throw new PlanChangedError(
          'A Hub teacher in the plan has been deleted since it was made. Review the Teachers panel and save again.',
        );
    }
    const imports = entries.filter((entry) => entry.op === 'import');
    const holders = await mapConcurrently(imports, STORE_CONCURRENCY, (entry) => deps.store.emailHolder(entry.email));
    imports.forEach((entry, index) => {
      const holder = holders[index];
      if (holder && !(holder.centreId === run.centreId && holder.userId === importedUserId(run.centreId, entry.misId)))
        throw new PlanChangedError(
          'An email address in the plan has been taken by another account since the plan was made. Review the Teachers panel, choose another and save again.',
        );
    });
  },

  async apply(deps, run, entries) {
    const writes = entries.filter((entry) => entry.op !== 'welcome');
    const outcomes = await mapConcurrently(writes, STORE_CONCURRENCY, (entry) =>
      entry.op === 'link' ? linkTeacher(deps, run, entry) : importTeacher(deps, run, entry),
    );
    return tally(outcomes);
  },

  async notify(deps, run, entries, applied) {
    const skipped = new Set(applied.issues.map((issue) => issue.recordId));
    const centre = await deps.store.getCentre(run.centreId);
    const people = entries.filter((entry) => entry.op !== 'link');
    // A few at a time: well under SES's sending rate (14 a second by default); the mailer backs off if throttled.
    await mapConcurrently(people, EMAIL_CONCURRENCY, (entry) =>
      skipped.has(entry.misId)
        ? deps.store.putNoticeOutcome({
            centreId: run.centreId,
            runId: run.runId,
            personId: entry.misId,
            label: entry.label,
            status: 'skipped',
            reason: null,
          })
        : welcome(deps, run, entry, centre?.name ?? 'your school'),
    );
  },
};

async function linkTeacher(deps: Dependencies, run: SyncRun, entry: z.infer<typeof linkEntry>): Promise<ApplyOutcome> {
  // The MIS wins for the names and title it holds.
  const fields = Object.fromEntries(
    (['title', 'firstName', 'lastName'] as const).flatMap((field) => (entry[field] ? [[field, entry[field]]] : [])),
  );
  return applyLink(deps, run, 'teacher', entry, fields, () => deps.store.getTeacher(run.centreId, entry.hubId), {
    changed: CHANGED_SINCE_REVIEW,
    linkedElsewhere: LINKED_ELSEWHERE,
  });
}

/**
 * Imports a new teacher: the Hub teacher, their sign-in account, the email guard and the link
 * guard in one transaction. A teacher imported before and since unmatched is linked again.
 */
async function importTeacher(deps: Dependencies, run: SyncRun, entry: z.infer<typeof importEntry>): Promise<ApplyOutcome> {
  const now = deps.clock.now().toISOString();
  const teacherId = importedTeacherId(run.centreId, entry.misId);
  const teacher: HubTeacher = {
    teacherId,
    centreId: run.centreId,
    title: entry.title,
    firstName: entry.firstName,
    lastName: entry.lastName,
    email: entry.email,
    ...linkedTo(entry.misId),
    version: 1,
    lastRunId: run.runId,
    createdAt: now,
    updatedAt: now,
  };
  const account: Account = {
    userId: importedUserId(run.centreId, entry.misId),
    centreId: run.centreId,
    email: entry.email,
    role: 'teacher',
    displayName: `${entry.firstName} ${entry.lastName}`,
    teacherId,
    passwordHash: null,
    createdAt: now,
    sessionVersion: 0,
    liveLinkHash: null,
    ...FULL_ACCESS,
  };
  const written = await deps.store.importTeacher(teacher, account);
  if (written.ok) return { done: 'imported' };
  const existing = await deps.store.getTeacher(run.centreId, teacherId);
  if (existing?.misId === entry.misId) return { done: 'imported' };
  if (existing && existing.misId === null) {
    const relinked = await linkTeacher(deps, run, {
      ...entry,
      op: 'link',
      hubId: teacherId,
      replacesMisId: null,
      version: existing.version,
    });
    return 'issue' in relinked ? relinked : { done: 'imported' };
  }
  const reason = written.failed.has('email')
    ? `The email address ${entry.email} belongs to another account, so this teacher was not imported.`
    : written.failed.has('guard')
      ? LINKED_ELSEWHERE
      : CHANGED_SINCE_REVIEW;
  return { issue: { recordId: entry.misId, label: entry.label, reason } };
}

/**
 * A welcome email with a single-use set-password link, once per centre and MIS person: claimed,
 * sent, then marked sent with SES's message id. A claim left unsent (a crash, a failed send) is
 * sent again by the next attempt, whose new link replaces the old one, so only one link is live.
 */
async function welcome(
  deps: Dependencies,
  run: SyncRun,
  entry: Pick<z.infer<typeof importEntry>, 'misId' | 'label' | 'firstName' | 'email'>,
  school: string,
): Promise<void> {
  const notice = (status: 'sent' | 'already_sent' | 'failed', reason: string | null) =>
    deps.store.putNoticeOutcome({
      centreId: run.centreId,
      runId: run.runId,
      personId: entry.misId,
      label: entry.label,
      status,
      reason,
    });
  const token = newToken();
  const now = deps.clock.now();
  const claim = {
    centreId: run.centreId,
    misId: entry.misId,
    runId: run.runId,
    status: 'claimed' as const,
    tokenHash: hashToken(token),
    messageId: null,
    claimedAt: now.toISOString(),
    sentAt: null,
  };
  // First claims need one write; only a person claimed before (welcomed, or a send to redo) needs a read.
  let earlier: WelcomeClaim | null = null;
  if (!(await deps.store.putWelcomeClaim(claim, { absent: true }))) {
    earlier = await deps.store.getWelcomeClaim(run.centreId, entry.misId);
    // Sent by this run (a retried step): it is this run's email, not an earlier one's.
    if (earlier?.status === 'sent') return notice(earlier.runId === run.runId ? 'sent' : 'already_sent', null);
    if (!earlier) return notice('already_sent', null);
    if (!(await deps.store.putWelcomeClaim(claim, { unsentWithToken: earlier.tokenHash }))) return notice('already_sent', null);
  }
  if (earlier?.tokenHash) await deps.store.deleteSetPasswordToken(earlier.tokenHash);
  if (
    !(await storeSetPasswordLink(
      deps.store,
      { userId: importedUserId(run.centreId, entry.misId), centreId: run.centreId },
      token,
      'welcome',
      deps.clock,
    ))
  )
    throw new Error('The imported account is missing');
  let messageId: string;
  try {
    const link = setPasswordUrl(deps.appUrl(), token);
    ({ messageId } = await deps.mailer().send(welcomeEmail(entry.email, entry.firstName, school, link)));
  } catch (error) {
    // SES still throttling after the mailer's own retries, or a network failure: fail the step, so
    // that Step Functions tries again later; the claim makes the retry send this email once.
    if (!refusedForGood(error)) throw error;
    // Refused for good (e.g. the address is rejected): said on the run; the next Save and sync tries again.
    return notice('failed', `The welcome email could not be sent (${error instanceof Error ? error.name : 'error'})`);
  }
  // The email has gone: recording it must not fail the step, whose retry would send it again.
  const sentAt = deps.clock.now().toISOString();
  await persistently(() =>
    deps.store.putWelcomeClaim({ ...claim, status: 'sent', messageId, sentAt }, { unsentWithToken: claim.tokenHash }),
  );
  await persistently(() => notice('sent', null));
}
