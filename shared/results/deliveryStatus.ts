import * as z from 'zod';
import { timeOrderedId } from '../core/clock';
import { ConflictError, NotFoundError } from '../core/errors';
import type { DeliverySummary, MarkedResult, ParkedMark, PupilSummary, Session } from '../domain/records';
import type { Dependencies } from '../runtime/dependencies';
import { searchAndPage, type UserPage } from '../users/listUsers';
import { paperById, paperWords } from './papers';
import { sendsResults } from './sharing';

/**
 * The co-ordinator's view of what became of each marked paper in Assembly: sent, waiting, parked
 * (Assembly asked us to wait, or was not answering), failed with the reason, or not for Assembly
 * (sharing off, the pupil not synced); and a way to send failed ones again once the cause is fixed.
 */

export const DELIVERY_STATES = ['sent', 'waiting', 'parked', 'failed', 'not_sent'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const deliveryStatusQuerySchema = z.strictObject({
  status: z.enum(DELIVERY_STATES, { error: 'Choose sent, waiting, parked, failed or not_sent' }).optional(),
  /** Part of a pupil's name, or of a paper's. */
  q: z.string().trim().max(100, 'Search for at most 100 characters').optional(),
  pupil: z.string().min(1).max(200).optional(),
  page: z
    .string()
    .regex(/^[1-9][0-9]{0,4}$/, 'A page number: 1, 2, 3…')
    .optional(),
});
export type DeliveryStatusQuery = z.infer<typeof deliveryStatusQuerySchema>;

export interface DeliveryRow {
  resultId: string;
  pupilId: string;
  pupilName: string;
  paper: string;
  standardisedScore: number;
  sat: string;
  state: DeliveryState;
  /** Why it failed, waits or is not for Assembly, in the co-ordinator's words. */
  reason: string | null;
  /** Sent or failed at; parked until. */
  at: string | null;
  /** What a retry sends back, so that it never retries over a new mark. */
  version: number;
}

export interface DeliveryStatusList extends UserPage<DeliveryRow> {
  /** Results in each state, before searching and filtering. */
  counts: Record<DeliveryState, number>;
  /** Waiting for over an hour: most likely in a dead-letter queue, which alarms for support to redrive. */
  stuck: number;
  sharing: boolean;
}

/** A result waiting this long is not on its way (the sender takes seconds, parking says so). */
const STUCK_AFTER_MS = 60 * 60 * 1000;

/** What decides a result's state. */
export interface DeliveryFacts {
  result: Pick<MarkedResult, 'version'>;
  pupil: Pick<PupilSummary, 'syncStatus'>;
  delivery: DeliverySummary | null;
  parked: ParkedMark | null;
  sends: boolean;
  now: Date;
}

/** One result's state and reason: the Marking page's words and this list's come from here. */
export function deliveryState(facts: DeliveryFacts): { state: DeliveryState; reason: string | null; at: string | null } {
  const { result, pupil, delivery, parked, sends, now } = facts;
  const current = delivery !== null && delivery.version >= result.version;
  if (current && delivery.status === 'sent') return { state: 'sent', reason: null, at: delivery.at };
  if (current && delivery.status === 'failed')
    return { state: 'failed', reason: delivery.reason ?? 'Assembly refused it', at: delivery.at };
  const sentBefore = delivery?.status === 'sent' ? ' It was sent before this change.' : '';
  if (!sends) return { state: 'not_sent', reason: `Sharing with Assembly is off.${sentBefore}`, at: null };
  if (pupil.syncStatus !== 'synced')
    return { state: 'not_sent', reason: `The pupil is not synced with your MIS.${sentBefore}`, at: null };
  if (parked && Date.parse(parked.until) > now.getTime()) return { state: 'parked', reason: parked.reason, at: parked.until };
  return { state: 'waiting', reason: delivery?.status === 'sending' ? 'Being sent' : null, at: null };
}

const byName = (a: DeliveryRow, b: DeliveryRow) =>
  a.pupilName.localeCompare(b.pupilName, 'en-GB') || a.paper.localeCompare(b.paper, 'en-GB', { numeric: true });

/** Every result of the centre with its delivery state, searched, filtered and paged. */
export async function listDeliveryStatus(
  deps: Pick<Dependencies, 'store' | 'clock'>,
  centreId: string,
  query: DeliveryStatusQuery = {},
): Promise<DeliveryStatusList> {
  const { store } = deps;
  const [results, deliveries, parked, pupils, sharing, connection] = await Promise.all([
    store.listResultSummaries(centreId),
    store.listDeliverySummaries(centreId),
    store.listParkedMarks(centreId),
    store.listPupilSummaries(centreId),
    store.getSharing(centreId),
    store.getAssemblyConnection(centreId),
  ]);
  const sends = sendsResults(sharing, connection);
  const now = deps.clock.now();
  const deliveryOf = new Map(deliveries.map((delivery) => [delivery.resultId, delivery]));
  const parkedOf = new Map(parked.map((mark) => [mark.resultId, mark]));
  const pupilOf = new Map(pupils.map((pupil) => [pupil.pupilId, pupil]));
  const counts = Object.fromEntries(DELIVERY_STATES.map((state) => [state, 0])) as Record<DeliveryState, number>;
  let stuck = 0;
  // A deleted pupil's results wait with them under Recently deleted: not listed here.
  const rows = results.flatMap((result): DeliveryRow[] => {
    const pupil = pupilOf.get(result.pupilId);
    if (!pupil) return [];
    const paper = paperById(result.paperId);
    const { state, reason, at } = deliveryState({
      result,
      pupil,
      delivery: deliveryOf.get(result.resultId) ?? null,
      parked: parkedOf.get(result.resultId) ?? null,
      sends,
      now,
    });
    counts[state]++;
    if (state === 'waiting' && now.getTime() - Date.parse(result.retriedAt ?? result.markedAt) > STUCK_AFTER_MS) stuck++;
    return [
      {
        resultId: result.resultId,
        pupilId: result.pupilId,
        pupilName: `${pupil.firstName} ${pupil.lastName}`,
        paper: paper ? paperWords(paper) : result.paperId,
        standardisedScore: result.standardisedScore,
        sat: result.sat,
        state,
        reason,
        at,
        version: result.version,
      },
    ];
  });
  const page = searchAndPage(
    rows.sort(byName),
    (row) => `${row.pupilName} ${row.paper} ${row.reason ?? ''}`,
    query,
    (row) => (!query.status || row.state === query.status) && (!query.pupil || row.pupilId === query.pupil),
  );
  return { ...page, counts, stuck, sharing: sends };
}

/** At most this many results in one Retry. */
export const MAX_RETRY = 100;

export const retryResultsBody = z.strictObject({
  results: z
    .array(z.strictObject({ resultId: z.string().min(1).max(300), version: z.number().int().positive() }))
    .min(1, 'Choose at least one result to send again')
    .max(MAX_RETRY, `Send at most ${MAX_RETRY} results again at a time`),
});
export type RetryResultsBody = z.infer<typeof retryResultsBody>;

/**
 * Sends failed results again, once their cause is fixed (a grade added to Assembly's grade set,
 * say): each becomes a new version of itself, conditional on the version the list showed, so
 * the results stream hands it to the sender again, which plans it afresh. All are checked before
 * any is written; a Retry sent again counts what it already did.
 */
export async function retryResults(
  deps: Pick<Dependencies, 'store' | 'clock'>,
  session: Session,
  body: RetryResultsBody,
): Promise<{ retried: number }> {
  const { store } = deps;
  const { centreId } = session;
  const now = deps.clock.now();
  const chosen = [...new Map(body.results.map((one) => [one.resultId, one])).values()];
  const [results, deliveries, sharing, connection] = await Promise.all([
    Promise.all(chosen.map((one) => store.getResult(centreId, one.resultId))),
    store.listResultDeliveries(
      centreId,
      chosen.map((one) => one.resultId),
    ),
    store.getSharing(centreId),
    store.getAssemblyConnection(centreId),
  ]);
  if (results.some((result) => !result)) throw new NotFoundError('A result you chose no longer exists. Reload the page.');
  if (!sendsResults(sharing, connection))
    throw new ConflictError(
      'Results are not being shared with Assembly, so nothing would be sent. Switch sharing on first.',
      'not_sharing',
    );
  const toRetry: MarkedResult[] = [];
  let already = 0;
  for (const [index, one] of chosen.entries()) {
    const result = results[index]!;
    const delivery = deliveries.get(one.resultId);
    // Retried by this same request before (a double click, a lost answer), and not failed again since: done.
    const failedAgain = delivery?.status === 'failed' && delivery.version >= result.version;
    if (result.version === one.version + 1 && result.retriedAt && !failedAgain) {
      already++;
      continue;
    }
    const failed = delivery?.status === 'failed' && delivery.version >= result.version;
    if (result.version !== one.version || !failed)
      throw new ConflictError(
        'Only results that failed can be sent again, and some you chose have changed since. Reload the page.',
        'not_failed',
      );
    toRetry.push(result);
  }
  let retried = already;
  for (const result of toRetry) {
    const next: MarkedResult = { ...result, version: result.version + 1, retriedAt: now.toISOString() };
    if ((await store.putResult(next, result.version)) === 'stale')
      throw new ConflictError(`${retried} sent again; the others were marked again meanwhile. Reload the page.`, 'stale');
    retried++;
    await store.appendAudit({
      auditId: timeOrderedId(now, 'retry'),
      centreId,
      actorUserId: session.userId,
      action: 'result.retried',
      subject: result.resultId,
      at: now.toISOString(),
      detail: { version: String(next.version) },
    });
  }
  return { retried };
}
