import * as z from 'zod';
import { ConflictError, type FieldErrors } from '../../core/errors';
import type { Dependencies } from '../../runtime/dependencies';
import { StaleVersionError } from '../../store/syncStore';

const id = z.string().min(1).max(100);
const pairSchema = z.object({ hubId: id, misId: id });
export type PlannedPair = z.infer<typeof pairSchema>;

/** Most records a panel's plan can name: a large secondary school's pupils, with room to spare. */
const MAX_RECORDS = 10_000;

/**
 * The co-ordinator's working plan for a panel, kept server-side as they work: which new MIS
 * records to import, pairs matched by hand, pairs unmatched, May matches confirmed, and values
 * typed per MIS record (a new teacher's email). The browser edits it and sends it back whole,
 * with the version it started from: a stale version (a second tab, two edits racing) is refused.
 */
export const reviewPlanSchema = z.object({
  version: z.number({ error: 'Send the plan’s version' }).int().nonnegative(),
  imports: z.array(id).max(MAX_RECORDS),
  manualMatches: z.array(pairSchema).max(MAX_RECORDS),
  unmatched: z.array(pairSchema).max(MAX_RECORDS),
  confirmed: z.array(pairSchema).max(MAX_RECORDS),
  values: z.record(id, z.record(z.string().max(40), z.string().max(254))),
  /** Choices for the whole panel (e.g. when the MIS's school year started). */
  settings: z.record(z.string().max(40), z.string().max(100)).default({}),
  /** Pairs ticked off (panels whose pairs have ticks, e.g. Pupils): shown, but left as they are. */
  skipped: z.array(pairSchema).max(MAX_RECORDS).default([]),
  /** New MIS records unticked (panels whose new records are ticked unless said otherwise, e.g. Pupils). */
  declined: z.array(id).max(MAX_RECORDS).default([]),
  /**
   * The Hub year groups and classes whose MIS records the co-ordinator chose to review (the
   * Pupils panel's filter step); null: all of them. The Hub side is never filtered.
   */
  selection: z
    .object({ yearGroups: z.array(id).max(100), classes: z.array(id).max(2_000) })
    .nullable()
    .default(null),
});
export type ReviewPlan = z.infer<typeof reviewPlanSchema>;

export const emptyPlan = (): ReviewPlan => ({
  version: 0,
  imports: [],
  manualMatches: [],
  unmatched: [],
  confirmed: [],
  values: {},
  settings: {},
  skipped: [],
  declined: [],
  selection: null,
});

export const pairKey = (pair: PlannedPair) => `${pair.hubId}\u0000${pair.misId}`;

const documentName = (panel: string) => `plan#${panel}`;
const storedPlanSchema = reviewPlanSchema.omit({ version: true });

export async function loadPlan(deps: Dependencies, centreId: string, panel: string): Promise<ReviewPlan> {
  const stored = await deps.store.getDocument(centreId, documentName(panel));
  if (!stored) return emptyPlan();
  return { ...storedPlanSchema.parse(JSON.parse(stored.text)), version: stored.version };
}

export const STALE_PLAN =
  'Your choices were changed in another tab or window since this page loaded. The panel has been reloaded: please check it and try again.';

/** Stores the plan if it is still at the version it was made from; returns it at its new version. */
export async function storePlan(deps: Dependencies, centreId: string, panel: string, plan: ReviewPlan): Promise<ReviewPlan> {
  const { version, ...content } = plan;
  try {
    const next = await deps.store.putDocument(
      centreId,
      documentName(panel),
      JSON.stringify(content),
      version,
      deps.clock.now().toISOString(),
    );
    return { ...plan, version: next };
  } catch (error) {
    if (error instanceof StaleVersionError) throw new ConflictError(STALE_PLAN, 'stale_plan');
    throw error;
  }
}

/** Checks a plan against the records it names before it is stored: field messages, nothing written. */
export function planProblems(
  plan: ReviewPlan,
  hubIds: ReadonlySet<string>,
  misIds: ReadonlySet<string>,
  nouns: { hub: string; mis: string },
): FieldErrors {
  const problems: FieldErrors = {};
  const notInMis = `This ${nouns.mis} is not in your MIS`;
  const notInHub = `This ${nouns.hub} is not in the Admin Hub`;
  plan.imports.forEach((misId, index) => {
    if (!misIds.has(misId)) problems[`imports.${index}`] = notInMis;
  });
  const seenHub = new Set<string>();
  const seenMis = new Set<string>();
  plan.manualMatches.forEach((pair, index) => {
    if (!hubIds.has(pair.hubId)) problems[`manualMatches.${index}.hubId`] = notInHub;
    if (!misIds.has(pair.misId)) problems[`manualMatches.${index}.misId`] = notInMis;
    if (seenHub.has(pair.hubId) || seenMis.has(pair.misId))
      problems[`manualMatches.${index}`] = `A ${nouns.hub} can be matched only once`;
    seenHub.add(pair.hubId);
    seenMis.add(pair.misId);
  });
  for (const misId of Object.keys(plan.values)) if (!misIds.has(misId)) problems[`values.${misId}`] = notInMis;
  return problems;
}
