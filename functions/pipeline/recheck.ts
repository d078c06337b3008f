import { dependencies } from '../../shared/runtime/dependencies';
import { runInputSchema, syncPipeline } from '../../shared/sync/pipeline';
import { runKinds } from '../../shared/wizard/steps';

/** Sync pipeline state "Recheck" (Step Functions task): the plan against the Hub as it is now. */
export const handler = async (event: unknown): Promise<void> =>
  syncPipeline(dependencies(), runKinds).recheck(runInputSchema.parse(event));
