import { matchStep, runInputSchema } from '../../shared/sync/teacherSync';
import { dependencies } from '../../shared/runtime/dependencies';

/** Sync pipeline state "Match" (Step Functions task). */
export const handler = async (event: unknown): Promise<void> => matchStep(dependencies(), runInputSchema.parse(event));
