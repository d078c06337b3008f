import * as z from 'zod';
import { timeOrderedId } from '../core/clock';
import { ConflictError, NotFoundError } from '../core/errors';
import type { DeletedPupil, Session } from '../domain/records';
import type { HubStore } from '../store/hubStore';

/** How long a deleted pupil can be restored, before the daily sweep erases it for good. */
export const RECOVERABLE_MONTHS = 6;
/**
 * The table's TTL removes a deleted pupil's record this long after the sweep should have erased
 * it: the backstop for the record itself. Its results and backups are the sweep's to erase (they
 * carry no TTL), so a sweep that fails is an alarm to act on within this time, not a wait.
 */
const TTL_GRACE_DAYS = 30;
/** At most this many pupils in one Delete. */
export const MAX_DELETE = 100;

export const deletePupilsBody = z.strictObject({
  pupils: z
    .array(z.strictObject({ pupilId: z.string().min(1).max(200), version: z.number().int().min(0) }))
    .min(1, 'Choose at least one pupil to delete')
    .max(MAX_DELETE, `Delete at most ${MAX_DELETE} pupils at a time`),
});
export type DeletePupilsBody = z.infer<typeof deletePupilsBody>;

export const restorePupilBody = z.strictObject({ deletedAt: z.string().datetime() });

export function erasesAt(deletedAt: Date): Date {
  const at = new Date(deletedAt);
  at.setUTCMonth(at.getUTCMonth() + RECOVERABLE_MONTHS);
  return at;
}

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

/**
 * Deletes pupils the school no longer needs (leavers, Hub-only records): each one at once, with
 * its audit entry, in its own transaction, conditional on the version the list showed. A synced
 * pupil is refused: it must leave the MIS first. All are checked before any is deleted, so a
 * refusal deletes nothing.
 */
export async function deletePupils(
  store: HubStore,
  session: Session,
  body: DeletePupilsBody,
  now: Date,
): Promise<{ deleted: number; erasesAt: string }> {
  const ids = [...new Set(body.pupils.map((pupil) => pupil.pupilId))];
  const [pupils, alreadyDeleted] = await Promise.all([
    Promise.all(ids.map((pupilId) => store.getPupil(session.centreId, pupilId))),
    Promise.all(ids.map((pupilId) => store.getDeletedPupil(session.centreId, pupilId))),
  ]);
  // A Delete sent again (a double click, a retry after a lost answer): those already deleted count as deleted.
  const missing = ids.filter((_, index) => !pupils[index] && !alreadyDeleted[index]);
  if (missing.length)
    throw new NotFoundError(
      `${missing.length === 1 ? 'A pupil you chose no longer exists' : `${missing.length} pupils you chose no longer exist`}. Reload the page.`,
    );
  const live = pupils.flatMap((pupil) => (pupil ? [pupil] : []));
  const synced = live.filter((pupil) => pupil.syncStatus === 'synced');
  if (synced.length)
    throw new ConflictError(
      `${synced.length === 1 ? 'One of the pupils you chose is' : `${synced.length} of the pupils you chose are`} synced with your MIS and cannot be deleted here. A pupil who has left the MIS becomes Out of sync after the next nightly sync, and can be deleted then.`,
      'pupil_synced',
    );
  const expected = new Map(body.pupils.map((pupil) => [pupil.pupilId, pupil.version]));
  if (live.some((pupil) => pupil.version !== expected.get(pupil.pupilId)))
    throw new ConflictError('Some of these pupils were changed meanwhile. Reload the page and try again.', 'stale_pupil');

  const erases = erasesAt(now);
  let deleted = ids.length - live.length;
  const stale: string[] = [];
  for (const pupil of live) {
    const record: DeletedPupil = {
      centreId: session.centreId,
      pupilId: pupil.pupilId,
      pupil,
      deletedAt: now.toISOString(),
      deletedBy: session.userId,
      erasesAt: erases.toISOString(),
      expiresAt: Math.floor(erases.getTime() / 1000) + TTL_GRACE_DAYS * 24 * 60 * 60,
    };
    const outcome = await store.deletePupil(record, {
      auditId: timeOrderedId(now, 'delete'),
      centreId: session.centreId,
      actorUserId: session.userId,
      action: 'pupil.deleted',
      subject: pupil.pupilId,
      at: now.toISOString(),
      detail: { erasesAt: record.erasesAt },
    });
    if (outcome === 'deleted') deleted++;
    else stale.push(pupil.pupilId);
  }
  // Changed (or synced) since they were read: the others are deleted, and the school is told.
  if (stale.length)
    throw new ConflictError(
      `${deleted} of the ${ids.length} pupils were deleted; ${stale.length} ${stale.length === 1 ? 'was' : 'were'} changed meanwhile and ${stale.length === 1 ? 'is' : 'are'} still here. Reload the page and try again.`,
      'stale_pupil',
    );
  return { deleted, erasesAt: erases.toISOString() };
}

/** Users › Pupils › Recently deleted: newest first, with when each is erased for good. */
export async function listDeletedPupils(store: HubStore, centreId: string): Promise<DeletedPupilView[]> {
  // One being erased can no longer be restored.
  const deleted = (await store.listDeletedPupils(centreId)).filter((record) => !record.erasing);
  const views = await Promise.all(
    deleted.map(async (record) => ({
      pupilId: record.pupilId,
      firstName: record.pupil.firstName,
      lastName: record.pupil.lastName,
      upn: record.pupil.upn,
      deletedAt: record.deletedAt,
      erasesAt: record.erasesAt,
      results: (await store.listPupilResults(centreId, record.pupilId)).length,
    })),
  );
  return views.sort((a, b) => b.deletedAt.localeCompare(a.deletedAt) || a.lastName.localeCompare(b.lastName, 'en-GB'));
}

/** Restores a deleted pupil exactly as it was, with its results (which were never moved). */
export async function restorePupil(
  store: HubStore,
  session: Session,
  pupilId: string,
  deletedAt: string,
  now: Date,
): Promise<{ restored: string }> {
  const record = await store.getDeletedPupil(session.centreId, pupilId);
  if (!record || record.deletedAt !== deletedAt) {
    // A Restore sent again after it worked: it is restored.
    if (!record && (await store.getPupil(session.centreId, pupilId))) return { restored: pupilId };
    throw new NotFoundError('This pupil is not under Recently deleted any more. Reload the page.');
  }
  const outcome = await store.restorePupil(record, {
    auditId: timeOrderedId(now, 'restore'),
    centreId: session.centreId,
    actorUserId: session.userId,
    action: 'pupil.restored',
    subject: pupilId,
    at: now.toISOString(),
    detail: { deletedAt },
  });
  if (outcome === 'mis_taken')
    throw new ConflictError(
      'This pupil came back to your MIS while deleted, and their MIS record is now linked to another Admin Hub pupil. Nothing was restored: the pupil in Users › Pupils is the one your MIS keeps up to date.',
      'mis_taken',
    );
  if (outcome === 'gone')
    throw new ConflictError(
      'This pupil can no longer be restored: it was restored meanwhile, or its six months are over and it is being erased. Reload the page.',
      'not_restorable',
    );
  return { restored: pupilId };
}
