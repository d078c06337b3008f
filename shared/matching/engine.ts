import { joinKeys, KeyList, PairList, pairsByLeft, PartitionedKeys, partitionBits, type KeySink } from './keyJoin';
import { descendingRanks, orderByKey } from './order';
import { scratchFloat64, scratchGrown, scratchInt32, scratchUint8 } from './scratch';
import type { MatchResult, ProposedPair } from './types';

/** The verdict on one candidate pair, from a kind-specific comparator. */
export interface Comparison {
  score: number;
  /** Fresh arrays per call: the engine adds its own conflicts to them. */
  reasons: string[];
  /** Conflicts that forbid an automatic match (the pair can at most be a May match). */
  conflicts: string[];
}

export interface Scored {
  total: number;
  withoutIds: number;
}

export interface Thresholds {
  /** At or above: Matched, when there is no conflict and the margin holds. */
  match: number;
  /** At or above: May match. */
  mayMatch: number;
  /** How far a Matched pair must lead every other candidate of either record. */
  margin: number;
}

/** Which blocking keys: the first or the fallback keys, of an MIS or a Hub record. */
export type KeySet = 'mis' | 'misFallback' | 'hub' | 'hubFallback';

export interface MatcherSpec<R extends { id: string; misId?: string | null }, F> {
  /** Features are computed once per record, with both sides at hand (frequencies come from the MIS). */
  prepare(hub: readonly R[], mis: readonly R[]): { hub: F[]; mis: F[] };
  /**
   * Emits the record's blocking keys as pairs of 31-bit integers; records sharing a key are
   * compared. `hub`: the keys a Hub record is looked up by first; `mis`: the MIS keys those can
   * meet. `hubFallback`: broader keys (for records with two slips at once), searched only when
   * the first keys found no candidate sure enough to match; `misFallback`: the MIS keys those can
   * meet. A Hub key may carry the largest MIS block worth searching with it.
   */
  blockingKeys(features: F, keys: KeySet, sink: KeySink): void;
  /**
   * The evidence score alone: the hot path, run for every candidate pair. `withoutIds` is the
   * part that comes from names and dates, without national ids (UPN) or links.
   */
  score(hub: F, mis: F, out: Scored): void;
  /** Score, reasons and conflicts: run only for the pairs proposed to the user. */
  compare(hub: F, mis: F): Comparison;
  thresholds: Thresholds;
  /**
   * Optional: a number per record such that records with near numbers share blocks (say, their
   * date of birth). Hub records are then visited in that order, so consecutive lookups touch the
   * same MIS records while they are still in the processor's cache.
   */
  localityKey?(features: F): number;
  /** Compare every pair when hub × mis is at most this (small staff lists); block above it. */
  allPairsUpTo: number;
  /** Reason shown for a record linked by an earlier sync. */
  linkedReason: string;
  /** Words for the runner-up conflict, e.g. "another MIS pupil". */
  competitorNoun: string;
}

/**
 * How far (in bits) another record's names and dates must lead for it to count as a rival to an
 * id match. A rival must also agree on them nearly well enough to be matched on them alone (the
 * match threshold less the margin): the UPN typed onto another child's record. A rival that
 * merely shares a surname is no reason to doubt a national id.
 */
const RIVAL_LEAD = 1;

/** MIS blocks larger than this are skipped (very common names): other keys still bring their true pairs together. */
const MAX_BLOCK_SIZE = 300;

/** Candidate pairs in flat growable columns: a large match keeps hundreds of thousands. */
class Candidates {
  length = 0;
  /** Pairs scored, kept or not. */
  compared = 0;
  hub: Int32Array;
  mis: Int32Array;
  score: Float64Array;
  withoutIds: Float64Array;

  constructor(expected: number) {
    const capacity = Math.max(1024, expected);
    this.hub = scratchInt32('candidates: hub', capacity, false);
    this.mis = scratchInt32('candidates: mis', capacity, false);
    this.score = scratchFloat64('candidates: score', capacity, false);
    this.withoutIds = scratchFloat64('candidates: withoutIds', capacity, false);
  }

  push(hub: number, mis: number, score: number, withoutIds: number): void {
    if (this.length === this.hub.length) {
      this.hub = scratchGrown('candidates: hub', this.hub, this.length * 2);
      this.mis = scratchGrown('candidates: mis', this.mis, this.length * 2);
      this.score = scratchGrown('candidates: score', this.score, this.length * 2);
      this.withoutIds = scratchGrown('candidates: withoutIds', this.withoutIds, this.length * 2);
    }
    const at = this.length++;
    this.hub[at] = hub;
    this.mis[at] = mis;
    this.score[at] = score;
    this.withoutIds[at] = withoutIds;
  }
}

/** The best two scores seen per record, on each side: for the margin over the runner-up. */
class RunnersUp {
  /** Per record, its best score then its second best. */
  private readonly hub: Float64Array;
  private readonly mis: Float64Array;
  constructor(name: string, hubCount: number, misCount: number) {
    this.hub = scratchFloat64(`${name}: hub`, hubCount * 2).fill(-Infinity);
    this.mis = scratchFloat64(`${name}: mis`, misCount * 2).fill(-Infinity);
  }
  add(hub: number, mis: number, score: number): void {
    pushTop(this.hub, hub * 2, score);
    pushTop(this.mis, mis * 2, score);
  }
  /** The best score among either record's other candidates. */
  besides(hub: number, mis: number, score: number): number {
    return Math.max(otherThan(this.hub, hub * 2, score), otherThan(this.mis, mis * 2, score));
  }
}

/** Counts from one run, for benchmarks and logs (no personal data). */
export interface MatchStats {
  /** Candidate pairs scored. */
  comparisons: number;
}

export class DuplicateIdError extends Error {
  constructor(
    readonly side: 'hub' | 'mis',
    readonly id: string,
  ) {
    super(`Duplicate ${side === 'hub' ? 'Hub' : 'MIS'} id ${id}`);
    this.name = 'DuplicateIdError';
  }
}

/**
 * Standardise → block → compare → classify with two thresholds → one-to-one assignment with
 * a margin over the runner-up → conflicts veto automatic matches. Deterministic: inputs are put
 * in id order first and every tie is broken by id, so input order never changes the outcome.
 */
export function runMatching<R extends { id: string; misId?: string | null }, F>(
  hubInput: readonly R[],
  misInput: readonly R[],
  spec: MatcherSpec<R, F>,
  stats?: MatchStats,
): MatchResult {
  const { records: hubRecords, ids: hubIds } = sortedUnique(hubInput, 'hub');
  const { records: misRecords, ids: misIds } = sortedUnique(misInput, 'mis');
  const prepared = spec.prepare(hubRecords, misRecords);
  // Each Hub record's proposed pair and whether it is Matched, kept by its index so that the
  // result comes out in id order.
  const outcomes = new Array<ProposedPair | undefined>(hubRecords.length);
  const matchedFlags = scratchUint8('matched', hubRecords.length);

  // Links from earlier syncs win outright, when exactly one Hub record claims the MIS record;
  // their score and reasons still say how well the records agree today.
  const misIndex = new Map<string, number>();
  if (hubRecords.some((record) => record.misId))
    for (let index = 0; index < misIds.length; index++) misIndex.set(misIds[index]!, index);
  const claims = new Map<string, number>();
  for (const record of hubRecords) {
    if (record.misId && misIndex.has(record.misId)) claims.set(record.misId, (claims.get(record.misId) ?? 0) + 1);
  }
  const misLinked = scratchUint8('mis linked', misRecords.length);
  const hubOpenIndexes: number[] = [];
  for (let index = 0; index < hubRecords.length; index++) {
    const record = hubRecords[index]!;
    if (!record.misId || claims.get(record.misId) !== 1) {
      hubOpenIndexes.push(index);
      continue;
    }
    const mis = misIndex.get(record.misId)!;
    const comparison = spec.compare(prepared.hub[index]!, prepared.mis[mis]!);
    const reasons = [spec.linkedReason, ...comparison.reasons];
    outcomes[index] = { hubId: record.id, misId: record.misId, score: round(comparison.score), reasons };
    matchedFlags[index] = 1;
    misLinked[mis] = 1;
  }
  const misOpenIndexes: number[] = [];
  for (let index = 0; index < misRecords.length; index++) if (!misLinked[index]) misOpenIndexes.push(index);
  const features = {
    hub: hubOpenIndexes.map((index) => prepared.hub[index]!),
    mis: misOpenIndexes.map((index) => prepared.mis[index]!),
  };

  // Pairs below the floor can be neither proposed nor a close runner-up, so they are not kept.
  const { match, mayMatch, margin } = spec.thresholds;
  const identities = new RunnersUp('runners-up without ids', features.hub.length, features.mis.length);
  const candidates = compareCandidates(features.hub, features.mis, spec, mayMatch - margin, identities);
  if (stats) stats.comparisons = candidates.compared;
  const totals = new RunnersUp('runners-up', features.hub.length, features.mis.length);
  const { hub: hubOf, mis: misOf, score: scoreOf } = candidates;
  const proposable = scratchInt32('proposable', candidates.length);
  let proposed = 0;
  for (let at = 0; at < candidates.length; at++) {
    totals.add(hubOf[at]!, misOf[at]!, scoreOf[at]!);
    if (scoreOf[at]! >= mayMatch) proposable[proposed++] = at;
  }
  const proposals = proposalOrder(candidates, proposable.subarray(0, proposed), features.hub.length);
  const closeRival = `${spec.competitorNoun} is almost as close: check carefully`;
  const betterRival = `${spec.competitorNoun} agrees better on name and date of birth`;
  const hubTaken = scratchUint8('hub taken', features.hub.length);
  const misTaken = scratchUint8('mis taken', features.mis.length);
  for (let position = 0; position < proposals.length; position++) {
    const at = proposals[position]!;
    const hub = hubOf[at]!;
    const mis = misOf[at]!;
    if (hubTaken[hub] || misTaken[mis]) continue;
    hubTaken[hub] = 1;
    misTaken[mis] = 1;
    const { score, reasons, conflicts } = spec.compare(features.hub[hub]!, features.mis[mis]!);
    if (score - totals.besides(hub, mis, scoreOf[at]!) < margin) conflicts.push(closeRival);
    // An id (UPN) outweighs names and dates, unless another record has those names and dates: a typed-over id.
    const withoutIds = candidates.withoutIds[at]!;
    const rival = identities.besides(hub, mis, withoutIds);
    if (rival - withoutIds > RIVAL_LEAD && rival >= match - margin) conflicts.push(betterRival);
    const hubIndex = hubOpenIndexes[hub]!;
    const matched = score >= match && conflicts.length === 0;
    for (const conflict of conflicts) reasons.push(conflict);
    // Ids are read from their own arrays: reading them through the records costs a cache miss each.
    outcomes[hubIndex] = {
      hubId: hubIds[hubIndex]!,
      misId: misIds[misOpenIndexes[mis]!]!,
      score: round(score),
      reasons,
      ...(conflicts.length ? { conflicts } : {}),
    };
    matchedFlags[hubIndex] = Number(matched);
  }

  const result: MatchResult = { matched: [], mayMatch: [], new: [], notMatched: [] };
  for (let index = 0; index < hubRecords.length; index++) {
    const outcome = outcomes[index];
    if (!outcome) result.notMatched.push(hubIds[index]!);
    else (matchedFlags[index] ? result.matched : result.mayMatch).push(outcome);
  }
  for (let mis = 0; mis < misOpenIndexes.length; mis++) if (!misTaken[mis]) result.new.push(misIds[misOpenIndexes[mis]!]!);
  return result;
}

/**
 * Scores every candidate pair and keeps those at or above `floor`. Blocking is a partitioned
 * hash join: the keys of each side are split by hash into cache-sized partitions, and each
 * partition pairs the records that share a key. Each Hub record's pairs are then scored in the
 * spec's locality order, each MIS record once (a stamp per MIS record replaces a set of seen
 * pairs).
 */
function compareCandidates<R extends { id: string }, F>(
  hub: F[],
  mis: F[],
  spec: MatcherSpec<R, F>,
  floor: number,
  identities: RunnersUp,
): Candidates {
  const candidates = new Candidates(hub.length * 4);
  const scored: Scored = { total: 0, withoutIds: 0 };
  /** Scores a pair, keeps it if it could matter, and returns its score. */
  const consider = (h: number, m: number): number => {
    spec.score(hub[h]!, mis[m]!, scored);
    candidates.compared++;
    identities.add(h, m, scored.withoutIds);
    if (scored.total >= floor) candidates.push(h, m, scored.total, scored.withoutIds);
    return scored.total;
  };
  if (hub.length * mis.length <= spec.allPairsUpTo) {
    for (let h = 0; h < hub.length; h++) for (let m = 0; m < mis.length; m++) consider(h, m);
    return candidates;
  }
  // Hub records are numbered by their place in the visit order, so their pairs come out in it.
  const order = visitOrder(hub, spec);
  /** The pairs the given Hub records' keys of one set find, grouped by place. */
  const pairsOf = (keySet: 'hub' | 'hubFallback', places: ArrayLike<number>) => {
    const misKeys = new KeyList('keys: mis', mis.length * 8);
    const misKeySet = keySet === 'hub' ? 'mis' : 'misFallback';
    for (let m = 0; m < mis.length; m++) spec.blockingKeys(mis[m]!, misKeySet, misKeys.forRecord(m));
    const bits = partitionBits(misKeys.length);
    const hubKeys = new KeyList('keys: hub', places.length * 8, MAX_BLOCK_SIZE);
    for (let at = 0; at < places.length; at++) {
      const place = places[at]!;
      spec.blockingKeys(hub[order[place]!]!, keySet, hubKeys.forRecord(place));
    }
    const joined = joinKeys(
      new PartitionedKeys(hubKeys, bits, 'keys: hub partitioned'),
      new PartitionedKeys(misKeys, bits, 'keys: mis partitioned'),
      new PairList('joined pairs', places.length * 8),
    );
    return pairsByLeft(joined, hub.length, `pairs: ${keySet}`);
  };
  const stamp = scratchInt32('stamp', mis.length).fill(-1);
  /** Scores the place's pairs not yet seen for it, and returns the best score among them. */
  const scoreAll = (place: number, pairs: { start: Int32Array; right: Int32Array }) => {
    const h = order[place]!;
    let best = -Infinity;
    for (let at = pairs.start[place]!, end = pairs.start[place + 1]!; at < end; at++) {
      const m = pairs.right[at]!;
      if (stamp[m] === h) continue;
      stamp[m] = h;
      best = Math.max(best, consider(h, m));
    }
    return best;
  };
  const everyPlace = order.map((_, place) => place);
  const first = pairsOf('hub', everyPlace);
  // A pair that agrees on none of the first keys scores too low to compete with a sure match.
  const unsure: number[] = [];
  for (let place = 0; place < hub.length; place++) if (scoreAll(place, first) < spec.thresholds.match) unsure.push(place);
  if (!unsure.length) return candidates;
  const fallback = pairsOf('hubFallback', unsure);
  for (const place of unsure) {
    const h = order[place]!;
    for (let at = first.start[place]!, end = first.start[place + 1]!; at < end; at++) stamp[first.right[at]!] = h;
    scoreAll(place, fallback);
  }
  return candidates;
}

/** Hub indexes in the spec's locality order (ties, and specs without one, in index order). */
function visitOrder<R extends { id: string }, F>(hub: readonly F[], spec: MatcherSpec<R, F>): Int32Array {
  if (!spec.localityKey) return Int32Array.from(hub, (_, index) => index);
  const keys = scratchFloat64('locality keys', hub.length);
  for (let index = 0; index < hub.length; index++) keys[index] = spec.localityKey(hub[index]!);
  return orderByKey(keys, 'visit order');
}

/**
 * The proposed candidates (indexes into `candidates`), best score first. Records are in id
 * order, so ties broken by Hub then MIS index are broken exactly as their ids would be.
 */
function proposalOrder(candidates: Candidates, proposable: Int32Array, hubCount: number): Int32Array {
  const scores = scratchFloat64('proposal scores', proposable.length);
  for (let at = 0; at < proposable.length; at++) scores[at] = candidates.score[proposable[at]!]!;
  const ranks = descendingRanks(scores, 'proposal ranks');
  const keys = scratchFloat64('proposal keys', proposable.length);
  for (let at = 0; at < proposable.length; at++) keys[at] = ranks[at]! * hubCount + candidates.hub[proposable[at]!]!;
  const order = orderByKey(keys, 'proposal order');
  const misOf = (at: number) => candidates.mis[proposable[at]!]!;
  // The same score for one Hub record and two MIS records (rare): by MIS index.
  for (let start = 0, end = 1; start < order.length; start = end++) {
    while (end < order.length && keys[order[end]!] === keys[order[start]!]) end++;
    if (end - start > 1) order.subarray(start, end).sort((a, b) => misOf(a) - misOf(b));
  }
  for (let position = 0; position < order.length; position++) order[position] = proposable[order[position]!]!;
  return order;
}

/** The records in id order, and their ids in a plain array of their own. */
function sortedUnique<R extends { id: string }>(input: readonly R[], side: 'hub' | 'mis'): { records: R[]; ids: string[] } {
  const inputIds = input.map((record) => record.id);
  const order = Array.from(inputIds, (_, index) => index).sort((a, b) => compareIds(inputIds[a]!, inputIds[b]!));
  const ids = order.map((index) => inputIds[index]!);
  for (let i = 1; i < ids.length; i++) if (ids[i] === ids[i - 1]) throw new DuplicateIdError(side, ids[i]!);
  return { records: order.map((index) => input[index]!), ids };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function pushTop(tops: Float64Array, at: number, score: number): void {
  if (score > tops[at]!) {
    tops[at + 1] = tops[at]!;
    tops[at] = score;
  } else if (score > tops[at + 1]!) tops[at + 1] = score;
}

/** The best score among a record's candidates other than the pair itself. */
function otherThan(tops: Float64Array, at: number, score: number): number {
  return tops[at] === score ? tops[at + 1]! : tops[at]!;
}

function round(score: number): number {
  return Math.round(score * 100) / 100;
}
