import * as z from 'zod';
import type { SyncRun } from '../domain/records';
import type { Dependencies } from '../runtime/dependencies';
import { PlanChangedError, type RunKind, type RunKinds } from './runs';

/**
 * The sync pipeline's steps, for every kind of run: the one ASL definition
 * (infra/pipeline/syncPipeline.asl.json) calls these through functions/pipeline/, and each
 * dispatches on the run's kind to the panel's own steps. Backup, Apply and Notify go a chunk
 * of the work list per invocation; the state machine loops them on the returned cursor.
 */
export const runInputSchema = z.object({ centreId: z.string().min(1), runId: z.string().min(1) });
export type RunInput = z.infer<typeof runInputSchema>;
export const chunkInputSchema = runInputSchema.extend({ cursor: z.number().int().nonnegative() });
export type ChunkInput = z.infer<typeof chunkInputSchema>;
export const failInputSchema = runInputSchema.extend({
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});
export type FailInput = z.infer<typeof failInputSchema>;

export interface Cursor {
  cursor: number;
  done: boolean;
}

export function syncPipeline(deps: Dependencies, kinds: RunKinds) {
  async function load(input: RunInput): Promise<{ run: SyncRun; kind: RunKind<unknown> }> {
    const run = await deps.store.getSyncRun(input.centreId, input.runId);
    if (!run) throw new Error('The sync run record is missing');
    // An execution of a run that has ended (marked failed when its start looked to have failed) writes nothing.
    if (run.status !== 'running') throw new RunEndedError();
    const kind = kinds.get(run.kind) as RunKind<unknown> | undefined;
    if (!kind) throw new Error(`No pipeline steps for runs of kind ${run.kind}`);
    return { run, kind };
  }

  async function chunk(run: SyncRun, kind: RunKind<unknown>, index: number): Promise<unknown[]> {
    const entries = await deps.store.getWorkChunk(run.centreId, run.runId, index);
    if (!entries) throw new Error('A chunk of the run’s work list is missing');
    return entries.map((entry) => kind.entrySchema.parse(entry));
  }

  async function advance(run: SyncRun, step: SyncRun['step']): Promise<void> {
    if (run.step !== step) await deps.store.putSyncRun({ ...run, step });
  }

  return {
    /** Backup: every Hub record the run will change, as it is now, before anything is written. */
    async backup(input: ChunkInput): Promise<Cursor> {
      const { run, kind } = await load(input);
      if (input.cursor < run.chunks) await kind.backup(deps, run, await chunk(run, kind, input.cursor));
      const cursor = input.cursor + 1;
      if (cursor >= run.chunks) await advance(run, 'recheck');
      return { cursor, done: cursor >= run.chunks };
    },

    /** Re-check: the plan against the Hub as it is now; a plan the Hub has overtaken stops here. */
    async recheck(input: RunInput): Promise<void> {
      const { run, kind } = await load(input);
      const entries: unknown[] = [];
      for (let index = 0; index < run.chunks; index++) entries.push(...(await chunk(run, kind, index)));
      await kind.recheck(deps, run, entries);
      await advance(run, 'apply');
    },

    /** Apply one chunk; its outcome is written when the chunk is done (a retry rewrites the same item). */
    async apply(input: ChunkInput): Promise<Cursor> {
      const { run, kind } = await load(input);
      if (input.cursor < run.chunks) {
        const entries = await chunk(run, kind, input.cursor);
        const result = await kind.apply(deps, run, entries);
        deps.metrics.count('RecordsApplied', appliedIn(result.counts));
        await deps.store.putChunkOutcome({
          centreId: run.centreId,
          runId: run.runId,
          index: input.cursor,
          size: entries.length,
          ...result,
        });
      }
      const cursor = input.cursor + 1;
      if (cursor >= run.chunks) await advance(run, 'notify');
      return { cursor, done: cursor >= run.chunks };
    },

    /** Notify one chunk's people (welcome emails): each claimed, sent, then recorded. */
    async notify(input: ChunkInput): Promise<Cursor> {
      const { run, kind } = await load(input);
      if (input.cursor < run.chunks && run.notices > 0) {
        const outcome = await deps.store.getChunkOutcome(run.centreId, run.runId, input.cursor);
        await kind.notify(deps, run, await chunk(run, kind, input.cursor), outcome ?? { counts: {}, issues: [] });
      }
      const cursor = input.cursor + 1;
      return { cursor, done: cursor >= run.chunks };
    },

    /** The run succeeded: recorded, and the centre's lock released, in one transaction. */
    async finish(input: RunInput): Promise<void> {
      const { run } = await load(input);
      await deps.store.endRun({ ...run, status: 'succeeded', step: 'done', finishedAt: deps.clock.now().toISOString() });
      deps.metrics.count('RunsSucceeded');
    },

    /** The pipeline's Catch: why the run stopped, in words the co-ordinator can act on; the lock released. */
    async fail(input: FailInput): Promise<void> {
      const run = await deps.store.getSyncRun(input.centreId, input.runId);
      if (!run) throw new Error('The sync run record is missing');
      await deps.store.endRun({
        ...run,
        status: 'failed',
        failureReason: failureReason(input.error),
        finishedAt: deps.clock.now().toISOString(),
      });
      deps.metrics.count('RunsFailed');
    },
  };
}

/** The run this execution serves has already ended: stop without writing. */
export class RunEndedError extends Error {
  constructor() {
    super('The run has already ended');
    this.name = 'RunEndedError';
  }
}

function failureReason(error: FailInput['error']): string {
  const fallback = 'The sync stopped because of an error on our side. What was done so far is kept; please try again.';
  if (error?.Error !== PlanChangedError.name) return fallback;
  try {
    return String((JSON.parse(error.Cause ?? '{}') as { errorMessage?: string }).errorMessage ?? error.Cause);
  } catch {
    return error.Cause ?? fallback;
  }
}

/** Records a chunk wrote: every count but the records it skipped. */
function appliedIn(counts: Record<string, number>): number {
  return Object.entries(counts).reduce((sum, [name, value]) => (name === 'skipped' ? sum : sum + value), 0);
}
