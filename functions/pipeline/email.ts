import { dependencies } from '../../shared/runtime/dependencies';
import { emailStep, runInputSchema } from '../../shared/sync/teacherSync';

/** Sync pipeline state "Email" (Step Functions task). */
export const handler = async (event: unknown): Promise<void> => emailStep(dependencies(), runInputSchema.parse(event));
