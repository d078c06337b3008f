import * as z from 'zod';
import { outOfSyncReasonSchema } from '../core/syncState';
import type { RunIssue } from '../domain/records';
import { backUp, STORE_CONCURRENCY } from '../sync/backups';
import { mapConcurrently } from '../sync/mapConcurrently';
import type { ChunkResult, RunKind } from '../sync/runs';
import { linkEntryFields } from '../wizard/review/apply';
import { recordRun } from '../wizard/review/recordRun';
import { pupilEntrySchema, pupilsRun } from '../wizard/pupils/sync';
import type { NightlyEntry } from './plan';

/**
 * The nightly sync's run: the same pipeline (backup → re-check → apply) as a panel's Save and
 * sync, made of the panels' own steps. Pupils are linked, updated and imported by the Pupils
 * run; synced teachers take the MIS's names through a record run of their own (no email:
 * nobody new gets an account at night); records that left become Out of sync, each write
 * conditional on the version the plan saw.
 */
const teacherUpdateSchema = z.object({
  ...linkEntryFields,
  replacesMisId: z.null(),
  title: z.string().nullable(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
});

const teacherUpdates = recordRun({
  kind: 'nightly',
  recordKind: 'teacher',
  panelTitle: 'Teachers',
  noun: 'teacher',
  entrySchema: teacherUpdateSchema,
  list: (deps, centreId) => deps.store.listTeachers(centreId),
  idField: 'teacherId',
  importedId: () => {
    throw new Error('The nightly sync never imports teachers');
  },
  fields: (entry) => ({ title: entry.title, firstName: entry.firstName, lastName: entry.lastName }),
});

const outOfSyncSchema = z.object({
  recordKind: z.enum(['pupil', 'teacher']),
  hubId: z.string(),
  version: z.number().int().nonnegative(),
  label: z.string(),
  reason: outOfSyncReasonSchema,
});

export const nightlyEntrySchema = z.discriminatedUnion('target', [
  z.object({ target: z.literal('pupil'), entry: pupilEntrySchema }),
  z.object({ target: z.literal('teacher'), entry: teacherUpdateSchema }),
  z.object({ target: z.literal('outOfSync'), entry: outOfSyncSchema }),
]) satisfies z.ZodType<NightlyEntry>;

const CHANGED = 'Changed in the Admin Hub since tonight’s sync looked at it, so it was left as it is until tomorrow night.';

export const nightlyRun: RunKind<NightlyEntry> = {
  kind: 'nightly',
  entrySchema: nightlyEntrySchema,
  notices: () => 0,

  async backup(deps, run, entries) {
    const { pupils, teachers, leaving } = split(entries);
    await pupilsRun.backup(deps, run, pupils);
    await teacherUpdates.backup(deps, run, teachers);
    for (const recordKind of ['pupil', 'teacher'] as const) {
      const ids = new Set(leaving.filter((entry) => entry.recordKind === recordKind).map((entry) => entry.hubId));
      if (!ids.size) continue;
      const records =
        recordKind === 'pupil'
          ? (await deps.store.listPupils(run.centreId)).map((pupil) => ({ id: pupil.pupilId, ...pupil }))
          : (await deps.store.listTeachers(run.centreId)).map((teacher) => ({ id: teacher.teacherId, ...teacher }));
      await backUp(
        deps,
        run,
        recordKind,
        records.filter((record) => ids.has(record.id)),
      );
    }
  },

  async recheck(deps, run, entries) {
    const { pupils, teachers } = split(entries);
    await pupilsRun.recheck(deps, run, pupils);
    await teacherUpdates.recheck(deps, run, teachers);
  },

  async apply(deps, run, entries) {
    const { pupils, teachers, leaving } = split(entries);
    const results = [await pupilsRun.apply(deps, run, pupils), await teacherUpdates.apply(deps, run, teachers)];
    const issues: RunIssue[] = [];
    const written = await mapConcurrently(leaving, STORE_CONCURRENCY, async (entry) => {
      const ok = await deps.store.setSyncState({
        centreId: run.centreId,
        recordKind: entry.recordKind,
        hubId: entry.hubId,
        expectedVersion: entry.version,
        syncStatus: 'out_of_sync',
        syncReason: entry.reason,
        now: deps.clock.now().toISOString(),
      });
      if (ok) return true;
      // A retried chunk meets its own write: already Out of sync for this reason.
      const current =
        entry.recordKind === 'pupil'
          ? (await deps.store.listPupils(run.centreId)).find((pupil) => pupil.pupilId === entry.hubId)
          : (await deps.store.listTeachers(run.centreId)).find((teacher) => teacher.teacherId === entry.hubId);
      if (current?.syncStatus === 'out_of_sync' && current.syncReason === entry.reason) return true;
      issues.push({ recordId: entry.hubId, label: entry.label, reason: CHANGED });
      return false;
    });
    return merge([...results, { counts: { outOfSync: written.filter(Boolean).length, skipped: issues.length }, issues }]);
  },

  async notify() {
    // The co-ordinator's digest is sent once the whole night's run has ended (nightly/centre.ts).
  },
};

function split(entries: readonly NightlyEntry[]) {
  return {
    pupils: entries.flatMap((entry) => (entry.target === 'pupil' ? [entry.entry] : [])),
    teachers: entries.flatMap((entry) => (entry.target === 'teacher' ? [entry.entry] : [])),
    leaving: entries.flatMap((entry) => (entry.target === 'outOfSync' ? [entry.entry] : [])),
  };
}

function merge(results: readonly ChunkResult[]): ChunkResult {
  const counts: Record<string, number> = {};
  for (const result of results)
    for (const [name, value] of Object.entries(result.counts)) counts[name] = (counts[name] ?? 0) + value;
  return { counts, issues: results.flatMap((result) => result.issues) };
}
