import { dependencies } from '../../shared/runtime/dependencies';
import { failInputSchema, syncPipeline } from '../../shared/sync/pipeline';
import { runKinds } from '../../shared/wizard/steps';

/** Sync pipeline state "RecordFailure" (the Catch of every step): why the run stopped; its lock is released. */
export const handler = async (event: unknown): Promise<void> =>
  syncPipeline(dependencies(), runKinds).fail(failInputSchema.parse(event));
