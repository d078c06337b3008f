import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { timeOrderedId } from '../../shared/core/clock';

/**
 * Starts the nightly state machine on the local Step Functions endpoint and waits for it: what
 * `npm run sync:nightly`, the in-process schedule, the tests and the bench all do.
 */
export async function runNight(options: {
  endpoint: string;
  stateMachineArn: string;
  centreIds?: string[];
  timeoutMs?: number;
}): Promise<{ nightId: string; status: string; error?: string; cause?: string }> {
  const client = new SFNClient({
    endpoint: options.endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const nightId = timeOrderedId(new Date(), 'night');
  const { executionArn } = await client.send(
    new StartExecutionCommand({
      stateMachineArn: options.stateMachineArn,
      name: nightId,
      input: JSON.stringify({ nightId, ...(options.centreIds?.length ? { centreIds: options.centreIds } : {}) }),
    }),
  );
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  for (;;) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING')
      return {
        nightId,
        status: described.status ?? 'UNKNOWN',
        ...(described.error ? { error: described.error } : {}),
        ...(described.cause ? { cause: described.cause } : {}),
      };
    if (Date.now() > deadline) throw new Error('The nightly sync is still running');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
