import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { withSchoolTokens } from '../../connection/authorisation';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError, type FieldErrors } from '../../core/errors';
import type { SyncFields } from '../../core/syncState';
import type { AssemblyConnection, RecordKind, Session } from '../../domain/records';
import type { AssemblyClient, SchoolTokens } from '../../assembly/client';
import type { Dependencies } from '../../runtime/dependencies';
import { restoredRecord } from '../../sync/backups';
import { startLoad, type LoadKind, type LoadView } from '../../sync/loads';
import { latestRun, startRun, type RunKind, type RunView } from '../../sync/runs';
import { tickImports, unmatchPair } from './operations';
import { loadPlan, planProblems, STALE_PLAN, storePlan, type ReviewPlan } from './plan';
import type { Review } from './rows';

/**
 * A wizard panel, declared once: where its MIS records come from, how its Hub side is read and
 * reviewed, what Save and sync writes, and what Unmatch restores. The use cases below are the
 * same for every panel (load as a job, review from the snapshot, keep the plan, save through the
 * pipeline, unmatch from the backup); a panel is a folder beside teachers/ with one definition.
 */
export interface PanelDefinition<Mis, Context, View extends Review<unknown, unknown>, Entry, Hub extends Restorable> {
  /** The wizard step's id: names the plan, the load and the runs. */
  panel: string;
  /** Words for messages: 'teacher', 'member of staff'. */
  nouns: { hub: string; mis: string; panelTitle: string };
  /** The MIS records as last fetched, kept as a chunked document. */
  snapshot: { name: string; schema: z.ZodType<Mis> };
  misId(record: Mis): string;
  /** The panel's MIS records from Assembly, telling progress per page; null when unchanged since the last fetch. */
  fetch(
    assembly: AssemblyClient,
    tokens: SchoolTokens,
    progress: (pages: number, records: number) => Promise<void>,
  ): Promise<Mis[] | null>;
  /** The Hub side (and whatever else the review needs), read once per request. */
  context(deps: Dependencies, session: Session): Promise<Context>;
  hubIds(context: Context): Iterable<string>;
  review(context: Context, mis: readonly Mis[], plan: ReviewPlan, deps: Dependencies): View;
  /** Fields a plan may carry per MIS record (a new teacher's email); none by default. */
  planValueFields?: readonly string[];
  /** Checks of the panel's own settings in the plan (field messages). */
  settingsProblems?(settings: Record<string, string>): FieldErrors;
  /** Pairs have ticks (an unticked pair is left as it is); otherwise every pair is written. */
  pairTicks?: boolean;
  /** Checks of the plan's selection (the filter step), for a panel that has one; otherwise it must be null. */
  selectionProblems?(selection: NonNullable<ReviewPlan['selection']>, context: Context): FieldErrors;
  /** Save and sync's work list from the review as the co-ordinator saw it. */
  entries(input: {
    deps: Dependencies;
    session: Session;
    context: Context;
    view: View;
    mis: readonly Mis[];
    plan: ReviewPlan;
    reviewed: Reviewed;
  }): Promise<Entry[]> | Entry[];
  run: RunKind<Entry>;
  /** What Unmatch restores: the Hub record, parsed, and the fields a sync writes. */
  restore: {
    recordKind: RecordKind;
    get(deps: Dependencies, centreId: string, hubId: string): Promise<Hub | null>;
    parse(stored: Record<string, unknown>): Hub;
    syncedFields: readonly (keyof Hub & string)[];
  };
  /** Anything else the panel shows beside the review. */
  extra?(context: Context, mis: readonly Mis[], plan: ReviewPlan, deps: Dependencies): Record<string, unknown>;
}

export type Restorable = SyncFields & { version: number; updatedAt?: string | null };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry of panels of every record type
export type AnyPanel = PanelDefinition<any, any, any, any, any>;

/** The review, the plan behind it and the newest run's progress: what every panel's page reads. */
export type PanelView<View> = View & { plan: ReviewPlan; run: RunView | null; fetchedAt: string };

/**
 * Save and sync names what the co-ordinator saw: the plan's version and, for each Matched pair,
 * the Hub record's version. A panel that has moved on since (another tab, a change in the Hub or
 * the MIS) is refused and reloaded; a record changed after this is skipped by the run.
 */
export const saveAndSyncBody = z.object({
  planVersion: z.number({ error: 'Send the plan’s version' }).int().nonnegative(),
  reviewed: z.record(
    z.string().min(1).max(100),
    z.object({ misId: z.string().min(1).max(100), version: z.number().int().nonnegative() }),
  ),
});
export type Reviewed = z.infer<typeof saveAndSyncBody>['reviewed'];

export const unmatchSyncedBody = z.object({ hubId: z.string({ error: 'Choose a record' }).min(1, 'Choose a record').max(100) });

export const stalePanel = (title: string) =>
  `The ${title} panel has changed since you loaded it (in another tab, in the Admin Hub or in your MIS). It has been reloaded: please check it and save again.`;

/** The version the co-ordinator reviewed a Matched pair at; a pair they did not see refuses the save. */
export function reviewedVersion(definition: AnyPanel, reviewed: Reviewed, hubId: string, misId: string): number {
  const seen = reviewed[hubId];
  if (seen?.misId !== misId) throw new ConflictError(stalePanel(definition.nouns.panelTitle), 'stale_plan');
  return seen.version;
}

const snapshotOf = <Mis>(schema: z.ZodType<Mis>) => z.object({ fetchedAt: z.string(), records: z.array(schema) });

async function connected(deps: Dependencies, centreId: string): Promise<AssemblyConnection> {
  const connection = await deps.store.getAssemblyConnection(centreId);
  if (!connection || connection.status !== 'connected')
    throw new ConflictError('Connect to Assembly on the Authorisation step first.', 'not_connected');
  return connection;
}

/** The panel's load job: its MIS records through Assembly, page by page, kept as the snapshot. */
export function panelLoad(definition: AnyPanel): LoadKind {
  return {
    kind: definition.panel,
    async fetch(deps, centreId, progress) {
      const connection = await connected(deps, centreId);
      const records = await withSchoolTokens(deps, connection, (assembly, tokens) =>
        definition.fetch(assembly, tokens, progress),
      );
      if (records) await keepSnapshot(deps, centreId, definition, records);
    },
  };
}

/** Keeps the MIS records as the panel's snapshot, so that editing the plan needs no Assembly calls. */
export async function keepSnapshot<Mis>(
  deps: Dependencies,
  centreId: string,
  definition: { snapshot: { name: string } },
  records: readonly Mis[],
): Promise<void> {
  const now = deps.clock.now().toISOString();
  await deps.store.putDocument(centreId, definition.snapshot.name, JSON.stringify({ fetchedAt: now, records }), 'any', now);
}

export async function snapshotRecords<Mis>(
  deps: Dependencies,
  centreId: string,
  definition: PanelDefinition<Mis, unknown, Review<unknown, unknown>, unknown, Restorable>,
): Promise<{ fetchedAt: string; records: Mis[] }> {
  const stored = await deps.store.getDocument(centreId, definition.snapshot.name);
  const parsed = stored ? snapshotOf(definition.snapshot.schema).safeParse(JSON.parse(stored.text)) : null;
  if (!parsed?.success)
    throw new ConflictError(
      `Open the ${definition.nouns.panelTitle} panel first, so that your MIS records are loaded.`,
      'not_loaded',
    );
  return parsed.data as { fetchedAt: string; records: Mis[] };
}

/** What the HTTP endpoints of any panel call (review/endpoints.ts). */
export interface PanelUseCases {
  load: LoadKind;
  startLoad(deps: Dependencies, session: Session): Promise<LoadView>;
  view(deps: Dependencies, session: Session): Promise<unknown>;
  savePlan(deps: Dependencies, session: Session, plan: ReviewPlan): Promise<unknown>;
  saveAndSync(deps: Dependencies, session: Session, body: z.infer<typeof saveAndSyncBody>): Promise<RunView>;
  unmatch(deps: Dependencies, session: Session, hubId: string): Promise<unknown>;
}

/** The panel's use cases, the same for every panel. */
export function panelUseCases<Mis, Context, View extends Review<unknown, unknown>, Entry, Hub extends Restorable>(
  definition: PanelDefinition<Mis, Context, View, Entry, Hub>,
) {
  const any = definition as unknown as AnyPanel;

  async function viewOf(
    deps: Dependencies,
    session: Session,
    snapshot: { fetchedAt: string; records: Mis[] },
    plan: ReviewPlan,
    known?: Context,
  ): Promise<PanelView<View>> {
    const [context, run] = await Promise.all([
      known ?? definition.context(deps, session),
      latestRun(deps, session, definition.run.kind),
    ]);
    return {
      ...definition.review(context, snapshot.records, plan, deps),
      ...definition.extra?.(context, snapshot.records, plan, deps),
      plan,
      run,
      fetchedAt: snapshot.fetchedAt,
    };
  }

  const useCases = {
    load: panelLoad(any),

    /** Opening the panel: loads its MIS records as a job the panel polls. */
    async startLoad(deps: Dependencies, session: Session): Promise<LoadView> {
      await connected(deps, session.centreId);
      return startLoad(deps, session, useCases.load);
    },

    /** The panel from the last MIS records fetched (no Assembly call). */
    async view(deps: Dependencies, session: Session) {
      const snapshot = await snapshotRecords(deps, session.centreId, any);
      return viewOf(deps, session, snapshot as never, await loadPlan(deps, session.centreId, definition.panel));
    },

    /** Saves the working plan if nobody changed it meanwhile, and returns the panel it gives. */
    async savePlan(deps: Dependencies, session: Session, plan: ReviewPlan) {
      const [snapshot, context] = await Promise.all([
        snapshotRecords(deps, session.centreId, any),
        definition.context(deps, session),
      ]);
      const records = snapshot.records as Mis[];
      const problems = planProblems(
        plan,
        new Set(definition.hubIds(context)),
        new Set(records.map(definition.misId)),
        definition.nouns,
      );
      const allowed = new Set(definition.planValueFields ?? []);
      for (const [misId, values] of Object.entries(plan.values))
        if (Object.keys(values).some((field) => !allowed.has(field)))
          problems[`values.${misId}`] = allowed.size
            ? `Only ${[...allowed].join(', ')} can be given here`
            : 'Nothing can be given here';
      Object.assign(problems, definition.settingsProblems?.(plan.settings) ?? {});
      if (plan.skipped.length && !definition.pairTicks)
        problems.skipped = 'Every pair in this panel is synced: none can be left out';
      if (plan.selection)
        Object.assign(
          problems,
          definition.selectionProblems?.(plan.selection, context) ?? { selection: 'This panel reviews all its records' },
        );
      if (Object.keys(problems).length) throw new ValidationError(problems);
      const stored = await storePlan(deps, session.centreId, definition.panel, plan);
      return viewOf(deps, session, snapshot as never, stored, context);
    },

    /** Save and sync: the plan must be complete; it is frozen into a run and the pipeline starts. */
    async saveAndSync(deps: Dependencies, session: Session, body: z.infer<typeof saveAndSyncBody>): Promise<RunView> {
      const [snapshot, plan, context] = await Promise.all([
        snapshotRecords(deps, session.centreId, any),
        loadPlan(deps, session.centreId, definition.panel),
        definition.context(deps, session),
      ]);
      if (plan.version !== body.planVersion) throw new ConflictError(STALE_PLAN, 'stale_plan');
      const records = snapshot.records as Mis[];
      const view = definition.review(context, records, plan, deps);
      if (view.problems.length) throw new UnprocessableError(`Before you save: ${view.problems.join('; ')}.`);
      const entries = await definition.entries({ deps, session, context, view, mis: records, plan, reviewed: body.reviewed });
      return startRun(deps, session, definition.run, entries);
    },

    /**
     * Unmatching a synced record: the Hub record is restored from the newest backup taken before
     * it was linked, from any run (an imported record, with no earlier one, loses the link); the
     * pair stays apart in the plan, so the Hub side shows Not matched and the MIS side New.
     */
    async unmatch(deps: Dependencies, session: Session, hubId: string) {
      const { recordKind, syncedFields } = definition.restore;
      const current = await definition.restore.get(deps, session.centreId, hubId);
      if (!current) throw new NotFoundError(`No such ${definition.nouns.hub}`);
      if (!current.misId || current.syncStatus === 'none')
        throw new UnprocessableError(`This ${definition.nouns.hub} is not synced with your MIS.`);
      const misId = current.misId;
      const { record, restoredFromRun } = await restoredRecord(
        deps,
        session.centreId,
        recordKind,
        hubId,
        current,
        syncedFields,
        definition.restore.parse,
      );
      const written = await deps.store.restoreRecord({
        centreId: session.centreId,
        recordKind,
        hubId,
        record: record as unknown as Record<string, unknown> & { misId: string | null },
        expectedVersion: current.version,
        freesMisId: misId,
      });
      if (!written.ok)
        throw new ConflictError(`This ${definition.nouns.hub} was changed while you unmatched it. Please try again.`);

      // The pair stays apart, and the MIS record is not ticked for import.
      const plan = await loadPlan(deps, session.centreId, definition.panel);
      await storePlan(
        deps,
        session.centreId,
        definition.panel,
        tickImports(unmatchPair(plan, { hubId, misId }, false), [misId], false),
      );
      await deps.store.appendAudit({
        auditId: randomUUID(),
        centreId: session.centreId,
        actorUserId: session.userId,
        action: `${recordKind}.unmatched`,
        subject: `${recordKind}:${hubId}`,
        at: deps.clock.now().toISOString(),
        detail: { misId, restoredFromRun: restoredFromRun ?? '' },
      });
      const changed = syncedFields.filter((field) => record[field] !== current[field]);
      return { ...(await useCases.view(deps, session)), restored: { fields: changed, fromRun: restoredFromRun } };
    },
  };
  return useCases;
}
