import { itemsOf } from '../../assembly/client';
import type {
  AssemblyRegistrationGroup,
  AssemblyStudent,
  AssemblyTeachingGroup,
  AssemblyYearGroup,
} from '../../assembly/schemas';
import { ValidationError, type FieldErrors } from '../../core/errors';
import { defaultSchoolYearChoice, schoolYearStart, yearsAfterReception, type SchoolYearChoice } from '../../domain/cohort';
import { usernameAllocator } from '../../domain/usernames';
import { hubPupilSchema, type HubPupil, type Session } from '../../domain/records';
import type { Dependencies } from '../../runtime/dependencies';
import { panelUseCases, reviewedVersion, snapshotRecords, type PanelDefinition } from '../review/panel';
import { loadPlan, storePlan, type ReviewPlan } from '../review/plan';
import { SCHOOL_YEAR_SETTING, type MisYearGroup } from '../yearGroups/panel';
import { yearGroupsPanel } from '../yearGroups/useCases';
import { classesPanel } from '../classes/useCases';
import type { MisClass } from '../classes/panel';
import {
  buildPupilsReview,
  misPupilSchema,
  Placement,
  PUPIL_SYNCED_FIELDS,
  type MisPupil,
  type PupilsContext,
  type PupilsReview,
} from './panel';
import { pupilsRun, type PupilEntry } from './sync';

/** The Pupils panel on the shared panel framework (review/panel.ts). */
export const pupilsPanel: PanelDefinition<MisPupil, PupilsContext, PupilsReview, PupilEntry, HubPupil> = {
  panel: 'pupils',
  nouns: { hub: 'pupil', mis: 'MIS pupil', panelTitle: 'Pupils' },
  snapshot: { name: 'snapshot#pupils', schema: misPupilSchema },
  misId: (pupil) => pupil.misId,
  async fetch(assembly, tokens, progress) {
    // Every pupil, 1,500 to a page (the fewest requests): the selection is applied in the review,
    // so that a rival in another year group still counts. One listing after another: within the
    // school token's budget, and a token refresh is never raced.
    const students = itemsOf(await assembly.students(tokens, { include: ['demographics'], onPage: progress }));
    const years = itemsOf(await assembly.yearGroups(tokens));
    const registration = itemsOf(await assembly.registrationGroups(tokens));
    const teaching = itemsOf(await assembly.teachingGroups(tokens));
    return placeMisPupils(students.map(misPupilFields), misGroupsOf(years, registration, teaching));
  },
  context: pupilsContext,
  hubIds: (context) => context.pupils.map((pupil) => pupil.pupilId),
  review: (context, mis, plan) => buildPupilsReview(context, mis, plan),
  pairTicks: true,
  selectionProblems(selection, context) {
    const problems: FieldErrors = {};
    const yearGroups = new Set(
      context.yearGroups.filter((group) => group.syncStatus === 'synced').map((group) => group.yearGroupId),
    );
    const classes = new Set(context.classes.filter((group) => group.syncStatus === 'synced').map((group) => group.classId));
    selection.yearGroups.forEach((id, index) => {
      if (!yearGroups.has(id)) problems[`selection.yearGroups.${index}`] = 'Choose a year group synced in the Year groups panel';
    });
    selection.classes.forEach((id, index) => {
      if (!classes.has(id)) problems[`selection.classes.${index}`] = 'Choose a class synced in the Classes panel';
    });
    if (!selection.yearGroups.length && !selection.classes.length)
      problems.selection = 'Choose at least one year group or class, or all pupils';
    return problems;
  },
  entries({ context, view, mis, reviewed }) {
    const placement = new Placement(context);
    const hubById = new Map(context.pupils.map((pupil) => [pupil.pupilId, pupil]));
    const misById = new Map(mis.map((pupil) => [pupil.misId, pupil]));
    const username = usernameAllocator(context.pupils.map((pupil) => pupil.username));
    return view.rows.flatMap((row): PupilEntry[] => {
      if (row.status === 'matched' && row.ticked) {
        const hub = hubById.get(row.hub.id)!;
        const version = reviewedVersion(pupilsPanel, reviewed, hub.pupilId, row.mis.id);
        if (row.source === 'linked' && hub.syncStatus === 'synced' && row.overwritten.length === 0) return [];
        return [
          {
            op: 'link',
            hubId: hub.pupilId,
            misId: row.mis.id,
            replacesMisId: hub.misId && hub.misId !== row.mis.id ? hub.misId : null,
            version,
            label: `${row.mis.firstName} ${row.mis.lastName}`,
            ...placement.target(misById.get(row.mis.id)!, hub),
          },
        ];
      }
      if (row.status === 'new' && row.import && !row.mis.blocked) {
        const pupil = misById.get(row.mis.id)!;
        return [
          {
            op: 'import',
            misId: pupil.misId,
            label: `${pupil.firstName} ${pupil.lastName}`,
            username: username(pupil.firstName, pupil.lastName),
            ...placement.target(pupil, null),
          },
        ];
      }
      return [];
    });
  },
  run: pupilsRun,
  restore: {
    recordKind: 'pupil',
    get: async (deps, centreId, hubId) =>
      (await deps.store.listPupils(centreId)).find((pupil) => pupil.pupilId === hubId) ?? null,
    parse: (stored) => hubPupilSchema.parse(stored),
    syncedFields: PUPIL_SYNCED_FIELDS,
  },
};

export const pupils = {
  ...panelUseCases(pupilsPanel),

  /**
   * The filter step: the synced year groups and classes to choose from (the Hub's, no Assembly
   * call), with how many Hub pupils each holds, and the selection the plan has now.
   */
  async selection(deps: Dependencies, session: Session) {
    const [context, plan, misYears, misClasses] = await Promise.all([
      pupilsContext(deps, session),
      loadPlan(deps, session.centreId, pupilsPanel.panel),
      snapshotRecords(deps, session.centreId, yearGroupsPanel as never).catch(() => null),
      snapshotRecords(deps, session.centreId, classesPanel as never).catch(() => null),
    ]);
    // How many pupils the MIS has in each, as last loaded by the Year groups and Classes panels.
    const misCount = new Map(
      [...((misYears?.records ?? []) as MisYearGroup[]), ...((misClasses?.records ?? []) as MisClass[])].map((group) => [
        group.misId,
        group.pupils,
      ]),
    );
    const pupilsIn = (misId: string | null) => (misId === null ? null : (misCount.get(misId) ?? null));
    const rank = (code: string | null) => yearsAfterReception(code) ?? 99;
    return {
      planVersion: plan.version,
      selection: plan.selection,
      yearGroups: context.yearGroups
        .filter((group) => group.syncStatus === 'synced')
        .sort((a, b) => rank(a.yearCode) - rank(b.yearCode) || a.name.localeCompare(b.name, 'en-GB'))
        .map((group) => ({ id: group.yearGroupId, name: group.name, pupils: pupilsIn(group.misId) })),
      classes: context.classes
        .filter((group) => group.syncStatus === 'synced')
        .sort((a, b) => a.name.localeCompare(b.name, 'en-GB', { numeric: true }))
        .map((group) => ({ id: group.classId, name: group.name, pupils: pupilsIn(group.misId) })),
    };
  },

  /** Keeps the filter step's choice in the plan (null: all pupils); the load follows. */
  async choose(deps: Dependencies, session: Session, body: { planVersion: number; selection: ReviewPlan['selection'] }) {
    const [context, plan] = await Promise.all([
      pupilsContext(deps, session),
      loadPlan(deps, session.centreId, pupilsPanel.panel),
    ]);
    if (body.selection) {
      const problems = pupilsPanel.selectionProblems!(body.selection, context);
      if (Object.keys(problems).length) throw new ValidationError(problems);
    }
    await storePlan(deps, session.centreId, pupilsPanel.panel, { ...plan, version: body.planVersion, selection: body.selection });
    return pupils.selection(deps, session);
  },
};

/** The filter step's view: synced year groups and classes with their Hub pupils, and the choice so far. */
export type PupilSelectionView = Awaited<ReturnType<typeof pupils.selection>>;

/** The Hub side of the Pupils panel: its pupils, year groups, classes and the school year's start (also the nightly sync's). */
export async function pupilsContext(deps: Dependencies, session: Pick<Session, 'centreId'>): Promise<PupilsContext> {
  const { centreId } = session;
  const [hubPupils, yearGroups, classes, yearGroupPlan, misYearGroups] = await Promise.all([
    deps.store.listPupils(centreId),
    deps.store.listYearGroups(centreId),
    deps.store.listClasses(centreId),
    loadPlan(deps, centreId, yearGroupsPanel.panel),
    snapshotRecords(deps, centreId, yearGroupsPanel as never).catch(() => null),
  ]);
  // The Year groups panel's school-year choice (or its suggestion): gives a pupil outside a synced year group an intake year.
  const today = deps.clock.now();
  const academicYear =
    (misYearGroups?.records as MisYearGroup[] | undefined)?.find((group) => group.academicYear)?.academicYear ?? null;
  const chosen = yearGroupPlan.settings[SCHOOL_YEAR_SETTING] as SchoolYearChoice | undefined;
  const choice = chosen ?? defaultSchoolYearChoice(academicYear, today).choice;
  return { pupils: hubPupils, yearGroups, classes, startYear: schoolYearStart(choice, today) };
}

const genderOf = (value: string | null | undefined) => {
  const letter = value?.trim().charAt(0).toUpperCase();
  return letter === 'F' || letter === 'M' ? letter : null;
};

/** A MIS pupil's own fields, before they are placed in their year group and classes. */
export type MisPupilFields = Omit<MisPupil, 'yearGroup' | 'classes'>;

/** The MIS's year groups and classes (registration groups `reg-<id>`, teaching groups `teach-<id>`) with their pupils. */
export interface MisGroups {
  yearGroups: MisGroup[];
  classes: MisGroup[];
}
export interface MisGroup {
  misId: string;
  name: string;
  studentIds: string[];
}

export function misGroupsOf(
  years: readonly AssemblyYearGroup[],
  registration: readonly AssemblyRegistrationGroup[],
  teaching: readonly AssemblyTeachingGroup[],
): MisGroups {
  const members = (group: { student_ids?: number[] | null }) => (group.student_ids ?? []).map(String);
  return {
    yearGroups: years.map((group) => ({ misId: String(group.id), name: group.name ?? '', studentIds: members(group) })),
    classes: [
      ...registration.map((group) => ({
        misId: `reg-${group.id}`,
        name: group.name ?? String(group.id),
        studentIds: members(group),
      })),
      ...teaching.map((group) => ({
        misId: `teach-${group.id}`,
        name: group.name ?? String(group.id),
        studentIds: members(group),
      })),
    ],
  };
}

/** MIS pupils placed in the year group and classes the MIS lists them in. */
export function placeMisPupils(pupils: readonly MisPupilFields[], groups: MisGroups): MisPupil[] {
  const yearOf = new Map<string, { misId: string; name: string }>();
  for (const group of groups.yearGroups)
    for (const id of group.studentIds) yearOf.set(id, { misId: group.misId, name: group.name });
  const classesOf = new Map<string, { misId: string; name: string }[]>();
  for (const group of groups.classes)
    for (const id of group.studentIds)
      classesOf.set(id, [...(classesOf.get(id) ?? []), { misId: group.misId, name: group.name }]);
  return pupils.map((pupil) => ({
    ...pupil,
    yearGroup: yearOf.get(pupil.misId) ?? null,
    classes: [...(classesOf.get(pupil.misId) ?? [])].sort((a, b) => a.misId.localeCompare(b.misId)),
  }));
}

/** The fields the Admin Hub keeps of an Assembly student (the product guide's GDPR table). */
export function misPupilFields(student: AssemblyStudent): MisPupilFields {
  const firstName = student.first_name?.trim() || student.legal_first_name?.trim() || '';
  const lastName = student.last_name?.trim() || student.legal_last_name?.trim() || '';
  const other = (values: (string | null | undefined)[], known: string) => [
    ...new Set(values.flatMap((value) => (value?.trim() && value.trim() !== known ? [value.trim()] : []))),
  ];
  return {
    misId: String(student.id),
    upn: student.upn?.trim().toUpperCase() || null,
    firstName: firstName || 'Unknown',
    middleName: student.middle_name?.trim() || null,
    lastName: lastName || 'Unknown',
    otherFirstNames: other([student.legal_first_name], firstName),
    otherLastNames: other([student.legal_last_name, student.former_last_name], lastName),
    dob: student.dob ? student.dob.slice(0, 10) : null,
    gender: genderOf(student.demographics?.gender),
    pupilPremium: student.demographics?.is_pp ?? null,
    yearCode: student.year_code?.trim() || null,
  };
}
