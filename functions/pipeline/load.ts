import { dependencies } from '../../shared/runtime/dependencies';
import { pipelineTask } from '../../shared/runtime/observability';
import { loadInputSchema, runLoad } from '../../shared/sync/loads';
import { loadKinds } from '../../shared/wizard/steps';

/** Load jobs state "Fetch" (Step Functions task): a panel's MIS records from Assembly, with progress. */
export const handler = pipelineTask('load', loadInputSchema, (input) => runLoad(dependencies(), loadKinds, input));
