import type { AssemblyAcademicYear, AssemblyYearGroup } from '../../assembly/schemas';
import type { FieldErrors } from '../../core/errors';
import { hubYearGroupSchema, type HubYearGroup } from '../../domain/records';
import { panelUseCases, reviewedVersion, type PanelDefinition } from '../review/panel';
import {
  buildYearGroupsReview,
  misYearGroupSchema,
  SCHOOL_YEAR_SETTING,
  YEAR_GROUP_SYNCED_FIELDS,
  type MisYearGroup,
  type YearGroupsReview,
} from './panel';
import { yearGroupsRun, type YearGroupEntry } from './sync';

/** The Year groups panel on the shared panel framework (review/panel.ts). */
export const yearGroupsPanel: PanelDefinition<MisYearGroup, HubYearGroup[], YearGroupsReview, YearGroupEntry, HubYearGroup> = {
  panel: 'year-groups',
  nouns: { hub: 'year group', mis: 'MIS year group', panelTitle: 'Year groups' },
  snapshot: { name: 'snapshot#year-groups', schema: misYearGroupSchema },
  misId: (group) => group.misId,
  async fetch(assembly, tokens, progress) {
    // One after the other: a token refresh is never raced.
    const years = await assembly.academicYears(tokens);
    const groups = await assembly.yearGroups(tokens, { onPage: progress });
    return groups.notModified ? null : groups.items.map((group) => misYearGroup(group, currentYear(years, group)));
  },
  context: (deps, session) => deps.store.listYearGroups(session.centreId),
  hubIds: (groups) => groups.map((group) => group.yearGroupId),
  review: (groups, mis, plan, deps) => buildYearGroupsReview(groups, mis, plan, deps.clock.now()),
  settingsProblems(settings) {
    const problems: FieldErrors = {};
    for (const [name, value] of Object.entries(settings)) {
      if (name !== SCHOOL_YEAR_SETTING) problems[`settings.${name}`] = 'This panel has no such setting';
      else if (value !== 'this' && value !== 'last') problems[`settings.${name}`] = 'Choose this year or last year';
    }
    return problems;
  },
  entries({ context, view, reviewed }) {
    const hubById = new Map(context.map((group) => [group.yearGroupId, group]));
    return view.rows.flatMap((row): YearGroupEntry[] => {
      if (row.status === 'matched') {
        const hub = hubById.get(row.hub.id)!;
        const version = reviewedVersion(yearGroupsPanel, reviewed, hub.yearGroupId, row.mis.id);
        if (row.source === 'linked' && hub.syncStatus === 'synced' && row.overwritten.length === 0) return [];
        return [
          {
            op: 'link',
            hubId: hub.yearGroupId,
            misId: row.mis.id,
            replacesMisId: hub.misId && hub.misId !== row.mis.id ? hub.misId : null,
            version,
            label: row.mis.name,
            name: row.mis.name,
            yearCode: row.mis.code,
            intakeYear: row.mis.cohort,
          },
        ];
      }
      if (row.status === 'new' && row.import)
        return [
          {
            op: 'import',
            misId: row.mis.id,
            label: row.mis.name,
            name: row.mis.name,
            yearCode: row.mis.code,
            intakeYear: row.mis.cohort,
          },
        ];
      return [];
    });
  },
  run: yearGroupsRun,
  restore: {
    recordKind: 'yearGroup',
    get: async (deps, centreId, hubId) =>
      (await deps.store.listYearGroups(centreId)).find((group) => group.yearGroupId === hubId) ?? null,
    parse: (stored) => hubYearGroupSchema.parse(stored),
    syncedFields: YEAR_GROUP_SYNCED_FIELDS,
  },
};

export const yearGroups = panelUseCases(yearGroupsPanel);

/** The academic year a year group belongs to: the one its dates fall in, else the newest. */
function currentYear(years: readonly AssemblyAcademicYear[], group: AssemblyYearGroup): MisYearGroup['academicYear'] {
  const starts = (year: AssemblyAcademicYear) => year.start_date ?? '';
  const within = years.find(
    (year) => group.start_date && starts(year) <= group.start_date && (year.end_date ?? '9999') >= group.start_date,
  );
  const newest = [...years].sort((a, b) => starts(b).localeCompare(starts(a)))[0];
  const chosen = within ?? newest;
  return chosen?.start_date ? { name: chosen.name ?? chosen.start_date.slice(0, 4), startDate: chosen.start_date } : null;
}

function misYearGroup(group: AssemblyYearGroup, academicYear: MisYearGroup['academicYear']): MisYearGroup {
  return {
    misId: String(group.id),
    code: group.code ?? null,
    name: group.name ?? group.code ?? String(group.id),
    pupils: group.student_ids?.length ?? 0,
    academicYear,
  };
}
