import { dependencies } from '../../shared/runtime/dependencies';
import { failLoad, loadFailedInputSchema } from '../../shared/sync/loads';

/** Load jobs state "RecordLoadFailure" (the Catch of Fetch): why the load stopped. */
export const handler = async (event: unknown): Promise<void> => failLoad(dependencies(), loadFailedInputSchema.parse(event));
