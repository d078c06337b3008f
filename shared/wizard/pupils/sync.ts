import * as z from 'zod';
import { genderSchema } from '../../domain/records';
import { PlanChangedError } from '../../sync/runs';
import { linkEntryFields } from '../review/apply';
import { recordRun } from '../review/recordRun';

/** A pupil imported by the sync is named by its MIS id: a retried import meets its own record. */
export const importedPupilId = (misId: string) => `mis-pupil-${misId}`;

/** What the MIS sets on a pupil, frozen when Save and sync is pressed. */
const values = {
  upn: z.string().nullable(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  lastName: z.string(),
  dob: z.string().nullable(),
  gender: genderSchema.nullable(),
  pupilPremium: z.boolean().nullable(),
  intakeYear: z.number().int().nullable(),
  yearGroupId: z.string().nullable(),
  classIds: z.array(z.string()),
};
const linkEntry = z.object({ ...linkEntryFields, ...values });
const importEntry = z.object({
  op: z.literal('import'),
  misId: z.string(),
  label: z.string(),
  /** Unique in the centre, chosen against every Hub username when the plan was frozen. */
  username: z.string(),
  ...values,
});
export const pupilEntrySchema = z.discriminatedUnion('op', [linkEntry, importEntry]);
export type PupilEntry = z.infer<typeof pupilEntrySchema>;

/**
 * Save and sync for pupils: link the matched and confirmed (the MIS wins for every field, the
 * pupil placed in their synced year group and classes), import the ticked with a username and
 * MARK access. Never deletes; nobody is emailed: the run's counts are the summary.
 */
export const pupilsRun = recordRun({
  kind: 'pupils',
  recordKind: 'pupil',
  panelTitle: 'Pupils',
  noun: 'pupil',
  entrySchema: pupilEntrySchema,
  list: (deps, centreId) => deps.store.listPupils(centreId),
  idField: 'pupilId',
  importedId: importedPupilId,
  fields: (entry) => ({
    upn: entry.upn,
    firstName: entry.firstName,
    middleName: entry.middleName,
    lastName: entry.lastName,
    dob: entry.dob,
    gender: entry.gender,
    pupilPremium: entry.pupilPremium,
    intakeYear: entry.intakeYear,
    yearGroupId: entry.yearGroupId,
    classIds: entry.classIds,
  }),
  created: (entry) => ({ username: entry.username, markAccess: true, homeLanguage: null }),
  async recheck(deps, centreId, entries) {
    const [yearGroups, classes] = await Promise.all([deps.store.listYearGroups(centreId), deps.store.listClasses(centreId)]);
    const present = new Set([...yearGroups.map((group) => group.yearGroupId), ...classes.map((group) => group.classId)]);
    const missing = entries.some(
      (entry) => (entry.yearGroupId !== null && !present.has(entry.yearGroupId)) || entry.classIds.some((id) => !present.has(id)),
    );
    if (missing)
      throw new PlanChangedError(
        'A year group or class in the plan is no longer in the Admin Hub. Review the Pupils panel and save again.',
      );
  },
});
