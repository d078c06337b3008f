import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { AssemblyError } from '../assembly/errors';
import { DomainError } from '../core/errors';
import { METRICS_NAMESPACE, SERVICE_NAME } from './serviceName';

/**
 * Observability for every Lambda entry, on Powertools for AWS Lambda composed with middy:
 * JSON logs with the request id and the keys a handler appends (centre, run, step: ids only,
 * never personal data), X-Ray traces of the handler and of every AWS SDK client, and CloudWatch
 * metrics in EMF. Configured by Powertools' environment (POWERTOOLS_SERVICE_NAME,
 * POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE), which the CDK app sets on every function.
 * Outside Lambda, tracing is off by itself and the local runtime switches metrics off.
 */

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const tracer = new Tracer({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ serviceName: SERVICE_NAME, namespace: METRICS_NAMESPACE });

/** What the core may log: a message and ids. The Powertools Logger is its one adapter. */
export interface Log {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** What the core counts. */
export type MetricName =
  'RunsStarted' | 'RunsSucceeded' | 'RunsFailed' | 'RecordsApplied' | 'EmailsSent' | 'LoadsFailed' | 'NightlyDigestsSent';
export interface Counter {
  count(name: MetricName, value?: number): void;
}

export const log: Log = {
  info: (message, attributes) => logger.info(message, attributes ?? {}),
  warn: (message, attributes) => logger.warn(message, attributes ?? {}),
  error: (message, attributes) => logger.error(message, attributes ?? {}),
};

export const counter: Counter = {
  count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
};

/** Adds the Lambda context's request id, and resets appended keys, traces and flushes metrics per invocation. */
export function lambdaEntry<Event, Result>(handler: (event: Event, context: Context) => Promise<Result>) {
  // middy's early timeout would answer for the handler while it goes on running: Lambda's own
  // timeout is the one that counts.
  return middy(handler, { timeoutEarlyInMillis: 0 })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics());
}

/**
 * Powertools' logMetrics, without its warning on every invocation that counted nothing: the
 * cold start once per container, and what the invocation counted, if anything, at its end.
 */
function publishMetrics(): MiddlewareObj {
  const publish = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: (request) => metrics.captureColdStartMetric(request.context.functionName),
    after: publish,
    onError: publish,
  };
}

/**
 * A Step Functions task: its input parsed with zod, the centre and the run (or load) and the
 * step appended to every log line, one line when it ends. The result goes back to the state
 * machine as it is.
 */
export function pipelineTask<Input extends { centreId?: string; runId?: string | null; loadId?: string }, Result>(
  step: string,
  schema: z.ZodType<Input>,
  run: (input: Input) => Promise<Result>,
) {
  return lambdaEntry(async (event: unknown): Promise<Result> => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      logger.error('task input refused', { step, issues: parsed.error.issues.map((issue) => issue.path.join('.')) });
      throw new Error(`The ${step} task was started with input it cannot use`);
    }
    const { centreId, runId, loadId } = parsed.data;
    logger.appendKeys({ step, ...(centreId ? { centreId } : {}), ...(runId ? { runId } : {}), ...(loadId ? { loadId } : {}) });
    const started = Date.now();
    try {
      const result = await run(parsed.data);
      logger.info('task done', { ms: Date.now() - started });
      return result;
    } catch (error) {
      // The error's name and where it was thrown, never its message: a message may carry what a
      // record holds, and Step Functions keeps what the task throws in the execution's history.
      const name = error instanceof Error ? error.name : typeof error;
      logger.error('task failed', { ms: Date.now() - started, error: name, at: stackFrames(error) });
      throw ownError(error);
    }
  });
}

/** Errors whose messages the app wrote for the co-ordinator (and the pipeline's Catch reads): kept as they are. */
const OWN_ERRORS = new Set(['PlanChangedError', 'RunEndedError']);

function ownError(error: unknown): unknown {
  if (!(error instanceof Error) || OWN_ERRORS.has(error.name) || error instanceof DomainError || error instanceof AssemblyError)
    return error;
  const scrubbed = new Error(`${error.name} (details in the task's log, by request id)`);
  scrubbed.name = error.name;
  return scrubbed;
}

function stackFrames(error: unknown): string[] {
  if (!(error instanceof Error) || !error.stack) return [];
  return error.stack
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 8)
    .map((line) => line.trim());
}
