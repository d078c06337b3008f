import type * as z from 'zod';
import { timeOrderedId } from '../core/clock';
import { ConflictError, NotFoundError, UnavailableError } from '../core/errors';
import type { RunIssue, Session, SyncRun } from '../domain/records';
import type { Dependencies } from '../runtime/dependencies';
import { RunLockedError } from '../store/syncStore';

/**
 * Runs of the sync pipeline, whatever panel they come from. A panel hands the pipeline a
 * RunKind (through the step registry); this folder knows no panel.
 */

/** Entries each Backup, Apply and Notify invocation works through: a 5,000-record run is many short steps. */
export const CHUNK_SIZE = 100;
/** The state machine's timeout (infra reads it), and the lock's lifetime, which must outlast it. */
export const PIPELINE_TIMEOUT_SECONDS = 2 * 60 * 60;
// Ten minutes past the timeout: Step Functions has stopped the execution by then, so a lapsed run frees the centre soon after.
export const RUN_LOCK_SECONDS = PIPELINE_TIMEOUT_SECONDS + 10 * 60;

/** What one Apply chunk did: counts by outcome, and the records it left alone with why. */
export interface ChunkResult {
  counts: Record<string, number>;
  issues: RunIssue[];
}

/**
 * What a panel supplies for its runs. Each step must be safe to repeat (Step Functions retries
 * a failed step): backups are written once, writes are conditional, emails are claimed.
 */
export interface RunKind<Entry = unknown> {
  kind: string;
  entrySchema: z.ZodType<Entry>;
  /** Entries the Notify step tells someone about (e.g. imported teachers get a welcome email). */
  notices(entries: readonly Entry[]): number;
  backup(deps: Dependencies, run: SyncRun, entries: readonly Entry[]): Promise<void>;
  /** Checks the whole plan against the Hub as it is now; throws PlanChangedError to stop before any write. */
  recheck(deps: Dependencies, run: SyncRun, entries: readonly Entry[]): Promise<void>;
  apply(deps: Dependencies, run: SyncRun, entries: readonly Entry[]): Promise<ChunkResult>;
  notify(deps: Dependencies, run: SyncRun, entries: readonly Entry[], applied: ChunkResult): Promise<void>;
}

export type RunKinds = ReadonlyMap<string, RunKind<never>>;

/** A check before writing found the Hub changed underneath the plan: nothing is written. */
export class PlanChangedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PlanChangedError';
  }
}

/**
 * Freezes a reviewed plan into a run and starts the pipeline. The run's lock makes this the
 * centre's only Hub-writing run: a second Save (double click, second tab) gets a 409 naming
 * what is running. If the pipeline cannot be started, the run is marked failed and the lock let go.
 */
export async function startRun<Entry>(
  deps: Dependencies,
  session: Session,
  kind: RunKind<Entry>,
  entries: readonly Entry[],
): Promise<RunView> {
  const run = await createRun(deps, { centreId: session.centreId, startedBy: session.userId }, kind, entries);
  try {
    await deps.workflow().startSync({ centreId: run.centreId, runId: run.runId });
    deps.metrics.count('RunsStarted');
  } catch {
    const failed: SyncRun = {
      ...run,
      status: 'failed',
      failureReason: 'The sync could not be started, so nothing was changed. Please try again in a few minutes.',
      finishedAt: deps.clock.now().toISOString(),
    };
    await deps.store.endRun(failed);
    throw new UnavailableError(failed.failureReason!);
  }
  return runView(deps, run);
}

/**
 * Freezes a plan into a run, its work list in chunks, and takes the centre's lock, in one
 * transaction; the caller starts the pipeline (a panel's Save through the API, the nightly sync
 * as a child execution of its own state machine). A held lock is a ConflictError naming the run.
 */
export async function createRun<Entry>(
  deps: Dependencies,
  by: { centreId: string; startedBy: string },
  kind: RunKind<Entry>,
  entries: readonly Entry[],
): Promise<SyncRun> {
  const session = { centreId: by.centreId, userId: by.startedBy };
  const now = deps.clock.now();
  const startedAt = now.toISOString();
  const runId = timeOrderedId(now);
  const chunks: Entry[][] = [];
  for (let start = 0; start < entries.length; start += CHUNK_SIZE) chunks.push(entries.slice(start, start + CHUNK_SIZE));
  const run: SyncRun = {
    runId,
    centreId: session.centreId,
    kind: kind.kind,
    startedBy: session.userId,
    startedAt,
    status: 'running',
    step: 'backup',
    total: entries.length,
    chunks: chunks.length,
    notices: kind.notices(entries),
    failureReason: null,
    finishedAt: null,
  };
  const lock = {
    centreId: run.centreId,
    runId,
    kind: run.kind,
    startedAt,
    expiresAt: Math.floor(now.getTime() / 1000) + RUN_LOCK_SECONDS,
  };
  try {
    await deps.store.startRun(run, chunks, lock);
  } catch (error) {
    if (!(error instanceof RunLockedError)) throw error;
    throw new ConflictError(await runningMessage(deps, error.lock?.runId ?? null, session.centreId), 'run_in_progress');
  }
  return run;
}

async function runningMessage(deps: Dependencies, runId: string | null, centreId: string): Promise<string> {
  const running = runId ? await deps.store.getSyncRun(centreId, runId) : null;
  const what = !running
    ? 'Another sync'
    : running.kind === 'nightly'
      ? `Tonight’s automatic sync (started at ${running.startedAt.slice(11, 16)} UTC)`
      : `A ${running.kind} sync started at ${running.startedAt.slice(11, 16)} UTC`;
  return `${what} is still running. Wait for it to finish, then save again.`;
}

/** A run as the co-ordinator follows it: where it is, what it has done, what it left alone and why. */
export interface RunView {
  runId: string;
  kind: string;
  status: SyncRun['status'];
  step: SyncRun['step'];
  /** Of the current step: entries applied while applying, emails sent while notifying. */
  progress: { done: number; total: number };
  counts: Record<string, number>;
  /** Records not changed, with the reason (first 200). */
  issues: RunIssue[];
  issueCount: number;
  notices: { sent: number; alreadySent: number; failed: number; skipped: number; total: number };
  noticeIssues: RunIssue[];
  failureReason: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const ISSUES_SHOWN = 200;

export async function runView(deps: Dependencies, run: SyncRun): Promise<RunView> {
  const [outcomes, notices] = await Promise.all([
    deps.store.listChunkOutcomes(run.centreId, run.runId),
    run.notices > 0 && (run.step === 'notify' || run.step === 'done')
      ? deps.store.listNoticeOutcomes(run.centreId, run.runId)
      : Promise.resolve([]),
  ]);
  const counts: Record<string, number> = {};
  const issues: RunIssue[] = [];
  let applied = 0;
  for (const outcome of outcomes) {
    applied += outcome.size;
    for (const [name, value] of Object.entries(outcome.counts)) counts[name] = (counts[name] ?? 0) + value;
    issues.push(...outcome.issues);
  }
  const tally = { sent: 0, alreadySent: 0, failed: 0, skipped: 0, total: run.notices };
  for (const notice of notices) tally[notice.status === 'already_sent' ? 'alreadySent' : notice.status]++;
  const progress =
    run.step === 'notify'
      ? { done: notices.length, total: run.notices }
      : { done: run.step === 'backup' || run.step === 'recheck' ? 0 : applied, total: run.total };
  // A run past its state machine's timeout never reached its Catch: it has stopped, whatever its record says.
  const lapsed =
    run.status === 'running' && deps.clock.now().getTime() > Date.parse(run.startedAt) + PIPELINE_TIMEOUT_SECONDS * 1000;
  return {
    runId: run.runId,
    kind: run.kind,
    status: lapsed ? 'failed' : run.status,
    step: run.step,
    progress,
    counts,
    issues: issues.slice(0, ISSUES_SHOWN),
    issueCount: issues.length,
    notices: tally,
    noticeIssues: notices
      .filter((notice) => notice.status === 'failed')
      .slice(0, ISSUES_SHOWN)
      .map((notice) => ({ recordId: notice.personId, label: notice.label, reason: notice.reason ?? '' })),
    failureReason: lapsed
      ? 'The sync did not finish in time and was stopped. What was done so far is kept; please save and sync again.'
      : run.failureReason,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}

export async function getRun(deps: Dependencies, session: Session, runId: string): Promise<RunView> {
  const run = await deps.store.getSyncRun(session.centreId, runId);
  if (!run) throw new NotFoundError('No such sync run');
  return runView(deps, run);
}

/** The centre's newest run of a kind, so a panel opened mid-run shows its progress. */
export async function latestRun(deps: Dependencies, session: Session, kind: string): Promise<RunView | null> {
  const newest = await deps.store.latestSyncRun(session.centreId, kind);
  return newest ? runView(deps, newest) : null;
}
