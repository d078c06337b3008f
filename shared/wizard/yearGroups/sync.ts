import * as z from 'zod';
import { linkedTo } from '../../core/syncState';
import type { HubYearGroup } from '../../domain/records';
import { backUp } from '../../sync/backups';
import { mapConcurrently } from '../../sync/mapConcurrently';
import { STORE_CONCURRENCY } from '../../sync/backups';
import { PlanChangedError, type RunKind } from '../../sync/runs';
import { applyImport, applyLink, linkEntryFields, tally } from '../review/apply';

/** A year group created by the sync is named by its MIS id: a retried import meets its own record. */
export const importedYearGroupId = (misId: string) => `mis-year-${misId}`;

const values = { name: z.string(), yearCode: z.string().nullable(), intakeYear: z.number().int().nullable() };
const linkEntry = z.object({ ...linkEntryFields, ...values });
const importEntry = z.object({ op: z.literal('import'), misId: z.string(), label: z.string(), ...values });
export const yearGroupEntrySchema = z.discriminatedUnion('op', [linkEntry, importEntry]);
export type YearGroupEntry = z.infer<typeof yearGroupEntrySchema>;

const WORDS = {
  changed: 'Changed in the Admin Hub since you reviewed it, so it was left as it is. Review the Year groups panel again.',
  linkedElsewhere: 'This MIS year group is already linked to another Admin Hub year group, so nothing was changed.',
  exists: 'A year group created for this MIS year group already exists, so nothing was changed.',
};

/** Save and sync for year groups: link the matched (the MIS name and cohort win), create the ticked. Never deletes. */
export const yearGroupsRun: RunKind<YearGroupEntry> = {
  kind: 'year-groups',
  entrySchema: yearGroupEntrySchema,
  notices: () => 0,

  async backup(deps, run, entries) {
    const linked = new Set(entries.flatMap((entry) => (entry.op === 'link' ? [entry.hubId] : [])));
    const groups = (await deps.store.listYearGroups(run.centreId)).filter((group) => linked.has(group.yearGroupId));
    await backUp(
      deps,
      run,
      'yearGroup',
      groups.map((group) => ({ id: group.yearGroupId, ...group })),
    );
  },

  async recheck(deps, run, entries) {
    const present = new Set((await deps.store.listYearGroups(run.centreId)).map((group) => group.yearGroupId));
    if (entries.some((entry) => entry.op === 'link' && !present.has(entry.hubId)))
      throw new PlanChangedError(
        'A Hub year group in the plan has been deleted since it was made. Review the Year groups panel and save again.',
      );
  },

  async apply(deps, run, entries) {
    const current = (hubId: string) => async () =>
      (await deps.store.listYearGroups(run.centreId)).find((group) => group.yearGroupId === hubId) ?? null;
    const outcomes = await mapConcurrently(entries, STORE_CONCURRENCY, (entry) => {
      const fields = { name: entry.name, yearCode: entry.yearCode, intakeYear: entry.intakeYear };
      if (entry.op === 'link') return applyLink(deps, run, 'yearGroup', entry, fields, current(entry.hubId), WORDS);
      const hubId = importedYearGroupId(entry.misId);
      const record: HubYearGroup = {
        yearGroupId: hubId,
        centreId: run.centreId,
        ...fields,
        ...linkedTo(entry.misId),
        version: 1,
        lastRunId: run.runId,
      };
      return applyImport(
        deps,
        run,
        'yearGroup',
        entry,
        hubId,
        { ...record, misId: entry.misId, createdAt: deps.clock.now().toISOString() },
        current(hubId),
        WORDS,
      );
    });
    return tally(outcomes);
  },

  async notify() {
    // Year groups tell nobody.
  },
};
