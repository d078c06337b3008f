import { mapConcurrently } from './mapConcurrently';
import type { RecordKind, SyncRun } from '../domain/records';
import type { Dependencies } from '../runtime/dependencies';
import { unlinked, type SyncFields } from '../core/syncState';

/** How many store calls a step keeps in flight: enough to hide round trips, few enough not to be throttled. */
export const STORE_CONCURRENCY = 8;

/** Backs up Hub records as they are now, once per run and record: a retried Backup never overwrites the first. */
export async function backUp(
  deps: Dependencies,
  run: SyncRun,
  recordKind: RecordKind,
  records: readonly (Record<string, unknown> & { id: string })[],
): Promise<void> {
  const takenAt = deps.clock.now().toISOString();
  await mapConcurrently(records, STORE_CONCURRENCY, ({ id, ...record }) =>
    deps.store.putBackupIfAbsent({ centreId: run.centreId, runId: run.runId, recordKind, recordId: id, record, takenAt }),
  );
}

/**
 * What Unmatch puts back: the record as the newest backup taken before it was linked to its
 * current MIS record, from any run, succeeded or failed. Only the fields a sync writes are
 * restored (`syncedFields`): anything edited since, such as a teacher's email, stays. The
 * record is left Hub-only. With no such backup (an imported record) only the link is removed.
 */
export async function restoredRecord<R extends SyncFields & { version: number; updatedAt?: string | null }>(
  deps: Dependencies,
  centreId: string,
  recordKind: RecordKind,
  recordId: string,
  current: R,
  syncedFields: readonly (keyof R & string)[],
  parse: (stored: Record<string, unknown>) => R,
): Promise<{ record: R; restoredFromRun: string | null }> {
  const backups = await deps.store.listBackups(centreId, recordKind, recordId);
  const before = backups.reverse().find((backup) => backup.record.misId !== current.misId);
  const next = { version: current.version + 1, updatedAt: deps.clock.now().toISOString() };
  if (!before) return { record: { ...current, ...unlinked(), ...next }, restoredFromRun: null };
  const original = parse(before.record);
  const restored: R = { ...current, ...next };
  for (const field of syncedFields) restored[field] = original[field];
  // Unmatched is Hub-only, whatever the record was linked to before.
  return { record: { ...restored, ...unlinked() }, restoredFromRun: before.runId };
}
