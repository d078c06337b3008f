import * as z from 'zod';
import { linkEntryFields } from '../review/apply';
import { recordRun } from '../review/recordRun';

/** A year group created by the sync is named by its MIS id: a retried import meets its own record. */
export const importedYearGroupId = (misId: string) => `mis-year-${misId}`;

const values = { name: z.string(), yearCode: z.string().nullable(), intakeYear: z.number().int().nullable() };
const linkEntry = z.object({ ...linkEntryFields, ...values });
const importEntry = z.object({ op: z.literal('import'), misId: z.string(), label: z.string(), ...values });
export const yearGroupEntrySchema = z.discriminatedUnion('op', [linkEntry, importEntry]);
export type YearGroupEntry = z.infer<typeof yearGroupEntrySchema>;

/** Save and sync for year groups: link the matched (the MIS name and cohort win), create the ticked. Never deletes. */
export const yearGroupsRun = recordRun({
  kind: 'year-groups',
  recordKind: 'yearGroup',
  panelTitle: 'Year groups',
  noun: 'year group',
  entrySchema: yearGroupEntrySchema,
  list: (deps, centreId) => deps.store.listYearGroups(centreId),
  idField: 'yearGroupId',
  importedId: importedYearGroupId,
  fields: (entry) => ({ name: entry.name, yearCode: entry.yearCode, intakeYear: entry.intakeYear }),
});
