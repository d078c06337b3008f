import { dependencies } from '../../shared/runtime/dependencies';
import { failInputSchema, failStep } from '../../shared/sync/teacherSync';

/** Sync pipeline state "RecordFailure" (the Catch of every step). */
export const handler = async (event: unknown): Promise<void> => failStep(dependencies(), failInputSchema.parse(event));
