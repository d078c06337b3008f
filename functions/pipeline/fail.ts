import { dependencies } from '../../shared/runtime/dependencies';
import { pipelineTask } from '../../shared/runtime/observability';
import { failInputSchema, syncPipeline } from '../../shared/sync/pipeline';
import { runKinds } from '../../shared/wizard/steps';

/** Sync pipeline state "RecordFailure" (the Catch of every step): why the run stopped; its lock is released. */
export const handler = pipelineTask('fail', failInputSchema, (input) => syncPipeline(dependencies(), runKinds).fail(input));
