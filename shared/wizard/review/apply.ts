import * as z from 'zod';
import type { RecordKind, RunIssue, SyncRun } from '../../domain/records';
import type { Dependencies } from '../../runtime/dependencies';

/**
 * Apply's two writes for any panel, each safe to repeat: a link (the MIS wins for the fields it
 * holds) and an import. A retried step meets its own earlier write and counts it done, not as a
 * conflict: `lastRunId` (links) and the deterministic id (imports) tell it so.
 */
/** What every panel's link entry carries, frozen when Save and sync is pressed. */
export const linkEntryFields = {
  op: z.literal('link'),
  hubId: z.string(),
  misId: z.string(),
  /** A link to a MIS record that has left, which this match replaces. */
  replacesMisId: z.string().nullable(),
  /** The Hub record's version when it was reviewed: a record changed since is left alone. */
  version: z.number().int().nonnegative(),
  label: z.string(),
};

export type ApplyOutcome = { done: 'linked' | 'imported' } | { issue: RunIssue };

interface Linked {
  misId: string | null;
  lastRunId: string | null;
}

export async function applyLink(
  deps: Dependencies,
  run: SyncRun,
  recordKind: RecordKind,
  entry: { hubId: string; misId: string; replacesMisId: string | null; version: number; label: string },
  fields: Record<string, unknown>,
  current: () => Promise<Linked | null>,
  words: { changed: string; linkedElsewhere: string },
): Promise<ApplyOutcome> {
  const written = await deps.store.linkRecord({
    centreId: run.centreId,
    recordKind,
    hubId: entry.hubId,
    misId: entry.misId,
    replacesMisId: entry.replacesMisId,
    expectedVersion: entry.version,
    runId: run.runId,
    fields,
    now: deps.clock.now().toISOString(),
  });
  if (written.ok) return { done: 'linked' };
  const record = await current();
  if (record?.lastRunId === run.runId && record.misId === entry.misId) return { done: 'linked' };
  const reason = written.failed.has('record') ? words.changed : words.linkedElsewhere;
  return { issue: { recordId: entry.misId, label: entry.label, reason } };
}

export async function applyImport(
  deps: Dependencies,
  run: SyncRun,
  recordKind: RecordKind,
  entry: { misId: string; label: string },
  hubId: string,
  record: Record<string, unknown> & { misId: string },
  current: () => Promise<Linked | null>,
  words: { linkedElsewhere: string; exists: string },
): Promise<ApplyOutcome> {
  const written = await deps.store.importRecord({ centreId: run.centreId, recordKind, hubId, misId: entry.misId, record });
  if (written.ok) return { done: 'imported' };
  const existing = await current();
  if (existing?.misId === entry.misId) return { done: 'imported' };
  const reason = written.failed.has('guard') ? words.linkedElsewhere : words.exists;
  return { issue: { recordId: entry.misId, label: entry.label, reason } };
}

/** A chunk's outcomes as counts and issues. */
export function tally(outcomes: readonly ApplyOutcome[]): { counts: Record<string, number>; issues: RunIssue[] } {
  const result = { counts: { linked: 0, imported: 0, skipped: 0 } as Record<string, number>, issues: [] as RunIssue[] };
  for (const outcome of outcomes) {
    if ('issue' in outcome) {
      result.counts.skipped!++;
      result.issues.push(outcome.issue);
    } else result.counts[outcome.done]!++;
  }
  return result;
}
