import { randomUUID } from 'node:crypto';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';

/**
 * Locally many invocations share one process (on Lambda each environment runs one at a time), so
 * each runs in a store of its own, as Lambda's multi-concurrency runtime does: Powertools then
 * keeps each invocation's log keys (centre, run, request id) apart.
 */
const store = await InvokeStore.getInstanceAsync(true);
process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';

/** Runs a handler module's handler as Lambda would: its own context and invocation store. */
export function invokeLocally<Event, Result>(
  handler: (event: Event, context: Context) => Promise<Result>,
  event: Event,
  functionName: string,
  timeoutSeconds?: number,
): Promise<Result> {
  const context = lambdaContext(functionName, timeoutSeconds);
  return store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, () => handler(event, context));
}

/**
 * The Lambda context the local gateway and local Step Functions hand each invocation, as
 * Lambda does: a fresh request id, the function's name, and the time left (the deployed
 * timeout), so Powertools and middy see what they see on AWS.
 */
export function lambdaContext(functionName: string, timeoutSeconds = 30): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
