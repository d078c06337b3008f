import * as z from 'zod';
import { timeOrderedId } from '../core/clock';
import { ConflictError, NotFoundError } from '../core/errors';
import type { AuditEntry, DeletedPupil, DeletedTeacher, HubPupil, HubTeacher, Session, SyncStatus } from '../domain/records';
import type { HubStore } from '../store/hubStore';
import { possibleUserIds } from '../wizard/teachers/ids';

/** How long a deleted pupil or teacher (or a removed access) can be restored, before the daily sweep erases it for good. */
export const RECOVERABLE_MONTHS = 6;
/**
 * The table's TTL removes a deleted record this long after the sweep should have erased it: the
 * backstop for the record itself. What goes with it (results, backups, an account) is the sweep's
 * to erase (it carries no TTL), so a sweep that fails is an alarm to act on within this time.
 */
const TTL_GRACE_DAYS = 30;
/** At most this many users in one Delete. */
export const MAX_DELETE = 100;

export const deletePupilsBody = z.strictObject({
  pupils: z
    .array(z.strictObject({ pupilId: z.string().min(1).max(200), version: z.number().int().min(0) }))
    .min(1, 'Choose at least one pupil to delete')
    .max(MAX_DELETE, `Delete at most ${MAX_DELETE} pupils at a time`),
});
export type DeletePupilsBody = z.infer<typeof deletePupilsBody>;

export const deleteTeachersBody = z.strictObject({
  teachers: z
    .array(z.strictObject({ teacherId: z.string().min(1).max(200), version: z.number().int().min(0) }))
    .min(1, 'Choose at least one teacher to delete')
    .max(MAX_DELETE, `Delete at most ${MAX_DELETE} teachers at a time`),
});
export type DeleteTeachersBody = z.infer<typeof deleteTeachersBody>;

export const restoreBody = z.strictObject({ deletedAt: z.string().datetime() });

export function erasesAt(from: Date): Date {
  const at = new Date(from);
  at.setUTCMonth(at.getUTCMonth() + RECOVERABLE_MONTHS);
  return at;
}

/** When the deleted record's TTL removes it, if the sweep has not (epoch seconds). */
const ttlAfter = (erases: Date) => Math.floor(erases.getTime() / 1000) + TTL_GRACE_DAYS * 24 * 60 * 60;

export interface DeletedPupilView {
  pupilId: string;
  firstName: string;
  lastName: string;
  upn: string | null;
  deletedAt: string;
  erasesAt: string;
  /** Results kept with the pupil until erasure, and restored with it. */
  results: number;
}

export interface DeletedTeacherView {
  teacherId: string;
  title: string | null;
  firstName: string;
  lastName: string;
  email: string | null;
  deletedAt: string;
  erasesAt: string;
  /** Whether they have an account still (it comes back with a restore, with its access as it was). */
  hasAccount: boolean;
}

interface DeletionBase {
  centreId: string;
  deletedAt: string;
  deletedBy: string;
  erasesAt: string;
  expiresAt: number;
}

/** What deleting, listing and restoring need to know of one kind of user. */
interface Deletable<
  Live extends { version: number; syncStatus: SyncStatus },
  Deleted extends { deletedAt: string; erasing?: boolean | undefined },
  View,
> {
  noun: 'pupil' | 'teacher';
  get(store: HubStore, centreId: string, id: string): Promise<Live | null>;
  getDeleted(store: HubStore, centreId: string, id: string): Promise<Deleted | null>;
  listDeleted(store: HubStore, centreId: string): Promise<Deleted[]>;
  /** The deleted record for one about to be deleted; throws a ConflictError for one that may not be deleted by this co-ordinator. */
  deleted(store: HubStore, session: Session, live: Live, base: DeletionBase): Promise<Deleted>;
  remove(store: HubStore, deleted: Deleted, audit: AuditEntry): Promise<'deleted' | 'stale'>;
  restore(store: HubStore, deleted: Deleted, audit: AuditEntry): Promise<'restored' | 'gone' | 'mis_taken'>;
  view(store: HubStore, deleted: Deleted): Promise<View>;
  lastName(view: View): string;
}

const pupils: Deletable<HubPupil, DeletedPupil, DeletedPupilView> = {
  noun: 'pupil',
  get: (store, centreId, id) => store.getPupil(centreId, id),
  getDeleted: (store, centreId, id) => store.getDeletedPupil(centreId, id),
  listDeleted: (store, centreId) => store.listDeletedPupils(centreId),
  deleted: async (_store, _session, pupil, base) => ({ ...base, pupilId: pupil.pupilId, pupil }),
  remove: (store, deleted, audit) => store.deletePupil(deleted, audit),
  restore: (store, deleted, audit) => store.restorePupil(deleted, audit),
  view: async (store, record) => ({
    pupilId: record.pupilId,
    firstName: record.pupil.firstName,
    lastName: record.pupil.lastName,
    upn: record.pupil.upn,
    deletedAt: record.deletedAt,
    erasesAt: record.erasesAt,
    results: (await store.listPupilResults(record.centreId, record.pupilId)).length,
  }),
  lastName: (view) => view.lastName,
};

const teachers: Deletable<HubTeacher, DeletedTeacher, DeletedTeacherView> = {
  noun: 'teacher',
  get: (store, centreId, id) => store.getTeacher(centreId, id),
  getDeleted: (store, centreId, id) => store.getDeletedTeacher(centreId, id),
  listDeleted: (store, centreId) => store.listDeletedTeachers(centreId),
  async deleted(store, session, teacher, base) {
    const account = (await store.listAccounts(session.centreId)).find((candidate) => candidate.teacherId === teacher.teacherId);
    if (account?.userId === session.userId) throw new ConflictError('You cannot delete your own account.', 'own_account');
    return {
      ...base,
      teacherId: teacher.teacherId,
      teacher,
      account: account ? { userId: account.userId, deactivatedAt: account.deactivatedAt } : null,
    };
  },
  remove: (store, deleted, audit) => store.deleteTeacher(deleted, audit, possibleUserIds(deleted.centreId, deleted.teacher)),
  restore: (store, deleted, audit) => store.restoreTeacher(deleted, audit),
  view: async (store, record) => ({
    teacherId: record.teacherId,
    title: record.teacher.title,
    firstName: record.teacher.firstName,
    lastName: record.teacher.lastName,
    email: record.teacher.email,
    deletedAt: record.deletedAt,
    erasesAt: record.erasesAt,
    // An account whose access had been removed may have been erased on its own clock since.
    hasAccount: record.account !== null && (await store.getAccount(record.centreId, record.account.userId)) !== null,
  }),
  lastName: (view) => view.lastName,
};

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * Deletes users the school no longer needs (leavers, Hub-only records): each one at once, with
 * its audit entry, in its own transaction, conditional on the version the list showed. A synced
 * one is refused: it must leave the MIS first. All are checked before any is deleted, so a
 * refusal deletes nothing; one sent again (a double click, a retry after a lost answer) counts
 * as deleted.
 */
async function deleteUsers<Live extends { version: number; syncStatus: SyncStatus }, Deleted extends { deletedAt: string }, View>(
  kind: Deletable<Live, Deleted, View>,
  store: HubStore,
  session: Session,
  chosen: readonly { id: string; version: number }[],
  now: Date,
): Promise<{ deleted: number; erasesAt: string }> {
  const { noun } = kind;
  const ids = [...new Set(chosen.map((one) => one.id))];
  const [records, alreadyDeleted] = await Promise.all([
    Promise.all(ids.map((id) => kind.get(store, session.centreId, id))),
    Promise.all(ids.map((id) => kind.getDeleted(store, session.centreId, id))),
  ]);
  const missing = ids.filter((_, index) => !records[index] && !alreadyDeleted[index]);
  if (missing.length)
    throw new NotFoundError(
      `${missing.length === 1 ? `A ${noun} you chose no longer exists` : `${missing.length} ${noun}s you chose no longer exist`}. Reload the page.`,
    );
  const live = ids.flatMap((id, index) => (records[index] ? [{ id, record: records[index] }] : []));
  const synced = live.filter(({ record }) => record.syncStatus === 'synced');
  if (synced.length)
    throw new ConflictError(
      `${synced.length === 1 ? `One of the ${noun}s you chose is` : `${synced.length} of the ${noun}s you chose are`} synced with your MIS and cannot be deleted here. A ${noun} who has left the MIS becomes Out of sync after the next nightly sync, and can be deleted then.`,
      `${noun}_synced`,
    );
  const expected = new Map(chosen.map((one) => [one.id, one.version]));
  if (live.some(({ id, record }) => record.version !== expected.get(id)))
    throw new ConflictError(`Some of these ${noun}s were changed meanwhile. Reload the page and try again.`, `stale_${noun}`);

  const erases = erasesAt(now);
  const base: DeletionBase = {
    centreId: session.centreId,
    deletedAt: now.toISOString(),
    deletedBy: session.userId,
    erasesAt: erases.toISOString(),
    expiresAt: ttlAfter(erases),
  };
  const toDelete = await Promise.all(live.map(({ record }) => kind.deleted(store, session, record, base)));
  let deleted = ids.length - live.length;
  let stale = 0;
  for (const [index, record] of toDelete.entries()) {
    const outcome = await kind.remove(store, record, {
      auditId: timeOrderedId(now, 'delete'),
      centreId: session.centreId,
      actorUserId: session.userId,
      action: `${noun}.deleted`,
      subject: live[index]!.id,
      at: base.deletedAt,
      detail: { erasesAt: base.erasesAt },
    });
    // Refused: deleted meanwhile by the same Delete sent twice at once counts as deleted.
    if (outcome === 'deleted' || (await kind.getDeleted(store, session.centreId, live[index]!.id))) deleted++;
    else stale++;
  }
  // Changed (or synced) since they were read: the others are deleted, and the school is told.
  if (stale)
    throw new ConflictError(
      `${deleted} of the ${plural(ids.length, noun)} were deleted; ${stale} ${stale === 1 ? 'was' : 'were'} changed meanwhile and ${stale === 1 ? 'is' : 'are'} still here. Reload the page and try again.`,
      `stale_${noun}`,
    );
  return { deleted, erasesAt: base.erasesAt };
}

/** Recently deleted: newest first, with when each is erased for good (one being erased can no longer be restored). */
async function listDeleted<
  Live extends { version: number; syncStatus: SyncStatus },
  Deleted extends { deletedAt: string; erasing?: boolean | undefined },
  View extends { deletedAt: string },
>(kind: Deletable<Live, Deleted, View>, store: HubStore, centreId: string): Promise<View[]> {
  const deleted = (await kind.listDeleted(store, centreId)).filter((record) => !record.erasing);
  const views = await Promise.all(deleted.map((record) => kind.view(store, record)));
  return views.sort(
    (a, b) => b.deletedAt.localeCompare(a.deletedAt) || kind.lastName(a).localeCompare(kind.lastName(b), 'en-GB'),
  );
}

/** Restores a deleted user exactly as they were (what stayed with them, such as results, was never moved). */
async function restoreUser<Live extends { version: number; syncStatus: SyncStatus }, Deleted extends { deletedAt: string }, View>(
  kind: Deletable<Live, Deleted, View>,
  store: HubStore,
  session: Session,
  id: string,
  deletedAt: string,
  now: Date,
): Promise<{ restored: string }> {
  const { noun } = kind;
  const record = await kind.getDeleted(store, session.centreId, id);
  if (!record || record.deletedAt !== deletedAt) {
    // A Restore sent again after it worked: it is restored.
    if (!record && (await kind.get(store, session.centreId, id))) return { restored: id };
    throw new NotFoundError(`This ${noun} is not under Recently deleted any more. Reload the page.`);
  }
  const outcome = await kind.restore(store, record, {
    auditId: timeOrderedId(now, 'restore'),
    centreId: session.centreId,
    actorUserId: session.userId,
    action: `${noun}.restored`,
    subject: id,
    at: now.toISOString(),
    detail: { deletedAt },
  });
  if (outcome === 'mis_taken')
    throw new ConflictError(
      `This ${noun} came back to your MIS while deleted, and their MIS record is now linked to another Admin Hub ${noun}. Nothing was restored: the ${noun} in Users › ${noun === 'pupil' ? 'Pupils' : 'Teachers'} is the one your MIS keeps up to date.`,
      'mis_taken',
    );
  // Refused because the same Restore, sent twice at once, restored it.
  if (outcome === 'gone' && (await kind.get(store, session.centreId, id))) return { restored: id };
  if (outcome === 'gone')
    throw new ConflictError(
      `This ${noun} can no longer be restored: they were restored meanwhile, or their six months are over and they are being erased. Reload the page.`,
      'not_restorable',
    );
  return { restored: id };
}

export const deletePupils = (store: HubStore, session: Session, body: DeletePupilsBody, now: Date) =>
  deleteUsers(
    pupils,
    store,
    session,
    body.pupils.map((one) => ({ id: one.pupilId, version: one.version })),
    now,
  );
export const listDeletedPupils = (store: HubStore, centreId: string) => listDeleted(pupils, store, centreId);
export const restorePupil = (store: HubStore, session: Session, pupilId: string, deletedAt: string, now: Date) =>
  restoreUser(pupils, store, session, pupilId, deletedAt, now);

export const deleteTeachers = (store: HubStore, session: Session, body: DeleteTeachersBody, now: Date) =>
  deleteUsers(
    teachers,
    store,
    session,
    body.teachers.map((one) => ({ id: one.teacherId, version: one.version })),
    now,
  );
export const listDeletedTeachers = (store: HubStore, centreId: string) => listDeleted(teachers, store, centreId);
export const restoreTeacher = (store: HubStore, session: Session, teacherId: string, deletedAt: string, now: Date) =>
  restoreUser(teachers, store, session, teacherId, deletedAt, now);
