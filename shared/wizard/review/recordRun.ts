import type * as z from 'zod';
import { linkedTo } from '../../core/syncState';
import type { RecordKind } from '../../domain/records';
import type { Dependencies } from '../../runtime/dependencies';
import { backUp, STORE_CONCURRENCY } from '../../sync/backups';
import { mapConcurrently } from '../../sync/mapConcurrently';
import { PlanChangedError, type RunKind } from '../../sync/runs';
import { applyImport, applyLink, tally } from './apply';

/** A link or an import of one record that tells nobody (a year group, a class, a pupil). */
export type RecordEntry =
  | { op: 'link'; hubId: string; misId: string; replacesMisId: string | null; version: number; label: string }
  | {
      op: 'import';
      misId: string;
      label: string;
    };

/**
 * The Save and sync of a panel whose records tell nobody (year groups, classes, pupils): the
 * matched are backed up and linked (the MIS wins for `fields`), the ticked are created under a
 * deterministic id, nothing is deleted, nobody is emailed.
 */
export function recordRun<Entry extends RecordEntry, Hub extends Record<string, unknown>>(config: {
  kind: string;
  recordKind: RecordKind;
  panelTitle: string;
  /** 'year group', 'class'. */
  noun: string;
  entrySchema: z.ZodType<Entry>;
  list(deps: Dependencies, centreId: string): Promise<Hub[]>;
  idField: keyof Hub & string;
  importedId(misId: string): string;
  /** What the MIS sets on a linked record, and on a created one. */
  fields(entry: Entry): Record<string, unknown>;
  /** A created record's own fields besides those (e.g. a class's description and year group). */
  created?(entry: Extract<Entry, { op: 'import' }>): Record<string, unknown>;
  /** The panel's own check of the plan before any write (throws PlanChangedError). */
  recheck?(deps: Dependencies, centreId: string, entries: readonly Entry[]): Promise<void>;
}): RunKind<Entry> {
  const words = {
    changed: `Changed in the Admin Hub since you reviewed it, so it was left as it is. Review the ${config.panelTitle} panel again.`,
    linkedElsewhere: `This MIS ${config.noun} is already linked to another Admin Hub ${config.noun}, so nothing was changed.`,
    exists: `A ${config.noun} created for this MIS ${config.noun} already exists, so nothing was changed.`,
  };
  const find = (deps: Dependencies, centreId: string, hubId: string) => async () =>
    ((await config.list(deps, centreId)).find((record) => record[config.idField] === hubId) ?? null) as {
      misId: string | null;
      lastRunId: string | null;
    } | null;
  return {
    kind: config.kind,
    entrySchema: config.entrySchema,
    notices: () => 0,

    async backup(deps, run, entries) {
      const linked = new Set(entries.flatMap((entry) => (entry.op === 'link' ? [entry.hubId] : [])));
      const records = (await config.list(deps, run.centreId)).filter((record) => linked.has(String(record[config.idField])));
      await backUp(
        deps,
        run,
        config.recordKind,
        records.map((record) => ({ id: String(record[config.idField]), ...record })),
      );
    },

    async recheck(deps, run, entries) {
      const present = new Set((await config.list(deps, run.centreId)).map((record) => String(record[config.idField])));
      if (entries.some((entry) => entry.op === 'link' && !present.has(entry.hubId)))
        throw new PlanChangedError(
          `A Hub ${config.noun} in the plan has been deleted since it was made. Review the ${config.panelTitle} panel and save again.`,
        );
      await config.recheck?.(deps, run.centreId, entries);
    },

    async apply(deps, run, entries) {
      const outcomes = await mapConcurrently(entries, STORE_CONCURRENCY, (entry) => {
        const fields = config.fields(entry);
        if (entry.op === 'link')
          return applyLink(deps, run, config.recordKind, entry, fields, find(deps, run.centreId, entry.hubId), words);
        const hubId = config.importedId(entry.misId);
        const record = {
          [config.idField]: hubId,
          centreId: run.centreId,
          ...config.created?.(entry as Extract<Entry, { op: 'import' }>),
          ...fields,
          ...linkedTo(entry.misId),
          misId: entry.misId,
          version: 1,
          lastRunId: run.runId,
          createdAt: deps.clock.now().toISOString(),
          updatedAt: deps.clock.now().toISOString(),
        };
        return applyImport(deps, run, config.recordKind, entry, hubId, record, find(deps, run.centreId, hubId), words);
      });
      return tally(outcomes);
    },

    async notify() {
      // Groups tell nobody.
    },
  };
}
