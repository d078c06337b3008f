import * as z from 'zod';
import { timeOrderedId } from '../core/clock';
import { ConflictError, NotFoundError } from '../core/errors';
import type { Session } from '../domain/records';
import type { HubStore } from '../store/hubStore';
import { erasesAt } from './recentlyDeleted';

export const teacherAccessBody = z.strictObject({
  access: z.enum(['removed', 'restored'], { error: 'Choose removed or restored' }),
});
export type TeacherAccessBody = z.infer<typeof teacherAccessBody>;

/**
 * Users › Teachers: a teacher who is not synced any more (left the MIS) or was never synced can
 * have their access removed: they cannot sign in, and every session of theirs ends at once. The
 * account and their work stay; Restore access undoes it within six months, after which the daily
 * sweep erases the account (the teacher record stays, with no account). A synced teacher is refused (they are
 * still in the MIS), and so is the co-ordinator's own account.
 */
export async function setTeacherAccess(
  store: HubStore,
  session: Session,
  teacherId: string,
  body: TeacherAccessBody,
  now: Date,
): Promise<{ teacherId: string; account: 'deactivated' | 'active' | 'invited' }> {
  const teacher = await store.getTeacher(session.centreId, teacherId);
  if (!teacher) throw new NotFoundError('No such teacher');
  const account = (await store.listAccounts(session.centreId)).find((candidate) => candidate.teacherId === teacherId);
  if (!account) throw new ConflictError('This teacher has no Admin Hub account, so there is no access to change.', 'no_account');
  if (body.access === 'removed') {
    if (teacher.syncStatus === 'synced')
      throw new ConflictError(
        'This teacher is synced with your MIS, so they still work at your school. Their access can be removed once they have left the MIS (Out of sync).',
        'teacher_synced',
      );
    if (account.userId === session.userId) throw new ConflictError('You cannot remove your own access.', 'own_account');
  }
  const changed = await store.setAccountAccess(
    session.centreId,
    account.userId,
    teacherId,
    body.access === 'removed' ? { at: now.toISOString(), erasesAt: erasesAt(now).toISOString() } : null,
    {
      auditId: timeOrderedId(now, 'access'),
      centreId: session.centreId,
      actorUserId: session.userId,
      action: body.access === 'removed' ? 'teacher.access_removed' : 'teacher.access_restored',
      subject: teacherId,
      at: now.toISOString(),
      detail: { userId: account.userId },
    },
  );
  if (!changed)
    throw new ConflictError(
      body.access === 'removed' ? 'This teacher’s access is already removed.' : 'This teacher already has access.',
      'access_unchanged',
    );
  return {
    teacherId,
    account: body.access === 'removed' ? 'deactivated' : account.passwordHash ? 'active' : 'invited',
  };
}
