/**
 * What the co-ordinator does to a panel's plan, as pure functions of the plan: the web app
 * applies them (and sends the plan back with its version), the tests hold them. No imports, so
 * the browser bundle carries nothing of the server.
 */
export interface PlanPair {
  hubId: string;
  misId: string;
}

export interface PlanShape {
  imports: string[];
  manualMatches: PlanPair[];
  unmatched: PlanPair[];
  confirmed: PlanPair[];
  values: Record<string, Record<string, string>>;
  settings?: Record<string, string>;
  skipped?: PlanPair[];
  declined?: string[];
  selection?: { yearGroups: string[]; classes: string[] } | null;
}

const same = (a: PlanPair) => (b: PlanPair) => a.hubId === b.hubId && a.misId === b.misId;
const keyOf = (pair: PlanPair) => `${pair.hubId}\u0000${pair.misId}`;
const without = (pairs: PlanPair[], pair: PlanPair) => pairs.filter((other) => !same(pair)(other));

/**
 * Tick or untick New MIS records for import (one, or all shown). An untick is remembered as
 * declined, so that a panel whose new records are ticked unless said otherwise (Pupils) keeps it.
 */
export function tickImports<P extends PlanShape>(plan: P, misIds: readonly string[], ticked: boolean): P {
  const changed = new Set(misIds);
  const imports = plan.imports.filter((id) => !changed.has(id));
  const declined = (plan.declined ?? []).filter((id) => !changed.has(id));
  return ticked
    ? { ...plan, imports: [...imports, ...changed], declined }
    : { ...plan, imports, declined: [...declined, ...changed] };
}

/** Tick or untick pairs (panels whose pairs have ticks): an unticked pair is left as it is. */
export function tickPairs<P extends PlanShape>(plan: P, pairs: readonly PlanPair[], ticked: boolean): P {
  // Sets, not nested searches: Deselect all on a large school changes thousands of pairs at once.
  const changed = new Set(pairs.map(keyOf));
  const rest = (plan.skipped ?? []).filter((pair) => !changed.has(keyOf(pair)));
  return { ...plan, skipped: ticked ? rest : [...rest, ...pairs] };
}

/** Confirm May match pairs: they will be linked. */
export function confirmPairs<P extends PlanShape>(plan: P, pairs: readonly PlanPair[]): P {
  const known = new Set(plan.confirmed.map(keyOf));
  return { ...plan, confirmed: [...plan.confirmed, ...pairs.filter((pair) => !known.has(keyOf(pair)))] };
}

/** Match a Hub record to a MIS record by hand. */
export function matchByHand<P extends PlanShape>(plan: P, pair: PlanPair): P {
  return { ...plan, manualMatches: [...plan.manualMatches, pair], unmatched: without(plan.unmatched, pair) };
}

/**
 * Unmatch a pair not yet synced: a match made by hand is simply dropped; a pair the matcher
 * proposed is kept apart from now on.
 */
export function unmatchPair<P extends PlanShape>(plan: P, pair: PlanPair, madeByHand: boolean): P {
  // The MIS record, now New, is not imported unless ticked: it may yet be someone in the Hub.
  return {
    ...tickImports(plan, [pair.misId], false),
    manualMatches: without(plan.manualMatches, pair),
    confirmed: without(plan.confirmed, pair),
    unmatched: madeByHand ? plan.unmatched : [...without(plan.unmatched, pair), pair],
  };
}

/** A choice for the whole panel. */
export function withSetting<P extends PlanShape>(plan: P, name: string, value: string): P {
  return { ...plan, settings: { ...plan.settings, [name]: value } };
}

/** A value typed for a MIS record (a new teacher's email). */
export function withValue<P extends PlanShape>(plan: P, misId: string, field: string, value: string): P {
  return { ...plan, values: { ...plan.values, [misId]: { ...plan.values[misId], [field]: value } } };
}
