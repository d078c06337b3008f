import { dependencies } from '../../shared/runtime/dependencies';
import { loadInputSchema, runLoad } from '../../shared/sync/loads';
import { loadKinds } from '../../shared/wizard/steps';

/** Load jobs state "Fetch" (Step Functions task): a panel's MIS records from Assembly, with progress. */
export const handler = async (event: unknown): Promise<void> => runLoad(dependencies(), loadKinds, loadInputSchema.parse(event));
