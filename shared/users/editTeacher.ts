import * as z from 'zod';
import type { Session } from '../domain/records';
import { ConflictError, NotFoundError } from '../core/errors';
import { refuseMisManagedChanges } from './editRules';
import { emailChangedEmail } from '../auth/emails';
import type { Dependencies } from '../runtime/dependencies';
import { isValidEmail } from '../wizard/teachers/emails';
import { teacherRow, type TeacherRow } from './listUsers';

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
  deps: Pick<Dependencies, 'store' | 'mailer' | 'appUrl'>,
  session: Session,
  teacherId: string,
  body: EditTeacherBody,
  now: Date,
): Promise<TeacherRow> {
  const { store } = deps;
  const [teachers, accounts] = await Promise.all([store.listTeachers(session.centreId), store.listAccounts(session.centreId)]);
  const teacher = teachers.find((candidate) => candidate.teacherId === teacherId);
  if (!teacher) throw new NotFoundError('No such teacher');
  refuseMisManagedChanges(teacher, body, FIELD_WORDS, 'teacher', 'Only the email can be changed here.');
  const emailChanged = body.email !== undefined && body.email.toLowerCase() !== teacher.email?.toLowerCase();
  if (emailChanged) {
    const taken = teachers.some(
      (other) => other.teacherId !== teacherId && other.email?.toLowerCase() === body.email!.toLowerCase(),
    );
    if (taken) throw new ConflictError('Another teacher already uses this email address.', 'email_taken', { email: TAKEN });
  }
  const names =
    teacher.syncStatus === 'synced'
      ? {}
      : {
          title: body.title === undefined ? teacher.title : body.title,
          firstName: body.firstName ?? teacher.firstName,
          lastName: body.lastName ?? teacher.lastName,
        };
  const email = body.email ?? teacher.email;
  const account = accounts.find((candidate) => candidate.teacherId === teacherId) ?? null;
  const stale = () =>
    new ConflictError('This teacher was changed while you were editing. Reload the page and try again.', 'stale_teacher');
  if (emailChanged) {
    // Their sign-in email too, in the same write, so that the two never disagree.
    const outcome = await store.changeTeacherEmail({
      centreId: session.centreId,
      teacherId,
      teacherVersion: teacher.version,
      email: body.email!,
      account: account ? { userId: account.userId, email: account.email } : null,
      details: names,
      now: now.toISOString(),
    });
    if (outcome === 'email_taken')
      throw new ConflictError('Another Admin Hub account already signs in with this email address.', 'email_taken', {
        email: TAKEN,
      });
    if (outcome === 'stale') throw stale();
    if (account) await tellBothAddresses(deps, account.displayName, account.email, body.email!);
    // Conditional on the version read: a sync that linked the teacher meanwhile is never undone by this edit.
  } else if (
    !(await store.editTeacherDetails(session.centreId, teacherId, teacher.version, { ...names, email }, now.toISOString()))
  )
    throw stale();
  // Both writes move the version on by one.
  return teacherRow({ ...teacher, ...names, email, version: teacher.version + 1 }, account ?? undefined, session.userId);
}

const TAKEN = 'Another account already uses this email address';

/**
 * The teacher hears of it at the old address (in case it was not what they wanted) and the new
 * one (which they now sign in with). The change is saved either way: an email that cannot be
 * sent is not a reason to undo it.
 */
async function tellBothAddresses(
  deps: Pick<Dependencies, 'mailer' | 'appUrl'>,
  displayName: string,
  oldEmail: string,
  newEmail: string,
): Promise<void> {
  const signIn = `${deps.appUrl()}/`;
  const mailer = deps.mailer();
  await Promise.allSettled([oldEmail, newEmail].map((to) => mailer.send(emailChangedEmail(to, displayName, newEmail, signIn))));
}
