import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { invokeLocally } from '../../infra/local/lambdaContext';
import { ConflictError } from '../core/errors';
import { pipelineTask } from './observability';

/** What a failed pipeline task hands back to Step Functions, which keeps it in the execution's history. */
const input = { centreId: 'centre-1', runId: 'run-1' };
const failing = (error: Error) =>
  pipelineTask('apply', z.object({ centreId: z.string(), runId: z.string() }), async () => {
    throw error;
  });

describe('pipelineTask', () => {
  it('passes the result back', async () => {
    const task = pipelineTask('finish', z.object({ centreId: z.string(), runId: z.string() }), async (parsed) => parsed.runId);
    expect(await invokeLocally(task, input, 'finish')).toBe('run-1');
  });

  it('rethrows an unexpected error by name, without its message', async () => {
    const error = new TypeError('Cannot read "Amelia Hughes"');
    const thrown = await invokeLocally(failing(error), input, 'apply').catch((caught: unknown) => caught as Error);
    expect(thrown.name).toBe('TypeError');
    expect(thrown.message).not.toContain('Amelia');
  });

  it('keeps the app’s own errors as they are (their messages are written for the co-ordinator)', async () => {
    const error = new ConflictError('Another sync is running', 'run_in_progress');
    await expect(invokeLocally(failing(error), input, 'apply')).rejects.toBe(error);
  });

  it('refuses input it cannot use, naming the fields only', async () => {
    const thrown = await invokeLocally(failing(new Error('x')), { centreId: 'Amelia' }, 'apply').catch(
      (caught: unknown) => caught as Error,
    );
    expect(thrown.message).toBe('The apply task was started with input it cannot use');
  });
});
