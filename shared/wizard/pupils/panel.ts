import * as z from 'zod';
import { syncStateOf, type SyncState } from '../../core/syncState';
import { intakeCohort, isNursery, yearsAfterReception } from '../../domain/cohort';
import { genderSchema, type HubClass, type HubPupil, type HubYearGroup } from '../../domain/records';
import { comparePupils, matchPupils } from '../../matching/pupils';
import type { MatchResult, PupilRecord } from '../../matching/types';
import type { ReviewPlan } from '../review/plan';
import { buildReview, type Overwrite, type Review, type ReviewRow, type ReviewSubject } from '../review/rows';

/**
 * A MIS pupil as kept in the panel's snapshot: only the fields of the product guide's GDPR table
 * that the Admin Hub keeps, with the MIS year group and classes the pupil is in (ids and names,
 * so the review can name them without another Assembly call).
 */
export const misPupilSchema = z.object({
  misId: z.string(),
  upn: z.string().nullable(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  lastName: z.string(),
  /** Other names the MIS knows the pupil by (legal first name, former surname): evidence for matching only. */
  otherFirstNames: z.array(z.string()),
  otherLastNames: z.array(z.string()),
  dob: z.string().nullable(),
  gender: genderSchema.nullable(),
  pupilPremium: z.boolean().nullable(),
  yearCode: z.string().nullable(),
  yearGroup: z.object({ misId: z.string(), name: z.string() }).nullable(),
  classes: z.array(z.object({ misId: z.string(), name: z.string() })),
});
export type MisPupil = z.infer<typeof misPupilSchema>;

interface PupilFields {
  firstName: string;
  middleName: string | null;
  lastName: string;
  dob: string | null;
  gender: 'F' | 'M' | null;
  /** Only the last four characters: enough to tell twins apart, never the whole national id on screen. */
  upnTail: string | null;
  pupilPremium: boolean | null;
  intakeYear: number | null;
  yearGroup: string | null;
  classes: string[];
}

export interface HubPupilView extends PupilFields {
  id: string;
  username: string;
  sync: SyncState;
  version: number;
}

export interface MisPupilView extends PupilFields {
  id: string;
  yearCode: string | null;
  /** Why this pupil cannot be imported yet (their year group is not synced); null when they can. */
  blocked: string | null;
}

export type PupilRow = ReviewRow<HubPupilView, MisPupilView>;

export interface PupilChoice {
  id: string;
  name: string;
}

export type PupilsReview = Review<HubPupilView, MisPupilView> & {
  /** Pupils in Nursery, left out, and the line that says so. */
  nursery: { count: number; note: string } | null;
  /** The selection the review was made from, in words, and how many MIS pupils it leaves out. */
  selection: { words: string; outside: number };
};

export interface PupilsContext {
  pupils: HubPupil[];
  yearGroups: HubYearGroup[];
  classes: HubClass[];
  /** The calendar year the MIS's school year started (the Year groups panel's choice): gives an intake year. */
  startYear: number;
}

/** The fields a sync writes on a pupil (the MIS wins for all of them); Unmatch restores them from the backup. */
export const PUPIL_SYNCED_FIELDS = [
  'upn',
  'firstName',
  'middleName',
  'lastName',
  'dob',
  'gender',
  'pupilPremium',
  'intakeYear',
  'yearGroupId',
  'classIds',
] as const;

/** What the MIS sets on a Hub pupil: its values, placed in the synced year group and classes. */
export interface PupilTarget {
  upn: string | null;
  firstName: string;
  middleName: string | null;
  lastName: string;
  dob: string | null;
  gender: 'F' | 'M' | null;
  pupilPremium: boolean | null;
  intakeYear: number | null;
  yearGroupId: string | null;
  classIds: string[];
}

const yearWords = (code: string | null) =>
  code === null ? 'no year' : yearsAfterReception(code) === 0 ? 'Reception' : `Year ${code.replace(/^0/, '')}`;

/** The Hub's year groups and classes as the MIS's: synced ones, by MIS id. */
export class Placement {
  readonly yearGroupByMis: ReadonlyMap<string, HubYearGroup>;
  readonly classByMis: ReadonlyMap<string, HubClass>;
  readonly syncedClassIds: ReadonlySet<string>;
  readonly yearGroupName: ReadonlyMap<string, string>;
  readonly className: ReadonlyMap<string, string>;

  constructor(private readonly context: PupilsContext) {
    const synced = <T extends { misId: string | null; syncStatus: string }>(record: T) =>
      record.misId !== null && record.syncStatus === 'synced';
    this.yearGroupByMis = new Map(context.yearGroups.filter(synced).map((group) => [group.misId!, group]));
    this.classByMis = new Map(context.classes.filter(synced).map((group) => [group.misId!, group]));
    this.syncedClassIds = new Set(context.classes.filter(synced).map((group) => group.classId));
    this.yearGroupName = new Map(context.yearGroups.map((group) => [group.yearGroupId, group.name]));
    this.className = new Map(context.classes.map((group) => [group.classId, group.name]));
  }

  /**
   * The MIS's values for a pupil, placed in the Hub: the synced year group of their MIS year group
   * and the synced classes of their MIS classes. A class the MIS no longer gives them is left only
   * if it is a Hub-only class; a pupil whose year group is not synced keeps the Hub's.
   */
  target(mis: MisPupil, hub: HubPupil | null): PupilTarget {
    const yearGroup = mis.yearGroup ? this.yearGroupByMis.get(mis.yearGroup.misId) : undefined;
    const fromMis = mis.classes.flatMap((group) => {
      const hubClass = this.classByMis.get(group.misId);
      return hubClass ? [hubClass.classId] : [];
    });
    const hubOnly = (hub?.classIds ?? []).filter((id) => !this.syncedClassIds.has(id));
    return {
      upn: mis.upn,
      firstName: mis.firstName,
      middleName: mis.middleName,
      lastName: mis.lastName,
      dob: mis.dob,
      gender: mis.gender,
      pupilPremium: mis.pupilPremium,
      intakeYear: yearGroup?.intakeYear ?? intakeCohort(mis.yearCode, this.context.startYear),
      yearGroupId: yearGroup?.yearGroupId ?? hub?.yearGroupId ?? null,
      classIds: [...new Set([...hubOnly, ...fromMis])].sort(),
    };
  }

  /** Why a new pupil cannot be imported: MARK puts every pupil in a year group. */
  blocked(mis: MisPupil): string | null {
    if (mis.yearGroup && this.yearGroupByMis.has(mis.yearGroup.misId)) return null;
    return `${mis.yearGroup?.name ?? yearWords(mis.yearCode)} is not synced: sync it in the Year groups panel first`;
  }

  yearGroupOf(id: string | null): string | null {
    return id === null ? null : (this.yearGroupName.get(id) ?? null);
  }
  classesOf(ids: readonly string[]): string[] {
    return ids.flatMap((id) => (this.className.has(id) ? [this.className.get(id)!] : [])).sort();
  }
}

const upnTail = (upn: string | null) => (upn ? upn.slice(-4) : null);

export const pupilRecordOfHub = (pupil: HubPupil, yearCode: string | null): PupilRecord => ({
  id: pupil.pupilId,
  upn: pupil.upn,
  misId: pupil.syncStatus === 'none' ? null : pupil.misId,
  firstName: pupil.firstName,
  middleName: pupil.middleName,
  lastName: pupil.lastName,
  dob: pupil.dob,
  gender: pupil.gender,
  yearCode,
});

export const pupilRecordOfMis = (pupil: MisPupil): PupilRecord => ({
  id: pupil.misId,
  upn: pupil.upn,
  misId: null,
  firstName: pupil.firstName,
  middleName: pupil.middleName,
  lastName: pupil.lastName,
  otherFirstNames: pupil.otherFirstNames,
  otherLastNames: pupil.otherLastNames,
  dob: pupil.dob,
  gender: pupil.gender,
  yearCode: pupil.yearCode,
});

const shown = {
  name: (fields: { firstName: string; middleName: string | null; lastName: string }) =>
    [fields.firstName, fields.middleName, fields.lastName].filter(Boolean).join(' '),
  pp: (value: boolean | null) => (value === null ? null : value ? 'Pupil premium' : 'Not pupil premium'),
  gender: (value: 'F' | 'M' | null) => (value === 'F' ? 'Female' : value === 'M' ? 'Male' : null),
};

/** Every Hub value the MIS will overwrite, in words, beside the MIS's (shown struck out). */
export function pupilOverwrites(hub: HubPupil, target: PupilTarget, placement: Placement): Overwrite[] {
  const changes: Overwrite[] = [];
  const differs = (field: string, hubValue: string | null, misValue: string | null) => {
    if ((hubValue ?? '') !== (misValue ?? '')) changes.push({ field, hubValue, misValue });
  };
  differs('firstName', hub.firstName, target.firstName);
  differs('middleName', hub.middleName, target.middleName);
  differs('lastName', hub.lastName, target.lastName);
  differs('dob', hub.dob, target.dob);
  // Only UPN tails are shown; two UPNs with the same tail still differ.
  if ((hub.upn ?? '') !== (target.upn ?? ''))
    changes.push({
      field: 'upn',
      hubValue: hub.upn && upnTail(hub.upn) === upnTail(target.upn) ? 'a different UPN' : upnTail(hub.upn),
      misValue: upnTail(target.upn),
    });
  differs('gender', shown.gender(hub.gender), shown.gender(target.gender));
  differs('pupilPremium', shown.pp(hub.pupilPremium), shown.pp(target.pupilPremium));
  differs('yearGroup', placement.yearGroupOf(hub.yearGroupId), placement.yearGroupOf(target.yearGroupId));
  // Classes as a change of membership: the classes the pupil leaves (struck out), and those they join.
  const leaves = hub.classIds.filter((id) => !target.classIds.includes(id));
  const joins = target.classIds.filter((id) => !hub.classIds.includes(id));
  const keeps = hub.classIds.filter((id) => !placement.syncedClassIds.has(id));
  if (leaves.length || joins.length)
    changes.push({
      field: 'classes',
      hubValue: placement.classesOf(leaves).join(', ') || null,
      misValue: placement.classesOf(joins).join(', ') || null,
      leaves: placement.classesOf(leaves),
      ...(keeps.length ? { keeps: placement.classesOf(keeps) } : {}),
    });
  differs('intakeYear', hub.intakeYear?.toString() ?? null, target.intakeYear?.toString() ?? null);
  return changes;
}

function subject(context: PupilsContext, placement: Placement): ReviewSubject<HubPupil, MisPupil, HubPupilView, MisPupilView> {
  const yearCodeOf = (pupil: HubPupil) =>
    context.yearGroups.find((group) => group.yearGroupId === pupil.yearGroupId)?.yearCode ?? null;
  return {
    hubId: (hub) => hub.pupilId,
    misId: (mis) => mis.misId,
    syncOf: (hub) => hub,
    hubView: (hub) => ({
      id: hub.pupilId,
      firstName: hub.firstName,
      middleName: hub.middleName,
      lastName: hub.lastName,
      dob: hub.dob,
      gender: hub.gender,
      upnTail: upnTail(hub.upn),
      pupilPremium: hub.pupilPremium,
      intakeYear: hub.intakeYear,
      yearGroup: placement.yearGroupOf(hub.yearGroupId),
      classes: placement.classesOf(hub.classIds),
      username: hub.username,
      sync: syncStateOf(hub),
      version: hub.version,
    }),
    misView: (mis) => {
      const target = placement.target(mis, null);
      return {
        id: mis.misId,
        firstName: mis.firstName,
        middleName: mis.middleName,
        lastName: mis.lastName,
        dob: mis.dob,
        gender: mis.gender,
        upnTail: upnTail(mis.upn),
        pupilPremium: mis.pupilPremium,
        intakeYear: target.intakeYear,
        yearCode: mis.yearCode,
        yearGroup: placement.yearGroupOf(target.yearGroupId) ?? mis.yearGroup?.name ?? yearWords(mis.yearCode),
        // Every MIS class, synced or not: the synced ones are where the pupil goes.
        classes: mis.classes.map((group) => placement.classByMis.get(group.misId)?.name ?? group.name).sort(),
        blocked: placement.blocked(mis),
      };
    },
    sortName: (view) => `${view.lastName} ${view.firstName}`,
    displayName: (view) => `${view.firstName} ${view.lastName}`,
    overwrites: (hub, mis) => pupilOverwrites(hub, placement.target(mis, hub), placement),
    compare: (hub, mis) => comparePupils(pupilRecordOfHub(hub, yearCodeOf(hub)), pupilRecordOfMis(mis)),
    words: {
      noMatch: 'No pupil in your MIS has these names and date of birth',
      noHubMatch: 'No Admin Hub pupil has these names and date of birth',
      disagree: 'These records disagree on names or date of birth: check that this is the same child.',
    },
    importProblems(ticked) {
      const problems = new Map<string, string>();
      for (const mis of ticked) {
        const blocked = placement.blocked(mis);
        if (blocked) problems.set(mis.misId, blocked);
      }
      return problems;
    },
    // The product guide: a new pupil is imported unless the co-ordinator matches or unticks them.
    importByDefault: (mis) => placement.blocked(mis) === null,
    importProblemSummary: (count) =>
      `${count} pupil${count === 1 ? '' : 's'} to import ${count === 1 ? 'is' : 'are'} in a year group that is not synced`,
  };
}

/** Whether a MIS pupil is in the co-ordinator's selection (null: all pupils). */
export function inSelection(selection: ReviewPlan['selection'], context: PupilsContext): (pupil: MisPupil) => boolean {
  if (!selection) return () => true;
  const misIdOf = (records: readonly { misId: string | null }[], ids: readonly string[], idOf: (record: never) => string) => {
    const wanted = new Set(ids);
    return new Set(records.flatMap((record) => (wanted.has(idOf(record as never)) && record.misId ? [record.misId] : [])));
  };
  const years = misIdOf(context.yearGroups, selection.yearGroups, (group: HubYearGroup) => group.yearGroupId);
  const classes = misIdOf(context.classes, selection.classes, (group: HubClass) => group.classId);
  return (pupil) =>
    (pupil.yearGroup !== null && years.has(pupil.yearGroup.misId)) || pupil.classes.some((group) => classes.has(group.misId));
}

export function selectionWords(selection: ReviewPlan['selection'], context: PupilsContext): string {
  if (!selection) return 'All pupils';
  const rank = (code: string | null) => yearsAfterReception(code) ?? 99;
  const names = [
    ...context.yearGroups
      .filter((group) => selection.yearGroups.includes(group.yearGroupId))
      .sort((a, b) => rank(a.yearCode) - rank(b.yearCode))
      .map((group) => group.name),
    ...context.classes.filter((group) => selection.classes.includes(group.classId)).map((group) => group.name),
  ];
  return names.length ? names.join(', ') : 'No pupils';
}

/**
 * The matcher's proposal over every MIS pupil (so a rival in another year group still counts),
 * kept to the selection: a Hub pupil whose partner is outside it is not shown (it belongs to a
 * later review); a Hub pupil linked to someone who has left the MIS is held out, as Out of sync.
 */
export function proposePupilMatches(
  context: PupilsContext,
  mis: readonly MisPupil[],
  chosen: (pupil: MisPupil) => boolean,
): { proposal: MatchResult; hidden: ReadonlySet<string> } {
  const present = new Set(mis.map((pupil) => pupil.misId));
  const stale = (pupil: HubPupil) => pupil.syncStatus !== 'none' && pupil.misId !== null && !present.has(pupil.misId);
  const codeOf = new Map(context.yearGroups.map((group) => [group.yearGroupId, group.yearCode]));
  const result = matchPupils(
    context.pupils
      .filter((pupil) => !stale(pupil))
      .map((pupil) => pupilRecordOfHub(pupil, codeOf.get(pupil.yearGroupId ?? '') ?? null)),
    mis.map(pupilRecordOfMis),
  );
  const inScope = new Set(mis.filter(chosen).map((pupil) => pupil.misId));
  const hidden = new Set<string>();
  const keep = (pair: { hubId: string; misId: string }) => inScope.has(pair.misId) || (hidden.add(pair.hubId), false);
  return {
    proposal: {
      matched: result.matched.filter(keep),
      mayMatch: result.mayMatch.filter(keep),
      new: result.new.filter((id) => inScope.has(id)),
      notMatched: [...result.notMatched, ...context.pupils.filter(stale).map((pupil) => pupil.pupilId)],
    },
    hidden,
  };
}

export function buildPupilsReview(context: PupilsContext, misAll: readonly MisPupil[], plan: ReviewPlan): PupilsReview {
  const mis = misAll.filter((pupil) => !isNursery(pupil.yearCode));
  const nursery = misAll.length - mis.length;
  const placement = new Placement(context);
  const chosen = inSelection(plan.selection, context);
  const { proposal, hidden } = proposePupilMatches(context, mis, chosen);
  const scoped = mis.filter(chosen);
  const review = buildReview(
    subject(context, placement),
    context.pupils.filter((pupil) => !hidden.has(pupil.pupilId)),
    scoped,
    proposal,
    plan,
  );
  return {
    ...review,
    nursery: nursery
      ? { count: nursery, note: `Nursery pupils are not synced (${nursery} in your MIS): MARK’s tests start in Reception.` }
      : null,
    selection: { words: selectionWords(plan.selection, context), outside: mis.length - scoped.length },
  };
}
