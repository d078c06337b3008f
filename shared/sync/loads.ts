import * as z from 'zod';
import { timeOrderedId } from '../core/clock';
import { NotFoundError, UnavailableError } from '../core/errors';
import type { LoadJob, Session } from '../domain/records';
import type { Dependencies } from '../runtime/dependencies';

/**
 * Loads are jobs: opening a panel that needs Assembly data starts a load, which a Step
 * Functions task runs, and the panel polls its progress. No HTTP request waits on Assembly
 * (API Gateway ends requests at 29 s; a large school's first fetch can take longer).
 */
export interface LoadKind {
  kind: string;
  /** Fetches the panel's MIS records and keeps them as its snapshot, telling progress per page. */
  fetch(deps: Dependencies, centreId: string, progress: (pages: number, records: number) => Promise<void>): Promise<void>;
}

export type LoadKinds = ReadonlyMap<string, LoadKind>;

/** A load not finished in this time is taken as lost: it outlasts the load machine's 45-minute timeout. */
const LOAD_EXPIRY_SECONDS = 50 * 60;

export const loadInputSchema = z.object({ centreId: z.string().min(1), loadId: z.string().min(1) });
export const loadFailedInputSchema = loadInputSchema.extend({
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

export type LoadView = Pick<
  LoadJob,
  'loadId' | 'kind' | 'status' | 'pages' | 'records' | 'failureReason' | 'startedAt' | 'finishedAt'
>;

const view = ({ loadId, kind, status, pages, records, failureReason, startedAt, finishedAt }: LoadJob): LoadView => ({
  loadId,
  kind,
  status,
  pages,
  records,
  failureReason,
  startedAt,
  finishedAt,
});

/** Starts a load of a panel's MIS records; opening the panel again while one runs joins it. */
export async function startLoad(deps: Dependencies, session: Session, kind: LoadKind): Promise<LoadView> {
  const now = deps.clock.now();
  const load: LoadJob = {
    loadId: timeOrderedId(now, kind.kind),
    centreId: session.centreId,
    kind: kind.kind,
    startedBy: session.userId,
    startedAt: now.toISOString(),
    status: 'running',
    pages: 0,
    records: 0,
    failureReason: null,
    finishedAt: null,
    expiresAt: Math.floor(now.getTime() / 1000) + LOAD_EXPIRY_SECONDS,
  };
  const running = await deps.store.startLoad(load);
  if (running.loadId !== load.loadId) return view(running);
  try {
    await deps.workflow().startLoad({ centreId: load.centreId, loadId: load.loadId });
  } catch {
    const failed = { ...load, status: 'failed' as const, failureReason: NOT_STARTED, finishedAt: deps.clock.now().toISOString() };
    await deps.store.putLoad(failed);
    throw new UnavailableError(NOT_STARTED);
  }
  return view(load);
}

const NOT_STARTED = 'Your MIS data could not be loaded just now. Please try again in a few minutes.';

export async function getLoad(deps: Dependencies, session: Session, loadId: string): Promise<LoadView> {
  const load = await deps.store.getLoad(session.centreId, loadId);
  if (!load) throw new NotFoundError('No such load');
  // A load whose execution timed out or was stopped never reached its Catch: say so rather than spin.
  if (load.status === 'running' && load.expiresAt < Math.floor(deps.clock.now().getTime() / 1000))
    return {
      ...view(load),
      status: 'failed',
      failureReason: 'Loading your MIS data took too long and was stopped. Please try again.',
    };
  return view(load);
}

/** The load job's task: fetch, with progress written per page, then mark it done. */
export async function runLoad(deps: Dependencies, kinds: LoadKinds, input: z.infer<typeof loadInputSchema>): Promise<void> {
  const load = await deps.store.getLoad(input.centreId, input.loadId);
  if (!load) throw new Error('The load record is missing');
  if (load.status !== 'running') return;
  const kind = kinds.get(load.kind);
  if (!kind) throw new Error(`No load of kind ${load.kind}`);
  await kind.fetch(deps, load.centreId, (pages, records) => deps.store.putLoad({ ...load, pages, records }));
  const latest = (await deps.store.getLoad(input.centreId, input.loadId)) ?? load;
  await deps.store.putLoad({ ...latest, status: 'done', finishedAt: deps.clock.now().toISOString() });
}

/** The load job's Catch: why it stopped, in words the co-ordinator can act on. */
export async function failLoad(deps: Dependencies, input: z.infer<typeof loadFailedInputSchema>): Promise<void> {
  const load = await deps.store.getLoad(input.centreId, input.loadId);
  if (!load) throw new Error('The load record is missing');
  await deps.store.putLoad({
    ...load,
    status: 'failed',
    failureReason: loadFailure(input.error?.Error),
    finishedAt: deps.clock.now().toISOString(),
  });
  deps.metrics.count('LoadsFailed');
}

function loadFailure(error: string | undefined): string {
  switch (error) {
    case 'AssemblyRevokedError':
      return 'Access to your MIS through Assembly has been revoked. Please authorise again on the Authorisation step.';
    case 'AssemblyScopeError':
      return 'Your school has not granted a permission this panel needs in Assembly. Please authorise again and approve it.';
    case 'AssemblyRateLimitError':
    case 'AssemblyUnavailableError':
      return 'Assembly is not answering at the moment. Please try again in a few minutes.';
    default:
      return 'Your MIS data could not be loaded because of an error on our side. Please try again.';
  }
}
