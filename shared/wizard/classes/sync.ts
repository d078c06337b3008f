import * as z from 'zod';
import { PlanChangedError } from '../../sync/runs';
import { linkEntryFields } from '../review/apply';
import { recordRun } from '../review/recordRun';

/** A class created by the sync is named by its MIS id (kind and id: registration and teaching groups are numbered apart). */
export const importedClassId = (misId: string) => `mis-class-${misId}`;

const values = {
  name: z.string(),
  kind: z.enum(['registration', 'teaching']),
  subject: z.string().nullable(),
  teacherIds: z.array(z.string()),
  mixedYears: z.array(z.string()).nullable(),
};
const linkEntry = z.object({ ...linkEntryFields, ...values });
const importEntry = z.object({
  op: z.literal('import'),
  misId: z.string(),
  label: z.string(),
  yearGroupId: z.string(),
  description: z.string().nullable(),
  ...values,
});
export const classEntrySchema = z.discriminatedUnion('op', [linkEntry, importEntry]);
export type ClassEntry = z.infer<typeof classEntrySchema>;

/** Save and sync for classes: link the matched (the MIS name and teachers win), create the ticked. Never deletes. */
export const classesRun = recordRun({
  kind: 'classes',
  recordKind: 'class',
  panelTitle: 'Classes',
  noun: 'class',
  entrySchema: classEntrySchema,
  list: (deps, centreId) => deps.store.listClasses(centreId),
  idField: 'classId',
  importedId: importedClassId,
  fields: (entry) => ({
    name: entry.name,
    kind: entry.kind,
    subject: entry.subject,
    teacherIds: entry.teacherIds,
    mixedYears: entry.mixedYears,
  }),
  created: (entry) => ({ yearGroupId: entry.yearGroupId, description: entry.description }),
  async recheck(deps, centreId, entries) {
    const yearGroups = new Set((await deps.store.listYearGroups(centreId)).map((group) => group.yearGroupId));
    if (entries.some((entry) => entry.op === 'import' && !yearGroups.has(entry.yearGroupId)))
      throw new PlanChangedError(
        'A class in the plan is to go into a year group that is not in the Admin Hub yet. Save and sync the Year groups panel first, then save this panel again.',
      );
  },
});
