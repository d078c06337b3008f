import * as z from 'zod';
import { ConflictError, ValidationError } from '../../core/errors';
import type { Session, SharingPreferences } from '../../domain/records';
import { listDeliveryStatus, type DeliveryStatusList } from '../../results/deliveryStatus';
import type { Dependencies } from '../../runtime/dependencies';
import { whyNotSharing } from '../../results/sharing';

export const sharingBody = z
  .object({
    /** The version of the preferences the co-ordinator saw (0: never saved). */
    version: z.number().int().nonnegative(),
    shareAll: z.boolean(),
    shareHistorical: z.boolean(),
  })
  .strict();
export type SharingBody = z.infer<typeof sharingBody>;

export interface FinishView {
  /** What the wizard has synced, by kind of record. */
  synced: { teachers: number; yearGroups: number; classes: number; pupils: number };
  sharing: {
    shareAll: boolean;
    shareHistorical: boolean;
    version: number;
    changedAt: string | null;
    changedBy: string | null;
  };
  /** Why sharing cannot be switched on now, in words; null when it can. */
  cannotShare: string | null;
  /** Sharing is on, but nothing is sent: the connection is off. */
  paused: string | null;
  /** What became of the school's marked papers in Assembly (MARK › Results in Assembly has each). */
  results: Pick<DeliveryStatusList, 'counts' | 'stuck' | 'total'>;
}

const noPreferences = (centreId: string): SharingPreferences => ({
  centreId,
  shareAll: false,
  shareHistorical: false,
  changedBy: null,
  changedAt: null,
  version: 0,
});

/** The Finish panel: what was synced, and the school's data sharing preferences. */
export async function finishView(deps: Dependencies, session: Session): Promise<FinishView> {
  const { centreId } = session;
  const [teachers, yearGroups, classes, pupils, connection, stored] = await Promise.all([
    deps.store.listTeachers(centreId),
    deps.store.listYearGroups(centreId),
    deps.store.listClasses(centreId),
    deps.store.listPupils(centreId),
    deps.store.getAssemblyConnection(centreId),
    deps.store.getSharing(centreId),
  ]);
  const { counts, stuck, total } = await listDeliveryStatus(deps, centreId);
  const preferences = stored ?? noPreferences(centreId);
  const changedBy = preferences.changedBy ? await deps.store.getAccount(centreId, preferences.changedBy) : null;
  const synced = (records: readonly { syncStatus: string }[]) =>
    records.filter((record) => record.syncStatus === 'synced').length;
  const blocked = whyNotSharing(connection);
  return {
    synced: { teachers: synced(teachers), yearGroups: synced(yearGroups), classes: synced(classes), pupils: synced(pupils) },
    sharing: {
      shareAll: preferences.shareAll,
      shareHistorical: preferences.shareHistorical,
      version: preferences.version,
      changedAt: preferences.changedAt,
      changedBy: changedBy?.displayName ?? null,
    },
    cannotShare: blocked,
    paused: preferences.shareAll && blocked ? `Sharing is on, but no results are being sent. ${blocked}` : null,
    results: { counts, stuck, total },
  };
}

/**
 * Saves the preferences, recording who chose them and when, if nobody changed them since they
 * were read. Sharing cannot be switched on without the upload permission; switching it off is
 * always allowed, and stops sending at once (the sender reads these preferences for every result).
 */
export async function saveSharing(deps: Dependencies, session: Session, body: SharingBody): Promise<FinishView> {
  const { centreId } = session;
  if (body.shareHistorical && !body.shareAll)
    throw new ValidationError({ shareHistorical: 'Historical data is shared only while “Share all available data” is on' });
  const [connection, stored] = await Promise.all([deps.store.getAssemblyConnection(centreId), deps.store.getSharing(centreId)]);
  const current = stored ?? noPreferences(centreId);
  const blocked = whyNotSharing(connection);
  if (body.shareAll && !current.shareAll && blocked) throw new ConflictError(blocked, 'upload_scope_missing');
  if (current.version !== body.version)
    throw new ConflictError('Someone changed the data sharing preferences since you opened them: look again.', 'stale');
  if (current.shareAll === body.shareAll && current.shareHistorical === body.shareHistorical) return finishView(deps, session);
  const now = deps.clock.now().toISOString();
  const next: SharingPreferences = {
    centreId,
    shareAll: body.shareAll,
    shareHistorical: body.shareHistorical,
    changedBy: session.userId,
    changedAt: now,
    version: current.version + 1,
  };
  const saved = await deps.store.saveSharing(next, current.version, {
    // One entry per version: a retried save that already landed is refused as stale, never written twice.
    auditId: `sharing-${next.version}`,
    centreId,
    actorUserId: session.userId,
    action: 'sharing.changed',
    subject: 'centre:sharing',
    at: now,
    detail: { shareAll: String(next.shareAll), shareHistorical: String(next.shareHistorical) },
  });
  if (saved === 'stale')
    throw new ConflictError('Someone changed the data sharing preferences since you opened them: look again.', 'stale');
  return finishView(deps, session);
}
