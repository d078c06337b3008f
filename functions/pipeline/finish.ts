import { finishStep, runInputSchema } from '../../shared/sync/teacherSync';
import { dependencies } from '../../shared/runtime/dependencies';

/** Sync pipeline state "Finish" (Step Functions task). */
export const handler = async (event: unknown): Promise<void> => finishStep(dependencies(), runInputSchema.parse(event));
