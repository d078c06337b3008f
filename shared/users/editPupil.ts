import * as z from 'zod';
import { ConflictError, NotFoundError } from '../core/errors';
import { genderSchema, type Session } from '../domain/records';
import { isValidUpn } from '../domain/upn';
import type { HubStore } from '../store/hubStore';
import type { SyncStore } from '../store/syncStore';
import { refuseMisManagedChanges } from './editRules';
import { groupNames, pupilRow, type PupilRow } from './listUsers';

const name = (label: string) =>
  z
    .string({ error: `Enter a ${label}` })
    .trim()
    .min(1, `Enter a ${label}`)
    .max(100, `A ${label} of at most 100 characters`);

const pastDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date of birth as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) && date.getTime() < Date.now();
  }, 'Enter a real date of birth in the past');

export const editPupilBody = z
  .strictObject({
    firstName: name('first name').optional(),
    middleName: z
      .string()
      .trim()
      .max(100, 'A middle name of at most 100 characters')
      .transform((value) => value || null)
      .nullable()
      .optional(),
    lastName: name('last name').optional(),
    upn: z
      .string()
      .trim()
      .toUpperCase()
      .refine(isValidUpn, 'Enter a 13-character UPN with its check letter, e.g. A123456789012')
      .nullable()
      .optional(),
    dob: pastDate.nullable().optional(),
    gender: genderSchema.nullable().optional(),
    /** The version of the pupil the form was filled from: an edit never overwrites a change made meanwhile. */
    version: z.number().int().min(0),
  })
  .refine((body) => Object.keys(body).length > 1, { message: 'Change at least one field' });
export type EditPupilBody = z.infer<typeof editPupilBody>;

export type PupilDetails = Partial<Pick<EditPupilBody, 'firstName' | 'middleName' | 'lastName' | 'upn' | 'dob' | 'gender'>>;

const MANAGED = {
  firstName: 'first name',
  middleName: 'middle name',
  lastName: 'last name',
  upn: 'UPN',
  dob: 'date of birth',
  gender: 'gender',
} as const;

/**
 * Users › Pupils: a synced pupil's details come from the MIS and cannot be changed here (409,
 * naming the field); a Hub-only or Out of sync pupil is fully editable, with validation. The
 * write is conditional on the version the form was filled from.
 */
export async function editPupil(
  deps: { store: HubStore & Pick<SyncStore, 'editPupilDetails'> },
  session: Session,
  pupilId: string,
  body: EditPupilBody,
  now: Date,
): Promise<PupilRow> {
  const { store } = deps;
  const pupil = await store.getPupil(session.centreId, pupilId);
  if (!pupil) throw new NotFoundError('No such pupil');
  const { version, ...details } = body;
  refuseMisManagedChanges(pupil, details, MANAGED, 'pupil', 'The next nightly sync brings the change here.');
  if (version !== pupil.version)
    throw new ConflictError('This pupil was changed while you were editing. Reload the page and try again.', 'stale_pupil');
  if (details.upn && details.upn !== pupil.upn) {
    // Pupils under Recently deleted too: restoring one must not make two pupils with one UPN.
    const [live, deleted] = await Promise.all([store.listPupils(session.centreId), store.listDeletedPupils(session.centreId)]);
    const holder = [...live, ...deleted.map((record) => record.pupil)].find(
      (other) => other.pupilId !== pupilId && other.upn === details.upn,
    );
    if (holder)
      throw new ConflictError('Another pupil already has this UPN.', 'upn_taken', { upn: 'Another pupil already has this UPN' });
  }
  if (!(await store.editPupilDetails(session.centreId, pupilId, version, details, now.toISOString())))
    throw new ConflictError('This pupil was changed while you were editing. Reload the page and try again.', 'stale_pupil');
  return pupilRow({ ...pupil, ...details, version: version + 1 }, await groupNames(store, session.centreId));
}
