import * as z from 'zod';
import { AssemblyRevokedError } from '../assembly/errors';
import { withSchoolTokens } from '../connection/authorisation';
import { ConflictError } from '../core/errors';
import { timeOrderedId } from '../core/clock';
import type { NightlyRecord } from '../domain/records';
import type { Dependencies } from '../runtime/dependencies';
import { syncPipeline } from '../sync/pipeline';
import { createRun, runView, type RunKinds } from '../sync/runs';
import { pupilsContext } from '../wizard/pupils/useCases';
import { digestEmail } from './digest';
import { fullListingDue, misMirrorSchema, MIRROR_DOCUMENT, refreshMirror, type MisMirror } from './mirror';
import { emptyWaiting, newlyWaiting, planNight, type Known, type NightPlan, type Waiting } from './plan';
import { nightlyRun } from './run';

/**
 * The nightly sync for one centre, as the nightly state machine's steps call it:
 *
 * 1. `planCentre`: a deauthorised centre is skipped; one whose Hub-writing run is active is
 *    "locked" (the machine waits and asks again, a few times, then gives up for the night);
 *    `/school/status` first, and a school that has not changed since a night that went well
 *    costs that one request; otherwise the mirror is brought up to date and tonight's plan made
 *    and frozen into a `nightly` run (the sync pipeline's child execution applies it);
 * 2. `closeCentre`: how the night ended, recorded; the mirror kept only if the run succeeded
 *    (so a failed night's newcomers are still new tomorrow); the digest to the co-ordinator.
 *
 * Each step is safe to repeat: the record is written conditionally on its version and names
 * its night; the run is created once (its lock), and the digest is claimed before it is sent.
 */
export const planCentreInput = z.object({ centreId: z.string().min(1), nightId: z.string().min(1) });
export const closeCentreInput = planCentreInput.extend({
  outcome: z.enum(['run', 'nothing', 'unchanged', 'locked', 'skipped', 'revoked', 'error']),
  runId: z.string().nullish(),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).nullish(),
});
export type PlanCentreInput = z.infer<typeof planCentreInput>;
export type CloseCentreInput = z.infer<typeof closeCentreInput>;
export type PlanCentreOutcome = { outcome: CloseCentreInput['outcome']; runId: string | null; lockedTries: number };

/** Tonight's plan and mirror, kept until the run has succeeded. */
const PENDING_DOCUMENT = 'nightly#pending';
const mirrorDocumentSchema = z.object({
  mirror: misMirrorSchema,
  waiting: z.object({
    teachers: z.array(z.string()),
    classes: z.array(z.string()),
    mayMatches: z.array(z.object({ hubId: z.string(), misId: z.string() })),
    pupils: z.array(z.string()),
  }),
});
type MirrorDocument = z.infer<typeof mirrorDocumentSchema>;

/** Who a nightly run was started by, in the run's record and the audit. */
export const NIGHTLY_USER = 'nightly-sync';

export async function planCentre(deps: Dependencies, input: PlanCentreInput): Promise<PlanCentreOutcome> {
  const { centreId, nightId } = input;
  const now = deps.clock.now();
  const previous = await deps.store.getNightly(centreId);
  const tonight = previous?.nightId === nightId ? previous : null;
  const record: NightlyRecord = tonight ?? {
    ...freshRecord(centreId, nightId, now.toISOString()),
    version: previous?.version ?? 0,
  };
  const save = (change: Partial<NightlyRecord>) => saveRecord(deps, record, change);
  if (tonight?.runId) return { outcome: 'run', runId: tonight.runId, lockedTries: tonight.lockedTries };

  const connection = await deps.store.getAssemblyConnection(centreId);
  if (!connection || connection.status !== 'connected' || !connection.syncEnabled) {
    await save({ status: 'skipped_deauthorised', finishedAt: now.toISOString(), note: 'Not connected to Assembly.' });
    return { outcome: 'skipped', runId: null, lockedTries: record.lockedTries };
  }
  const locked = async () => {
    const tries = record.lockedTries + 1;
    await save({ lockedTries: tries });
    return { outcome: 'locked' as const, runId: null, lockedTries: tries };
  };
  // Asked before Assembly is: a locked centre spends none of its budget.
  const lock = await deps.store.getRunLock(centreId);
  if (lock && lock.expiresAt > Math.floor(now.getTime() / 1000)) {
    // Our own run, made by an earlier try of this step that stopped before recording it.
    const held = lock.kind === nightlyRun.kind ? await deps.store.getSyncRun(centreId, lock.runId) : null;
    if (held && held.startedBy === NIGHTLY_USER && held.startedAt >= record.startedAt) {
      await save({ status: 'running', runId: held.runId });
      return { outcome: 'run', runId: held.runId, lockedTries: record.lockedTries };
    }
    return locked();
  }

  const kept = await readMirror(deps, centreId, MIRROR_DOCUMENT);
  // A night that left records as they were (changed in the Hub meanwhile) did not go well: tonight tries them again.
  const wentWell =
    previous !== null &&
    previous !== tonight &&
    (previous.status === 'unchanged' || previous.status === 'synced') &&
    previous.counts.errors === 0;
  let fetched: { mirror: MisMirror; full: boolean } | null;
  try {
    fetched = await withSchoolTokens(deps, connection, async (assembly, tokens) => {
      const status = await assembly.schoolStatus(tokens);
      const full = fullListingDue(kept?.mirror ?? null, now, connection.connectedAt);
      const lastChangesAt = status.last_changes_at ?? null;
      if (!full && wentWell && lastChangesAt !== null && lastChangesAt === kept?.mirror.lastChangesAt) return null;
      const mirror = await refreshMirror(assembly, tokens, kept?.mirror ?? null, { full, now, lastChangesAt });
      // Listed in full when it was due, or because the conditional listings disagreed.
      return { mirror, full: mirror.fullAt === mirror.fetchedAt };
    });
  } catch (error) {
    if (!(error instanceof AssemblyRevokedError)) throw error;
    await save({
      status: 'revoked',
      finishedAt: now.toISOString(),
      note: 'Access to your MIS through Assembly has been revoked. Authorise again on the Authorisation step to sync.',
    });
    return { outcome: 'revoked', runId: null, lockedTries: record.lockedTries };
  }
  if (!fetched) {
    await save({
      status: 'unchanged',
      finishedAt: deps.clock.now().toISOString(),
      waiting: waitingSummary(kept?.mirror ?? null, kept?.waiting ?? emptyWaiting()),
    });
    return { outcome: 'unchanged', runId: null, lockedTries: record.lockedTries };
  }

  const [context, teachers] = await Promise.all([pupilsContext(deps, { centreId }), deps.store.listTeachers(centreId)]);
  const waitingBefore = kept?.waiting ?? emptyWaiting();
  const plan = planNight(
    { ...context, teachers },
    fetched.mirror,
    await known(deps, centreId, kept?.mirror ?? null, fetched.mirror),
    waitingBefore,
  );
  const pending: MirrorDocument = { mirror: fetched.mirror, waiting: plan.waiting };
  await deps.store.putDocument(centreId, PENDING_DOCUMENT, JSON.stringify(pending), 'any', deps.clock.now().toISOString());
  let runId: string | null = null;
  if (plan.entries.length) {
    // Tonight's record first: a retry after a crash past createRun knows the run it finds as its own.
    await save({ status: 'running' });
    try {
      runId = (await createRun(deps, { centreId, startedBy: NIGHTLY_USER }, nightlyRun, plan.entries)).runId;
    } catch (error) {
      // A co-ordinator pressed Save since the lock was read.
      if (error instanceof ConflictError) return locked();
      throw error;
    }
  }
  await save({
    status: 'running',
    runId,
    full: fetched.full,
    counts: { ...plannedCounts(plan), errors: 0 },
    waiting: waitingSummary(fetched.mirror, plan.waiting),
    newlyWaiting: newlyWaiting(waitingBefore, plan.waiting),
  });
  return { outcome: runId ? 'run' : 'nothing', runId, lockedTries: record.lockedTries };
}

export async function closeCentre(deps: Dependencies, kinds: RunKinds, input: CloseCentreInput): Promise<NightlyRecord | null> {
  const { centreId, nightId } = input;
  const stored = await deps.store.getNightly(centreId);
  const now = deps.clock.now().toISOString();
  // Planning failed before it wrote tonight's record: a failed night is recorded all the same.
  if ((!stored || stored.nightId !== nightId) && input.outcome !== 'error') return null;
  const record = stored?.nightId === nightId ? stored : { ...freshRecord(centreId, nightId, now), version: stored?.version ?? 0 };
  let closed = record;
  if (record.status === 'running' || input.outcome === 'locked' || input.outcome === 'error') {
    let change: Partial<NightlyRecord>;
    if (input.outcome === 'locked')
      change = {
        status: 'skipped_locked',
        note: 'A sync started in the wizard was still running, so tonight’s changes wait for tomorrow night.',
      };
    else if (input.outcome === 'error' && !record.runId)
      change = {
        status: 'failed',
        note: 'Your MIS data could not be read from Assembly tonight. We will try again tomorrow night.',
      };
    else {
      const run = record.runId ? await deps.store.getSyncRun(centreId, record.runId) : null;
      // The child execution could not record its own end (it never started, or was stopped): the run ends here, its lock let go.
      if (run?.status === 'running' && input.outcome === 'error')
        await syncPipeline(deps, kinds).fail({ centreId, runId: run.runId, error: input.error ?? undefined });
      const ended = run ? await deps.store.getSyncRun(centreId, run.runId) : null;
      const succeeded = !run || ended?.status === 'succeeded';
      if (succeeded) await keepPending(deps, centreId);
      const view = ended ? await runView(deps, ended) : null;
      change = succeeded
        ? { status: 'synced', counts: doneCounts(record.counts, view?.counts ?? null, view?.issueCount ?? 0) }
        : {
            status: 'failed',
            note: 'Tonight’s sync stopped before it had finished. What was done is kept; it will be tried again tomorrow night.',
          };
    }
    closed = await saveRecord(deps, record, { ...change, finishedAt: now });
  }
  return sendDigest(deps, closed);
}

/** A page of connected centres for the nightly Map (one page at a time keeps its input small). */
export const CENTRES_PER_PAGE = 500;
export const listCentresInput = z.object({
  nightId: z.string().min(1).nullish(),
  /** Where the next page starts (the previous page's answer). */
  next: z.string().nullish(),
  /** `npm run sync:nightly -- --centre ID`: only these centres. */
  centreIds: z.array(z.string().min(1)).max(CENTRES_PER_PAGE).nullish(),
  centreId: z.undefined().optional(),
});

export async function listCentres(
  deps: Dependencies,
  input: z.infer<typeof listCentresInput>,
): Promise<{ nightId: string; centres: { centreId: string }[]; next: string | null }> {
  const nightId = input.nightId ?? timeOrderedId(deps.clock.now(), 'night');
  if (input.centreIds) return { nightId, centres: input.centreIds.map((centreId) => ({ centreId })), next: null };
  const page = await deps.store.listConnectedCentres(input.next ?? null, CENTRES_PER_PAGE);
  return { nightId, centres: page.centreIds.map((centreId) => ({ centreId })), next: page.next };
}

function freshRecord(centreId: string, nightId: string, at: string): NightlyRecord {
  const none = { count: 0, names: [] };
  return {
    centreId,
    nightId,
    status: 'running',
    startedAt: at,
    finishedAt: null,
    runId: null,
    lockedTries: 0,
    full: false,
    counts: { imported: 0, linked: 0, changed: 0, outOfSync: 0, errors: 0 },
    waiting: { teachers: none, classes: none, mayMatches: none, pupils: none },
    newlyWaiting: 0,
    note: null,
    digest: 'not_needed',
    version: 0,
  };
}

async function saveRecord(deps: Dependencies, record: NightlyRecord, change: Partial<NightlyRecord>): Promise<NightlyRecord> {
  const next = { ...record, ...change };
  if ((await deps.store.saveNightly(next, record.version)) === 'stale')
    throw new Error('The nightly record was changed by another step; the step is retried');
  Object.assign(record, next, { version: record.version + 1 });
  return record;
}

async function readMirror(deps: Dependencies, centreId: string, name: string): Promise<MirrorDocument | null> {
  const stored = await deps.store.getDocument(centreId, name);
  if (!stored) return null;
  const parsed = mirrorDocumentSchema.safeParse(JSON.parse(stored.text));
  // A mirror that no longer reads (its shape changed) is rebuilt by a full listing.
  return parsed.success ? parsed.data : null;
}

async function keepPending(deps: Dependencies, centreId: string): Promise<void> {
  const pending = await deps.store.getDocument(centreId, PENDING_DOCUMENT);
  if (pending) await deps.store.putDocument(centreId, MIRROR_DOCUMENT, pending.text, 'any', deps.clock.now().toISOString());
}

/**
 * MIS records known before tonight: last night's mirror and what the panels last loaded (the
 * co-ordinator has seen those, and chose what to import); with neither, everything tonight
 * (nothing is new on a centre's first night without a panel's snapshot).
 */
async function known(deps: Dependencies, centreId: string, before: MisMirror | null, tonight: MisMirror): Promise<Known> {
  const snapshot = async (name: string) => {
    const stored = await deps.store.getDocument(centreId, name);
    const parsed = stored
      ? z.object({ records: z.array(z.object({ misId: z.string() })) }).safeParse(JSON.parse(stored.text))
      : null;
    return parsed?.success ? parsed.data.records.map((record) => record.misId) : null;
  };
  const [students, staff, classes] = await Promise.all([
    snapshot('snapshot#pupils'),
    snapshot('snapshot#staff'),
    snapshot('snapshot#classes'),
  ]);
  const union = (seen: string[] | null, mirrored: readonly string[] | null, all: readonly string[]) =>
    new Set(seen === null && mirrored === null ? all : [...(seen ?? []), ...(mirrored ?? [])]);
  return {
    students: union(
      students,
      before ? [...before.students.map((pupil) => pupil.misId), ...before.leftStudentIds] : null,
      tonight.students.map((pupil) => pupil.misId),
    ),
    staff: union(
      staff,
      before ? [...before.staff.map((member) => member.misId), ...before.leftStaffIds] : null,
      tonight.staff.map((member) => member.misId),
    ),
    classes: union(
      classes,
      before ? before.classes.map((group) => group.misId) : null,
      tonight.classes.map((group) => group.misId),
    ),
  };
}

/** What the run did, not what was planned: the pipeline counts links, imports and Out of sync writes it made. */
function doneCounts(
  planned: NightlyRecord['counts'],
  done: Record<string, number> | null,
  errors: number,
): NightlyRecord['counts'] {
  if (!done) return { ...planned, errors };
  const links = done.linked ?? 0;
  const linked = Math.min(planned.linked, links);
  return {
    imported: Math.min(planned.imported, done.imported ?? 0),
    linked,
    changed: Math.min(planned.changed, links - linked),
    outOfSync: Math.min(planned.outOfSync, done.outOfSync ?? 0),
    errors,
  };
}

const plannedCounts = (plan: NightPlan) => ({
  imported: plan.counts.imported,
  linked: plan.counts.linked,
  changed: plan.counts.changed,
  outOfSync: plan.counts.outOfSync,
});

const NAMES_SHOWN = 50;

/** What waits, as the MIS names it: counts of all, names of the first few. */
function waitingSummary(mirror: MisMirror | null, waiting: Waiting): NightlyRecord['waiting'] {
  const pupilName = new Map((mirror?.students ?? []).map((pupil) => [pupil.misId, `${pupil.firstName} ${pupil.lastName}`]));
  const staffName = new Map(
    (mirror?.staff ?? []).map((member) => [
      member.misId,
      [member.title, member.firstName, member.lastName].filter(Boolean).join(' ') || 'A member of staff',
    ]),
  );
  const className = new Map((mirror?.classes ?? []).map((group) => [group.misId, group.name]));
  const list = (ids: readonly string[], names: ReadonlyMap<string, string>) => ({
    count: ids.length,
    names: ids.slice(0, NAMES_SHOWN).map((id) => names.get(id) ?? id),
  });
  return {
    teachers: list(waiting.teachers, staffName),
    classes: list(waiting.classes, className),
    mayMatches: list(
      waiting.mayMatches.map((pair) => pair.misId),
      pupilName,
    ),
    pupils: list(waiting.pupils, pupilName),
  };
}

/** The co-ordinator's digest after a night that changed anything, left something new waiting, or found access revoked. */
async function sendDigest(deps: Dependencies, record: NightlyRecord): Promise<NightlyRecord> {
  const changed = record.counts.imported + record.counts.linked + record.counts.changed + record.counts.outOfSync;
  const wanted =
    (record.status === 'synced' && (changed > 0 || record.newlyWaiting > 0 || record.counts.errors > 0)) ||
    record.status === 'revoked';
  if (!wanted || record.digest === 'sent' || record.digest === 'failed') return record;
  const coordinators = (await deps.store.listAccounts(record.centreId)).filter(
    (account) => account.role === 'access_coordinator',
  );
  if (!coordinators.length) return saveRecord(deps, record, { digest: 'not_needed' });
  // Claimed before it is sent; a claim without a record (a crash after sending) is sent again.
  const claimed = await saveRecord(deps, record, { digest: 'sending' });
  const email = digestEmail(record, deps.appUrl());
  try {
    for (const coordinator of coordinators) await deps.mailer().send({ ...email, to: coordinator.email });
  } catch (error) {
    deps.log.warn('nightly digest not sent', { centreId: record.centreId, error: error instanceof Error ? error.name : 'error' });
    return saveRecord(deps, claimed, { digest: 'failed' });
  }
  deps.metrics.count('NightlyDigestsSent');
  return saveRecord(deps, claimed, { digest: 'sent' });
}
