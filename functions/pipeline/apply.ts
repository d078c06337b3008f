import { dependencies } from '../../shared/runtime/dependencies';
import { applyInputSchema, applyStep } from '../../shared/sync/teacherSync';

/** Sync pipeline state "Apply" (Step Functions task, looped until done). */
export const handler = async (event: unknown): Promise<{ cursor: number; done: boolean }> =>
  applyStep(dependencies(), applyInputSchema.parse(event));
