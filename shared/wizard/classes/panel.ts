import * as z from 'zod';
import { isNursery, yearsAfterReception } from '../../domain/cohort';
import type { HubClass, HubTeacher } from '../../domain/records';
import { syncStateOf, type SyncState } from '../../core/syncState';
import type { MatchResult, ProposedPair } from '../../matching/types';
import type { ReviewPlan } from '../review/plan';
import { buildReview, type Review, type ReviewRow, type ReviewSubject } from '../review/rows';

/** A MIS class (a registration or teaching group) as kept in the panel's snapshot. */
export const misClassSchema = z.object({
  misId: z.string(),
  kind: z.enum(['registration', 'teaching']),
  name: z.string(),
  subject: z.string().nullable(),
  pupils: z.number().int().nonnegative(),
  /** The year codes of its pupils, lowest first. */
  years: z.array(z.string()),
  /** Its teachers in the MIS (Assembly's supervisor_ids, with their names). */
  supervisors: z.array(z.object({ misId: z.string(), name: z.string() })),
});
export type MisClass = z.infer<typeof misClassSchema>;

/** A year group a class can be created in: synced in the Hub, or ticked in the Year groups panel. */
export interface YearGroupOption {
  id: string;
  name: string;
  code: string | null;
}

export interface ClassTeacher {
  name: string;
  /** Linked to a synced Hub teacher; otherwise the MIS person is not synced yet. */
  synced: boolean;
}

export interface HubClassView {
  id: string;
  name: string;
  description: string | null;
  yearGroup: string | null;
  teachers: string[];
  mixedYears: string[] | null;
  sync: SyncState;
  version: number;
}

export interface MisClassView {
  id: string;
  kind: 'registration' | 'teaching';
  name: string;
  subject: string | null;
  pupils: number;
  years: string[];
  /** The year group it will be created in: chosen, or its pupils' shared year. */
  yearGroupId: string | null;
  description: string;
  teachers: ClassTeacher[];
}

export type ClassRow = ReviewRow<HubClassView, MisClassView>;
export type ClassesReview = Review<HubClassView, MisClassView> & {
  yearGroupOptions: YearGroupOption[];
  /** Classes whose pupils are all in Nursery, left out, and the line that says so. */
  nursery: { count: number; note: string } | null;
};

export interface ClassesContext {
  classes: HubClass[];
  yearGroupOptions: YearGroupOption[];
  /** Every Hub year group's name, by id, for the Hub side. */
  yearGroupNames: ReadonlyMap<string, string>;
  teachers: HubTeacher[];
}

export const CLASS_SYNCED_FIELDS = ['name', 'kind', 'subject', 'teacherIds', 'mixedYears'] as const;
export const CLASS_VALUE_FIELDS = ['yearGroup', 'description'] as const;

/** Class names compared as a school writes them: case and spacing do not count. */
export const standardClassName = (name: string) => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-GB');

const yearsWords = (years: readonly string[]) => {
  const named = years.map((code) => (yearsAfterReception(code) === 0 ? 'Reception' : `Year ${code}`));
  return named.length <= 1 ? (named[0] ?? 'no year') : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
};
export const mixedYearsWords = (years: readonly string[]) => `Mixed-year class: ${yearsWords(years)}`;

/** The year group pre-selected for a new class: the one its pupils share, if it is offered. */
export function suggestedYearGroup(mis: MisClass, options: readonly YearGroupOption[]): string | null {
  if (mis.years.length !== 1) return null;
  const years = yearsAfterReception(mis.years[0]!);
  return options.find((option) => yearsAfterReception(option.code) === years)?.id ?? null;
}

const fullName = (teacher: Pick<HubTeacher, 'title' | 'firstName' | 'lastName'>) =>
  [teacher.title, teacher.firstName, teacher.lastName].filter(Boolean).join(' ');

function subject(context: ClassesContext): ReviewSubject<HubClass, MisClass, HubClassView, MisClassView> {
  const teacherByMis = new Map(
    context.teachers.flatMap((teacher) => (teacher.misId && teacher.syncStatus === 'synced' ? [[teacher.misId, teacher]] : [])),
  );
  const teacherById = new Map(context.teachers.map((teacher) => [teacher.teacherId, teacher]));
  const offered = new Set(context.yearGroupOptions.map((option) => option.id));
  return {
    hubId: (hub) => hub.classId,
    misId: (mis) => mis.misId,
    syncOf: (hub) => hub,
    hubView: (hub) => ({
      id: hub.classId,
      name: hub.name,
      description: hub.description,
      yearGroup: hub.yearGroupId ? (context.yearGroupNames.get(hub.yearGroupId) ?? null) : null,
      teachers: hub.teacherIds.flatMap((id) => (teacherById.has(id) ? [fullName(teacherById.get(id)!)] : [])),
      mixedYears: hub.mixedYears,
      sync: syncStateOf(hub),
      version: hub.version,
    }),
    misView: (mis, plan) => {
      const chosen = plan.values[mis.misId]?.yearGroup;
      return {
        id: mis.misId,
        kind: mis.kind,
        name: mis.name,
        subject: mis.subject,
        pupils: mis.pupils,
        years: mis.years,
        yearGroupId: chosen && offered.has(chosen) ? chosen : suggestedYearGroup(mis, context.yearGroupOptions),
        description: plan.values[mis.misId]?.description ?? '',
        teachers: mis.supervisors.map((supervisor) => {
          const teacher = teacherByMis.get(supervisor.misId);
          return teacher ? { name: fullName(teacher), synced: true } : { name: supervisor.name, synced: false };
        }),
      };
    },
    sortName: (view) => view.name,
    displayName: (view) => view.name,
    overwrites: (hub, mis) => (hub.name !== mis.name ? [{ field: 'name', hubValue: hub.name, misValue: mis.name }] : []),
    compare: (hub, mis) =>
      standardClassName(hub.name) === standardClassName(mis.name)
        ? { score: 1, reasons: ['Same name'], disagrees: false }
        : { score: 0, reasons: [`Different names: ${hub.name} and ${mis.name}`], disagrees: false },
    words: {
      noMatch: 'No class in your MIS has the same name',
      noHubMatch: 'No Admin Hub class has the same name',
      disagree: 'These classes have different names: check that this is the same class.',
    },
    importProblems(ticked, plan) {
      const problems = new Map<string, string>();
      for (const mis of ticked) {
        const chosen = plan.values[mis.misId]?.yearGroup;
        if (chosen && !offered.has(chosen))
          problems.set(mis.misId, 'That year group is not synced: choose another, or sync it in the Year groups panel');
        else if (!chosen && !suggestedYearGroup(mis, context.yearGroupOptions))
          problems.set(mis.misId, 'Choose a year group (sync it in the Year groups panel first if it is not offered)');
      }
      return problems;
    },
    importProblemSummary: (count) =>
      `${count} class${count === 1 ? '' : 'es'} to create need${count === 1 ? 's' : ''} a year group`,
  };
}

/**
 * Classes match by name (case and spacing aside), one to one, never by hand-picked guesswork: a
 * link from an earlier sync holds first. Anything else is matched by hand.
 */
export function proposeClassMatches(hub: readonly HubClass[], mis: readonly MisClass[]): MatchResult {
  const misIds = new Set(mis.map((group) => group.misId));
  const taken = new Set<string>();
  const paired = new Set<string>();
  const matched: ProposedPair[] = [];
  const linked = (group: HubClass) => group.syncStatus !== 'none' && group.misId !== null;
  for (const group of hub.filter(linked)) {
    if (!misIds.has(group.misId!)) continue;
    matched.push({ hubId: group.classId, misId: group.misId!, score: 1, reasons: ['Linked by an earlier sync'] });
    taken.add(group.misId!);
    paired.add(group.classId);
  }
  const byName = new Map<string, MisClass[]>();
  for (const group of mis)
    byName.set(standardClassName(group.name), [...(byName.get(standardClassName(group.name)) ?? []), group]);
  for (const group of hub.filter((candidate) => !linked(candidate))) {
    const partner = byName.get(standardClassName(group.name))?.find((candidate) => !taken.has(candidate.misId));
    if (!partner) continue;
    taken.add(partner.misId);
    paired.add(group.classId);
    matched.push({ hubId: group.classId, misId: partner.misId, score: 1, reasons: ['Same name'] });
  }
  return {
    matched,
    mayMatch: [],
    new: mis.filter((group) => !taken.has(group.misId)).map((group) => group.misId),
    notMatched: hub.filter((group) => !paired.has(group.classId)).map((group) => group.classId),
  };
}

export function buildClassesReview(context: ClassesContext, misAll: readonly MisClass[], plan: ReviewPlan): ClassesReview {
  const nurseryOnly = (group: MisClass) => group.years.length > 0 && group.years.every(isNursery);
  const mis = misAll.filter((group) => !nurseryOnly(group));
  const left = misAll.length - mis.length;
  return {
    ...buildReview(subject(context), context.classes, mis, proposeClassMatches(context.classes, mis), plan),
    yearGroupOptions: context.yearGroupOptions,
    nursery: left
      ? {
          count: left,
          note: `Nursery classes are not synced (${left} in your MIS): MARK’s tests start in Reception.`,
        }
      : null,
  };
}
