import { timeOrderedId, type Clock } from '../core/clock';
import { NotFoundError } from '../core/errors';
import type { HubStore } from '../store/hubStore';

/** Who the audit log names for an erasure support made on the school's request. */
export const SUPPORT_ERASURE_USER = 'support:erase';

export interface ErasureReport {
  erased: Record<string, number>;
  /** What the Hub could not erase, in words for the operator to pass on. */
  notErased: string[];
}

/**
 * Erases a pupil now and everything the Hub holds about them (a school's erasure request, run by
 * support, never by an API route), audited by id only. Says what it could not erase: results
 * already shared with Assembly, and DynamoDB's point-in-time recovery copies.
 */
export async function erasePupilNow(
  deps: { store: HubStore; clock: Clock },
  centreId: string,
  pupilId: string,
): Promise<ErasureReport> {
  const now = deps.clock.now();
  const outcome = await deps.store.erasePupilNow(centreId, pupilId, {
    auditId: timeOrderedId(now, 'erase-now'),
    centreId,
    actorUserId: SUPPORT_ERASURE_USER,
    action: 'pupil.erased_now',
    subject: pupilId,
    at: now.toISOString(),
    detail: {},
  });
  if (!outcome) throw new NotFoundError(`The centre ${centreId} has no pupil ${pupilId} (nor one under Recently deleted).`);
  const notErased = [
    ...(outcome.sentToAssembly
      ? [
          `${outcome.sentToAssembly} result${outcome.sentToAssembly === 1 ? ' was' : 's were'} already shared with Assembly and are in the school's MIS: the school removes them there.`,
        ]
      : []),
    'Copies in DynamoDB point-in-time recovery: gone within 35 days.',
    ...outcome.left.map((kind) => `Still mentioned in ${kind} items: look at these by hand.`),
  ];
  return { erased: outcome.erased, notErased };
}
