import { dependencies } from '../../shared/runtime/dependencies';
import { pipelineTask } from '../../shared/runtime/observability';
import { chunkInputSchema, syncPipeline } from '../../shared/sync/pipeline';
import { runKinds } from '../../shared/wizard/steps';

/** Sync pipeline state "Backup" (Step Functions task, looped over the run's chunks). */
export const handler = pipelineTask('backup', chunkInputSchema, (input) => syncPipeline(dependencies(), runKinds).backup(input));
