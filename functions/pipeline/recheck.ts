import { dependencies } from '../../shared/runtime/dependencies';
import { pipelineTask } from '../../shared/runtime/observability';
import { runInputSchema, syncPipeline } from '../../shared/sync/pipeline';
import { runKinds } from '../../shared/wizard/steps';

/** Sync pipeline state "Recheck" (Step Functions task): the plan against the Hub as it is now. */
export const handler = pipelineTask('recheck', runInputSchema, (input) => syncPipeline(dependencies(), runKinds).recheck(input));
