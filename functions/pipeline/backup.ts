import { backupStep, runInputSchema } from '../../shared/sync/teacherSync';
import { dependencies } from '../../shared/runtime/dependencies';

/** Sync pipeline state "Backup" (Step Functions task). */
export const handler = async (event: unknown): Promise<void> => backupStep(dependencies(), runInputSchema.parse(event));
