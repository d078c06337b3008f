import { dependencies } from '../../shared/runtime/dependencies';
import { pipelineTask } from '../../shared/runtime/observability';
import { failLoad, loadFailedInputSchema } from '../../shared/sync/loads';

/** Load jobs state "RecordLoadFailure" (the Catch of Fetch): why the load stopped. */
export const handler = pipelineTask('loadFailed', loadFailedInputSchema, (input) => failLoad(dependencies(), input));
