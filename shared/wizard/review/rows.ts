import { OUT_OF_SYNC_WORDS, type OutOfSyncReason, type SyncFields } from '../../core/syncState';
import type { MatchResult } from '../../matching/types';
import { pairKey, type ReviewPlan } from './plan';

/**
 * The review every panel shows: Existing Admin Hub | Your MIS, one row per record, with the
 * four statuses in the order the product guide says to review them. The rules live here once:
 * a May match needs the co-ordinator's confirmation before Save; the MIS wins (the Hub values
 * it will overwrite are listed, to be shown struck out); a record linked by an earlier sync is
 * Matched by its link; a link to someone who has left the MIS is Out of sync and blocks nothing.
 */
export const REVIEW_ORDER = ['notMatched', 'new', 'mayMatch', 'matched'] as const;
export type ReviewStatus = (typeof REVIEW_ORDER)[number];

/** linked: by an earlier sync; system: the matcher; confirmed: a May match the user confirmed; you: matched by hand. */
export type PairSource = 'linked' | 'system' | 'confirmed' | 'you';

export interface Overwrite {
  field: string;
  hubValue: string | null;
  misValue: string | null;
  /** For a list (a pupil's classes): the Hub entries that go; the others stay. */
  leaves?: string[];
  /** For a list: Hub entries the MIS does not have that stay all the same (a class only in the Admin Hub). */
  keeps?: string[];
}

export type ReviewRow<HubView, MisView> =
  | {
      status: 'notMatched';
      hub: HubView;
      reason: string;
      /** Set when the record is linked to a MIS record that is no longer in the MIS. */
      outOfSync: OutOfSyncReason | null;
    }
  | { status: 'new'; mis: MisView; import: boolean; reason: string; problem: string | null }
  | {
      status: 'mayMatch' | 'matched';
      hub: HubView;
      mis: MisView;
      score: number;
      reasons: string[];
      source: PairSource;
      /** Hub values the MIS will overwrite (shown struck out). */
      overwritten: Overwrite[];
      /** A pair matched by hand whose records disagree strongly: said, so the user can think again. */
      warning: string | null;
      /** What stopped an automatic match (twins, a close rival, a different gender or UPN): confirmed one by one. */
      conflicts: string[];
      /** Ticked pairs are written by Save and sync; an unticked one is left as it is (panels whose pairs have ticks). */
      ticked: boolean;
    };

export interface Review<HubView, MisView> {
  rows: ReviewRow<HubView, MisView>[];
  counts: Record<ReviewStatus | 'importing', number>;
  /** Why Save and sync cannot go ahead yet; empty when it can. */
  problems: string[];
}

/** What a panel tells the review about its records. */
export interface ReviewSubject<Hub, Mis, HubView, MisView> {
  hubId(record: Hub): string;
  misId(record: Mis): string;
  syncOf(record: Hub): SyncFields;
  hubView(record: Hub): HubView;
  misView(record: Mis, plan: ReviewPlan): MisView;
  sortName(view: HubView | MisView): string;
  /** A record's name as the co-ordinator reads it. */
  displayName(view: HubView | MisView): string;
  /** The Hub values the MIS's will replace. */
  overwrites(hub: Hub, mis: Mis): Overwrite[];
  /** A pair as the matcher sees it, for pairs matched by hand. */
  compare(hub: Hub, mis: Mis): { score: number; reasons: string[]; disagrees: boolean };
  words: { noMatch: string; noHubMatch: string; disagree: string };
  /** Problems with the records ticked for import (e.g. a teacher's email), by MIS id. */
  importProblems?(ticked: readonly Mis[], plan: ReviewPlan): ReadonlyMap<string, string>;
  /** New records ticked for import unless unticked (Pupils: every pupil who can be placed); none by default. */
  importByDefault?(record: Mis): boolean;
  /** A problem that blocks saving, worded for the count of ticked imports with a problem. */
  importProblemSummary?(count: number): string;
}

/** The matcher's proposal for the records, with the co-ordinator's plan applied. */
export function buildReview<Hub, Mis, HubView, MisView>(
  subject: ReviewSubject<Hub, Mis, HubView, MisView>,
  hubRecords: readonly Hub[],
  misRecords: readonly Mis[],
  proposal: MatchResult,
  plan: ReviewPlan,
): Review<HubView, MisView> {
  const hubById = new Map(hubRecords.map((record) => [subject.hubId(record), record]));
  const misById = new Map(misRecords.map((record) => [subject.misId(record), record]));
  const unmatched = new Set(plan.unmatched.map(pairKey));
  const confirmed = new Set(plan.confirmed.map(pairKey));
  const skipped = new Set(plan.skipped.map(pairKey));

  type Pair = Omit<
    Extract<ReviewRow<HubView, MisView>, { hub: HubView; mis: MisView }>,
    'hub' | 'mis' | 'overwritten' | 'ticked'
  > & {
    hubId: string;
    misId: string;
  };
  const proposed: Pair[] = [
    ...proposal.matched.map((pair) => ({
      ...pair,
      conflicts: [],
      status: 'matched' as const,
      source: linkedPair(hubById.get(pair.hubId), pair.misId, subject) ? ('linked' as const) : ('system' as const),
      warning: null,
    })),
    ...proposal.mayMatch.map((pair) => ({
      ...pair,
      conflicts: pair.conflicts ?? [],
      status: 'mayMatch' as const,
      source: 'system' as const,
      warning: null,
    })),
  ];
  let pairs = proposed.filter((pair) => pair.source === 'linked' || !unmatched.has(pairKey(pair)));
  for (const manual of plan.manualMatches) {
    const hub = hubById.get(manual.hubId);
    const mis = misById.get(manual.misId);
    if (!hub || !mis) continue;
    if (pairs.some((pair) => pair.source === 'linked' && (pair.hubId === manual.hubId || pair.misId === manual.misId))) continue;
    pairs = pairs.filter((pair) => pair.hubId !== manual.hubId && pair.misId !== manual.misId);
    const compared = subject.compare(hub, mis);
    pairs.push({
      ...manual,
      score: compared.score,
      reasons: ['Matched by you', ...compared.reasons],
      status: 'matched',
      source: 'you',
      warning: compared.disagrees ? subject.words.disagree : null,
      conflicts: [],
    });
  }
  pairs = pairs.map((pair) =>
    pair.status === 'mayMatch' && confirmed.has(pairKey(pair))
      ? { ...pair, status: 'matched', source: 'confirmed', reasons: [...pair.reasons, 'Confirmed by you'] }
      : pair,
  );

  const pairedHub = new Set(pairs.map((pair) => pair.hubId));
  const pairedMis = new Set(pairs.map((pair) => pair.misId));
  const imports = new Set(plan.imports);
  const declined = new Set(plan.declined);
  const importing = (record: Mis) => {
    const misId = subject.misId(record);
    return imports.has(misId) || (!declined.has(misId) && (subject.importByDefault?.(record) ?? false));
  };
  const newRecords = misRecords.filter((record) => !pairedMis.has(subject.misId(record)));
  const ticked = newRecords.filter(importing);
  const importProblems = subject.importProblems?.(ticked, plan) ?? new Map<string, string>();
  const unmatchedHub = new Map(plan.unmatched.map((pair) => [pair.hubId, pair.misId]));
  const unmatchedMis = new Map(plan.unmatched.map((pair) => [pair.misId, pair.hubId]));
  const hubName = (id: string | undefined) => {
    const record = id === undefined ? undefined : hubById.get(id);
    return record ? subject.displayName(subject.hubView(record)) : 'an Admin Hub record';
  };
  const misName = (id: string | undefined) => {
    const record = id === undefined ? undefined : misById.get(id);
    return record ? subject.displayName(subject.misView(record, plan)) : 'a MIS record';
  };

  const rows: ReviewRow<HubView, MisView>[] = [
    ...hubRecords
      .filter((record) => !pairedHub.has(subject.hubId(record)))
      .map((record): ReviewRow<HubView, MisView> => {
        const sync = subject.syncOf(record);
        const left = sync.misId !== null && sync.syncStatus !== 'none' && !misById.has(sync.misId);
        const reason = left
          ? `${OUT_OF_SYNC_WORDS.left_mis}: the person it was linked to is no longer in your MIS. Match it to someone else or unmatch it.`
          : unmatchedHub.has(subject.hubId(record))
            ? `You unmatched them from ${misName(unmatchedHub.get(subject.hubId(record)))} (in your MIS)`
            : subject.words.noMatch;
        return { status: 'notMatched', hub: subject.hubView(record), reason, outOfSync: left ? 'left_mis' : null };
      }),
    ...newRecords.map((record): ReviewRow<HubView, MisView> => {
      const misId = subject.misId(record);
      return {
        status: 'new',
        mis: subject.misView(record, plan),
        import: importing(record),
        reason: unmatchedMis.has(misId)
          ? `You unmatched them from ${hubName(unmatchedMis.get(misId))} (in the Admin Hub)${
              subject.importByDefault && !importing(record) ? ': not imported unless you tick them' : ''
            }`
          : subject.words.noHubMatch,
        problem: importProblems.get(misId) ?? null,
      };
    }),
    ...pairs.map(({ hubId, misId, ...pair }): ReviewRow<HubView, MisView> => {
      const hub = hubById.get(hubId)!;
      const mis = misById.get(misId)!;
      return {
        ...pair,
        hub: subject.hubView(hub),
        mis: subject.misView(mis, plan),
        overwritten: subject.overwrites(hub, mis),
        ticked: pair.source === 'linked' || !skipped.has(pairKey({ hubId, misId })),
      };
    }),
  ];
  const order = (row: ReviewRow<HubView, MisView>) => REVIEW_ORDER.indexOf(row.status);
  const name = (row: ReviewRow<HubView, MisView>) => subject.sortName('hub' in row ? row.hub : row.mis);
  rows.sort((a, b) => order(a) - order(b) || name(a).localeCompare(name(b), 'en-GB'));

  const counts = { notMatched: 0, new: 0, mayMatch: 0, matched: 0, importing: 0 };
  let toConfirm = 0;
  for (const row of rows) {
    counts[row.status]++;
    if (row.status === 'new' && row.import) counts.importing++;
    if (row.status === 'mayMatch' && row.ticked) toConfirm++;
  }
  const problems: string[] = [];
  if (importProblems.size && subject.importProblemSummary) problems.push(subject.importProblemSummary(importProblems.size));
  // Every May match that will be written is confirmed first; an unticked one is not written.
  if (toConfirm) problems.push(`${toConfirm} May match pair${toConfirm === 1 ? '' : 's'} to confirm or unmatch`);
  return { rows, counts, problems };
}

function linkedPair<Hub>(hub: Hub | undefined, misId: string, subject: { syncOf(record: Hub): SyncFields }): boolean {
  return hub !== undefined && subject.syncOf(hub).misId === misId && subject.syncOf(hub).syncStatus !== 'none';
}
