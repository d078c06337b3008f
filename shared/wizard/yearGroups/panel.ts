import * as z from 'zod';
import {
  defaultSchoolYearChoice,
  intakeCohort,
  isNursery,
  schoolYearStart,
  yearsAfterReception,
  type SchoolYearChoice,
} from '../../domain/cohort';
import type { HubYearGroup } from '../../domain/records';
import { syncStateOf, type SyncState } from '../../core/syncState';
import type { MatchResult, ProposedPair } from '../../matching/types';
import type { ReviewPlan } from '../review/plan';
import { buildReview, type Review, type ReviewRow, type ReviewSubject } from '../review/rows';

/** A MIS year group as kept in the panel's snapshot. */
export const misYearGroupSchema = z.object({
  misId: z.string(),
  code: z.string().nullable(),
  name: z.string(),
  pupils: z.number().int().nonnegative(),
  /** The MIS's current academic year, as Assembly's /academic_years gives it. */
  academicYear: z.object({ name: z.string(), startDate: z.string() }).nullable(),
});
export type MisYearGroup = z.infer<typeof misYearGroupSchema>;

export interface HubYearGroupView {
  id: string;
  name: string;
  yearCode: string | null;
  intakeYear: number | null;
  sync: SyncState;
  version: number;
}

export interface MisYearGroupView {
  id: string;
  code: string | null;
  name: string;
  pupils: number;
  /** The current intake group: the calendar year these pupils started Reception. */
  cohort: number | null;
}

export type YearGroupRow = ReviewRow<HubYearGroupView, MisYearGroupView>;
export type YearGroupsReview = Review<HubYearGroupView, MisYearGroupView> & {
  schoolYear: { choice: SchoolYearChoice; startYear: number; suggested: SchoolYearChoice; why: string };
  /** Nursery year groups left out, and the line that says so. */
  nursery: { count: number; note: string } | null;
};

export const SCHOOL_YEAR_SETTING = 'schoolYear';
export const YEAR_GROUP_SYNCED_FIELDS = ['name', 'yearCode', 'intakeYear'] as const;

const label = (code: string | null) =>
  code === null ? 'no year code' : yearsAfterReception(code) === 0 ? 'Reception' : `Year ${code}`;

function subject(startYear: number): ReviewSubject<HubYearGroup, MisYearGroup, HubYearGroupView, MisYearGroupView> {
  const cohortOf = (mis: MisYearGroup) => intakeCohort(mis.code, startYear);
  return {
    hubId: (hub) => hub.yearGroupId,
    misId: (mis) => mis.misId,
    syncOf: (hub) => hub,
    hubView: (hub) => ({
      id: hub.yearGroupId,
      name: hub.name,
      yearCode: hub.yearCode,
      intakeYear: hub.intakeYear,
      sync: syncStateOf(hub),
      version: hub.version,
    }),
    misView: (mis) => ({ id: mis.misId, code: mis.code, name: mis.name, pupils: mis.pupils, cohort: cohortOf(mis) }),
    sortName: (view) =>
      String(yearsAfterReception('code' in view ? view.code : view.yearCode) ?? 99).padStart(3, '0') + view.name,
    displayName: (view) => view.name,
    overwrites: (hub, mis) => [
      ...(hub.name !== mis.name ? [{ field: 'name', hubValue: hub.name, misValue: mis.name }] : []),
      ...(hub.yearCode !== mis.code && mis.code !== null
        ? [{ field: 'yearCode', hubValue: hub.yearCode, misValue: mis.code }]
        : []),
      ...(cohortOf(mis) !== null && hub.intakeYear !== cohortOf(mis)
        ? [{ field: 'intakeYear', hubValue: hub.intakeYear?.toString() ?? null, misValue: String(cohortOf(mis)) }]
        : []),
    ],
    compare: (hub, mis) =>
      hub.yearCode !== null && hub.yearCode === mis.code
        ? { score: 1, reasons: [`Same year code (${label(mis.code)})`], disagrees: false }
        : { score: 0, reasons: [`Admin Hub: ${label(hub.yearCode)}; your MIS: ${label(mis.code)}`], disagrees: true },
    words: {
      noMatch: 'No year group in your MIS has this year code',
      noHubMatch: 'No Admin Hub year group has this year code yet',
      disagree: 'These year groups are for different years: check that this is right.',
    },
  };
}

/**
 * Year groups match by year code, never by name: a Hub that was never promoted holds last
 * year's pupils under this year's names. A link from an earlier sync holds first; a Hub year
 * group with no code whose name reads as a year (e.g. "Yr 3") is a May match.
 */
export function proposeYearGroupMatches(hub: readonly HubYearGroup[], mis: readonly MisYearGroup[]): MatchResult {
  const misById = new Map(mis.map((group) => [group.misId, group]));
  const taken = new Set<string>();
  const paired = new Set<string>();
  const matched: ProposedPair[] = [];
  const mayMatch: ProposedPair[] = [];
  const linked = (group: HubYearGroup) => group.syncStatus !== 'none' && group.misId !== null;
  for (const group of hub.filter(linked)) {
    if (!misById.has(group.misId!)) continue;
    matched.push({ hubId: group.yearGroupId, misId: group.misId!, score: 1, reasons: ['Linked by an earlier sync'] });
    taken.add(group.misId!);
    paired.add(group.yearGroupId);
  }
  const byCode = new Map(mis.map((group) => [yearsAfterReception(group.code), group]));
  for (const group of hub.filter((candidate) => !linked(candidate))) {
    const fromCode = yearsAfterReception(group.yearCode);
    const years = fromCode ?? yearsAfterReception(group.name);
    const partner = years === null ? undefined : byCode.get(years);
    if (!partner || taken.has(partner.misId)) continue;
    taken.add(partner.misId);
    paired.add(group.yearGroupId);
    if (fromCode !== null)
      matched.push({
        hubId: group.yearGroupId,
        misId: partner.misId,
        score: 1,
        reasons: [`Same year code (${label(partner.code)})`],
      });
    else
      mayMatch.push({
        hubId: group.yearGroupId,
        misId: partner.misId,
        score: 0.8,
        reasons: [`Has no year code, but its name reads as ${label(partner.code)}`],
      });
  }
  return {
    matched,
    mayMatch,
    new: mis.filter((group) => !taken.has(group.misId)).map((group) => group.misId),
    notMatched: hub.filter((group) => !paired.has(group.yearGroupId)).map((group) => group.yearGroupId),
  };
}

export function buildYearGroupsReview(
  hub: readonly HubYearGroup[],
  misAll: readonly MisYearGroup[],
  plan: ReviewPlan,
  today: Date,
): YearGroupsReview {
  const mis = misAll.filter((group) => !isNursery(group.code));
  const nurseries = misAll.length - mis.length;
  const suggested = defaultSchoolYearChoice(misAll.find((group) => group.academicYear)?.academicYear ?? null, today);
  const chosen = plan.settings[SCHOOL_YEAR_SETTING];
  const choice: SchoolYearChoice = chosen === 'this' || chosen === 'last' ? chosen : suggested.choice;
  const startYear = schoolYearStart(choice, today);
  const review = buildReview(subject(startYear), hub, mis, proposeYearGroupMatches(hub, mis), plan);
  return {
    ...review,
    schoolYear: { choice, startYear, suggested: suggested.choice, why: suggested.why },
    nursery: nurseries
      ? {
          count: nurseries,
          note: `Nursery is not synced (${nurseries} year group${nurseries === 1 ? '' : 's'} in your MIS): MARK’s tests start in Reception.`,
        }
      : null,
  };
}
