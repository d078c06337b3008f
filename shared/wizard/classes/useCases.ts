import { itemsOf } from '../../assembly/client';
import type { AssemblyRegistrationGroup, AssemblyTeachingGroup } from '../../assembly/schemas';
import { isNursery, yearsAfterReception } from '../../domain/cohort';
import { hubClassSchema, type HubClass, type Session } from '../../domain/records';
import type { Dependencies } from '../../runtime/dependencies';
import { panelUseCases, reviewedVersion, snapshotRecords, type PanelDefinition } from '../review/panel';
import { loadPlan } from '../review/plan';
import { misStaff } from '../teachers/useCases';
import { fullName } from '../teachers/ids';
import { yearGroupsPanel } from '../yearGroups/useCases';
import { importedYearGroupId } from '../yearGroups/sync';
import {
  buildClassesReview,
  CLASS_SYNCED_FIELDS,
  CLASS_VALUE_FIELDS,
  misClassSchema,
  type ClassesContext,
  type ClassesReview,
  type MisClass,
  type YearGroupOption,
} from './panel';
import { classesRun, type ClassEntry } from './sync';

/** The Classes panel on the shared panel framework (review/panel.ts). */
export const classesPanel: PanelDefinition<MisClass, ClassesContext, ClassesReview, ClassEntry, HubClass> = {
  panel: 'classes',
  nouns: { hub: 'class', mis: 'MIS class', panelTitle: 'Classes' },
  snapshot: { name: 'snapshot#classes', schema: misClassSchema },
  misId: (group) => group.misId,
  async fetch(assembly, tokens, progress) {
    // Progress over both listings: pages fetched and classes so far.
    const done = { registration: [0, 0], teaching: [0, 0] };
    const counted = (listing: keyof typeof done) => (pages: number, records: number) => {
      done[listing] = [pages, records];
      return progress(done.registration[0]! + done.teaching[0]!, done.registration[1]! + done.teaching[1]!);
    };
    // One listing after another: within the school token's budget, and a token refresh is never raced.
    const staff = itemsOf(await assembly.staffMembers(tokens));
    const years = itemsOf(await assembly.yearGroups(tokens));
    const registration = itemsOf(await assembly.registrationGroups(tokens, { onPage: counted('registration') }));
    const teaching = itemsOf(await assembly.teachingGroups(tokens, { onPage: counted('teaching') }));
    const yearOf = new Map<string, string>();
    for (const group of years) for (const student of group.student_ids) if (group.code) yearOf.set(String(student), group.code);
    const names = new Map(staff.map((member) => [String(member.id), fullName(misStaff(member))]));
    return [
      ...registration.map((group) => misClass('registration', group, yearOf, names)),
      ...teaching.map((group) => misClass('teaching', group, yearOf, names)),
    ];
  },
  context: classesContext,
  hubIds: (context) => context.classes.map((group) => group.classId),
  review: (context, mis, plan) => buildClassesReview(context, mis, plan),
  planValueFields: CLASS_VALUE_FIELDS,
  entries({ context, view, mis, reviewed }) {
    const hubById = new Map(context.classes.map((group) => [group.classId, group]));
    const supervisors = new Map(mis.map((group) => [group.misId, new Set(group.supervisors.map((teacher) => teacher.misId))]));
    // The synced Hub teachers who teach the class; those not synced yet are added by a later save.
    const teacherIds = (misId: string) =>
      context.teachers
        .filter(
          (teacher) => teacher.syncStatus === 'synced' && teacher.misId !== null && supervisors.get(misId)?.has(teacher.misId),
        )
        .map((teacher) => teacher.teacherId)
        .sort();
    return view.rows.flatMap((row): ClassEntry[] => {
      if (!('mis' in row)) return [];
      const values = {
        name: row.mis.name,
        kind: row.mis.kind,
        subject: row.mis.subject,
        teacherIds: teacherIds(row.mis.id),
        mixedYears: row.mis.years.length > 1 ? row.mis.years : null,
      };
      if (row.status === 'matched') {
        const hub = hubById.get(row.hub.id)!;
        const version = reviewedVersion(classesPanel, reviewed, hub.classId, row.mis.id);
        const unchanged =
          row.overwritten.length === 0 &&
          hub.kind === values.kind &&
          hub.subject === values.subject &&
          JSON.stringify(hub.teacherIds) === JSON.stringify(values.teacherIds) &&
          JSON.stringify(hub.mixedYears) === JSON.stringify(values.mixedYears);
        if (row.source === 'linked' && hub.syncStatus === 'synced' && unchanged) return [];
        return [
          {
            op: 'link',
            hubId: hub.classId,
            misId: row.mis.id,
            replacesMisId: hub.misId && hub.misId !== row.mis.id ? hub.misId : null,
            version,
            label: row.mis.name,
            ...values,
          },
        ];
      }
      if (row.status === 'new' && row.import && row.mis.yearGroupId)
        return [
          {
            op: 'import',
            misId: row.mis.id,
            label: row.mis.name,
            yearGroupId: row.mis.yearGroupId,
            description: row.mis.description.trim() || null,
            ...values,
          },
        ];
      return [];
    });
  },
  run: classesRun,
  restore: {
    recordKind: 'class',
    get: async (deps, centreId, hubId) =>
      (await deps.store.listClasses(centreId)).find((group) => group.classId === hubId) ?? null,
    parse: (stored) => hubClassSchema.parse(stored),
    syncedFields: CLASS_SYNCED_FIELDS,
  },
};

export const classes = panelUseCases(classesPanel);

async function classesContext(deps: Dependencies, session: Session): Promise<ClassesContext> {
  const { centreId } = session;
  const [hubClasses, yearGroups, teachers, yearGroupPlan, misYearGroups] = await Promise.all([
    deps.store.listClasses(centreId),
    deps.store.listYearGroups(centreId),
    deps.store.listTeachers(centreId),
    loadPlan(deps, centreId, yearGroupsPanel.panel),
    snapshotRecords(deps, centreId, yearGroupsPanel as never).catch(() => null),
  ]);
  const options: YearGroupOption[] = yearGroups
    .filter((group) => group.syncStatus === 'synced')
    .map((group) => ({ id: group.yearGroupId, name: group.name, code: group.yearCode }));
  // Ticked in the Year groups panel, not created yet: offered under the id the sync will give them.
  const present = new Set(yearGroups.map((group) => group.yearGroupId));
  for (const misId of yearGroupPlan.imports) {
    const group = (misYearGroups?.records as { misId: string; name: string; code: string | null }[] | undefined)?.find(
      (candidate) => candidate.misId === misId,
    );
    if (group && !isNursery(group.code) && !present.has(importedYearGroupId(misId)))
      options.push({ id: importedYearGroupId(misId), name: `${group.name} (to be created)`, code: group.code });
  }
  options.sort((a, b) => (yearsAfterReception(a.code) ?? 99) - (yearsAfterReception(b.code) ?? 99));
  return {
    classes: hubClasses,
    yearGroupOptions: options,
    yearGroupNames: new Map(yearGroups.map((group) => [group.yearGroupId, group.name])),
    teachers,
  };
}

function misClass(
  kind: MisClass['kind'],
  group: AssemblyRegistrationGroup | AssemblyTeachingGroup,
  yearOf: ReadonlyMap<string, string>,
  names: ReadonlyMap<string, string>,
): MisClass {
  const students = (group.student_ids ?? []).map(String);
  const years = [...new Set(students.flatMap((id) => (yearOf.has(id) ? [yearOf.get(id)!] : [])))].sort(
    (a, b) => (yearsAfterReception(a) ?? 99) - (yearsAfterReception(b) ?? 99),
  );
  const subject = 'subject' in group ? (group.subject?.name ?? null) : null;
  return {
    misId: `${kind === 'registration' ? 'reg' : 'teach'}-${group.id}`,
    kind,
    name: group.name ?? String(group.id),
    subject,
    pupils: students.length,
    years,
    supervisors: group.supervisor_ids.map((id) => ({
      misId: String(id),
      name: names.get(String(id)) || `Member of staff ${id}`,
    })),
  };
}
