import { dependencies } from '../../shared/runtime/dependencies';
import { chunkInputSchema, syncPipeline, type Cursor } from '../../shared/sync/pipeline';
import { runKinds } from '../../shared/wizard/steps';

/** Sync pipeline state "Backup" (Step Functions task, looped over the run's chunks). */
export const handler = async (event: unknown): Promise<Cursor> =>
  syncPipeline(dependencies(), runKinds).backup(chunkInputSchema.parse(event));
