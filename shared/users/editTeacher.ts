import * as z from 'zod';
import type { Session } from '../domain/records';
import { ConflictError, NotFoundError } from '../core/errors';
import { refuseMisManagedChanges } from './editRules';
import type { HubStore } from '../store/hubStore';
import { isValidEmail } from '../wizard/teachers/emails';
import { accountState, reasonWords, type TeacherRow } from './listUsers';

const name = (label: string) =>
  z
    .string({ error: `Enter a ${label}` })
    .trim()
    .min(1, `Enter a ${label}`)
    .max(100);

export const editTeacherBody = z
  .object({
    title: z.string().trim().max(20).nullable().optional(),
    firstName: name('first name').optional(),
    lastName: name('last name').optional(),
    email: z.string().trim().max(254).refine(isValidEmail, 'Enter a valid email address').optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Change at least one field' });
export type EditTeacherBody = z.infer<typeof editTeacherBody>;

const FIELD_WORDS = { title: 'title', firstName: 'first name', lastName: 'last name' } as const;

/**
 * Users › Teachers: a synced teacher's details come from the MIS, so only the email can be
 * changed here; a teacher with no MIS link is fully editable. Enforced here, not just in the UI.
 */
export async function editTeacher(
  store: HubStore,
  session: Session,
  teacherId: string,
  body: EditTeacherBody,
  now: Date,
): Promise<TeacherRow> {
  const [teachers, accounts] = await Promise.all([store.listTeachers(session.centreId), store.listAccounts(session.centreId)]);
  const teacher = teachers.find((candidate) => candidate.teacherId === teacherId);
  if (!teacher) throw new NotFoundError('No such teacher');
  refuseMisManagedChanges(teacher, body, FIELD_WORDS, 'teacher', 'Only the email can be changed here.');
  if (body.email && body.email.toLowerCase() !== teacher.email?.toLowerCase()) {
    const taken = teachers.some(
      (other) => other.teacherId !== teacherId && other.email?.toLowerCase() === body.email!.toLowerCase(),
    );
    if (taken) throw new ConflictError('Another teacher already uses this email address.');
  }
  const details = {
    ...(teacher.syncStatus === 'synced'
      ? {}
      : {
          title: body.title ?? teacher.title,
          firstName: body.firstName ?? teacher.firstName,
          lastName: body.lastName ?? teacher.lastName,
        }),
    email: body.email ?? teacher.email,
  };
  // Conditional on the version read: a sync that linked the teacher meanwhile is never undone by this edit.
  if (!(await store.editTeacherDetails(session.centreId, teacherId, teacher.version, details, now.toISOString())))
    throw new ConflictError('This teacher was changed while you were editing. Reload the page and try again.');
  const updated = { ...teacher, ...details };
  return {
    teacherId: updated.teacherId,
    title: updated.title,
    firstName: updated.firstName,
    lastName: updated.lastName,
    email: updated.email,
    synced: updated.syncStatus,
    syncReason: reasonWords(updated.syncStatus, updated.syncReason),
    account: accountState(accounts.find((account) => account.teacherId === teacherId)),
  };
}
