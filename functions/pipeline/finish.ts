import { dependencies } from '../../shared/runtime/dependencies';
import { runInputSchema, syncPipeline } from '../../shared/sync/pipeline';
import { runKinds } from '../../shared/wizard/steps';

/** Sync pipeline state "Finish" (Step Functions task): the run succeeded; its lock is released. */
export const handler = async (event: unknown): Promise<void> =>
  syncPipeline(dependencies(), runKinds).finish(runInputSchema.parse(event));
