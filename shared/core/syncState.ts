import * as z from 'zod';

/**
 * Sync state: the one definition every Hub record (teacher, pupil, year group, class) shares.
 * See docs/sync-state.md.
 *
 * - Synced: linked to a MIS record; the MIS manages it (read-only in the Hub but for a
 *   teacher's email).
 * - Out of sync, with a reason: it was synced and no longer is. The link (misId) is kept, so
 *   that when the reason goes away (the school re-authorises, the pupil comes back) the next
 *   run makes it Synced again.
 * - None: Hub-only, never linked or unmatched; fully editable.
 */
export const syncStatusSchema = z.enum(['synced', 'out_of_sync', 'none']);
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const outOfSyncReasonSchema = z.enum(['left_mis', 'outside_synced_groups', 'deauthorised']);
export type OutOfSyncReason = z.infer<typeof outOfSyncReasonSchema>;

export type SyncState = { state: 'synced' } | { state: 'out_of_sync'; reason: OutOfSyncReason } | { state: 'none' };

/** The stored fields that hold a record's sync state. */
export interface SyncFields {
  misId: string | null;
  syncStatus: SyncStatus;
  syncReason: OutOfSyncReason | null;
}

export const OUT_OF_SYNC_WORDS: Record<OutOfSyncReason, string> = {
  left_mis: 'Left your MIS',
  outside_synced_groups: 'No longer in a year group or class you sync',
  deauthorised: 'The connection to Assembly was deauthorised',
};

export function syncStateOf(record: SyncFields): SyncState {
  if (!record.misId || record.syncStatus === 'none') return { state: 'none' };
  if (record.syncStatus === 'synced') return { state: 'synced' };
  return { state: 'out_of_sync', reason: record.syncReason ?? 'left_mis' };
}

/** Linked by a run: Synced, whatever it was before. */
export const linkedTo = (misId: string): SyncFields => ({ misId, syncStatus: 'synced', syncReason: null });

/** Unmatched: back to Hub-only (not Out of sync). */
export const unlinked = (): SyncFields => ({ misId: null, syncStatus: 'none', syncReason: null });

/** A Synced record stops being synced for a reason; the link is kept. Others are unchanged. */
export function outOfSync<R extends SyncFields>(record: R, reason: OutOfSyncReason): R {
  return record.syncStatus === 'synced' && record.misId ? { ...record, syncStatus: 'out_of_sync', syncReason: reason } : record;
}
