import { dependencies } from '../../shared/runtime/dependencies';
import { pipelineTask } from '../../shared/runtime/observability';
import { runInputSchema, syncPipeline } from '../../shared/sync/pipeline';
import { runKinds } from '../../shared/wizard/steps';

/** Sync pipeline state "Finish" (Step Functions task): the run succeeded; its lock is released. */
export const handler = pipelineTask('finish', runInputSchema, (input) => syncPipeline(dependencies(), runKinds).finish(input));
