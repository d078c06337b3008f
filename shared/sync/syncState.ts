import { outOfSync, type OutOfSyncReason, type SyncFields } from '../core/syncState';
import type { RecordKind } from '../domain/records';
import type { Dependencies } from '../runtime/dependencies';
import { STORE_CONCURRENCY } from './backups';
import { mapConcurrently } from './mapConcurrently';

/**
 * Every Synced record of a centre becomes Out of sync for a reason (e.g. the connection was
 * deauthorised); the links are kept, so the next run after re-authorising makes them Synced
 * again. Each write is conditional on the record's version: one edited meanwhile is re-read.
 */
export async function markOutOfSync(deps: Dependencies, centreId: string, reason: OutOfSyncReason): Promise<number> {
  const kinds: { kind: RecordKind; list(): Promise<(SyncFields & { version: number; id: string })[]> }[] = [
    {
      kind: 'teacher',
      list: async () => (await deps.store.listTeachers(centreId)).map((record) => ({ ...record, id: record.teacherId })),
    },
    {
      kind: 'pupil',
      list: async () => (await deps.store.listPupils(centreId)).map((record) => ({ ...record, id: record.pupilId })),
    },
    {
      kind: 'yearGroup',
      list: async () => (await deps.store.listYearGroups(centreId)).map((record) => ({ ...record, id: record.yearGroupId })),
    },
    {
      kind: 'class',
      list: async () => (await deps.store.listClasses(centreId)).map((record) => ({ ...record, id: record.classId })),
    },
  ];
  let changed = 0;
  for (const { kind, list } of kinds) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const synced = (await list()).filter((record) => outOfSync(record, reason) !== record);
      if (synced.length === 0) break;
      const written = await mapConcurrently(synced, STORE_CONCURRENCY, (record) =>
        deps.store.setSyncState({
          centreId,
          recordKind: kind,
          hubId: record.id,
          expectedVersion: record.version,
          syncStatus: 'out_of_sync',
          syncReason: reason,
          now: deps.clock.now().toISOString(),
        }),
      );
      changed += written.filter(Boolean).length;
      if (written.every(Boolean)) break;
    }
  }
  return changed;
}
