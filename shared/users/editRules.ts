import { ConflictError } from '../core/errors';
import type { SyncStatus } from '../domain/records';

/**
 * The Synced-state edit rule, one definition for every user kind: a synced user's details are
 * managed by the MIS, so changing any of `managed` is refused with 409 (it conflicts with the
 * record's synced state), naming each field; a value sent unchanged is not a change. Users who
 * are not synced (Hub-only, or Out of sync) are edited freely.
 */
export function refuseMisManagedChanges<Record extends { syncStatus: SyncStatus }, Field extends keyof Record & string>(
  record: Record,
  body: NoInfer<Partial<Pick<Record, Field>>>,
  managed: Readonly<{ [F in Field]: string }>,
  who: 'teacher' | 'pupil',
  stillEditable: string,
): void {
  if (record.syncStatus !== 'synced') return;
  const changed = (Object.keys(managed) as Field[]).filter((field) => body[field] !== undefined && body[field] !== record[field]);
  if (!changed.length) return;
  const words = changed.map((field) => managed[field]);
  const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}` : words[0]!;
  throw new ConflictError(
    `This ${who} is synced with your MIS, which manages their ${list}: change it in your MIS. ${stillEditable}`,
    'managed_by_mis',
    Object.fromEntries(changed.map((field) => [field, 'Managed by your MIS: change this in your MIS'])),
  );
}
