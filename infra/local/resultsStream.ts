import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { matchesPattern, parkingQueue, resultStream, SENDER_TIMEOUT_SECONDS } from '../../shared/results/resultsSource';
import { invokeLocally } from './lambdaContext';

/**
 * The results pipeline on the local engines, with the semantics of Lambda's event source
 * mappings as declared in shared/results/resultsSource.ts:
 * - a poller reads DynamoDB Local's real stream (the DynamoDB Streams API), keeps the records the
 *   declared filter passes, and hands them to the sender's handler module in batches, one batch
 *   at a time per shard; a batch item failure is retried from that record, a failed invocation is
 *   bisected, a record failing past the retry limit goes to the dead-letter queue (as Lambda's
 *   on-failure destination does: a message naming the shard and sequence numbers);
 * - a small queue engine speaking SQS's JSON protocol (SendMessage, SendMessageBatch,
 *   ReceiveMessage, DeleteMessage, ChangeMessageVisibility, GetQueueAttributes) holds the parking queue and the dead letters, so the
 *   sender's SQS client works unchanged; its parked messages come back after their delay, as an
 *   SQS event source would hand them over. No SQS engine on npm speaks the JSON protocol the
 *   current SDK uses, so this one is the poller's own delay queue behind SQS's interface.
 */

type Handler = (
  event: DynamoDBStreamEvent | SQSEvent,
  context: Context,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

export const QUEUES = {
  parked: 'results-parked',
  parkedDeadLetters: 'results-parked-dead-letters',
  deadLetters: 'results-dead-letters',
} as const;

export interface LocalResultsOptions {
  dynamo: DynamoDBClient;
  dynamoEndpoint: string;
  tableName: string;
  /** The queue engine's port (0: any free one). */
  sqsPort: number;
  loadHandler: () => Promise<Handler>;
  pollMs?: number;
  /** The wait before a failed batch is tried again (doubling with each retry). */
  retryDelayMs?: number;
  /** How long a failed parked message stays invisible before it is handed over again. */
  visibilityTimeoutMs?: number;
}

export interface LocalQueueMessage {
  messageId: string;
  body: string;
  visibleAt: number;
  receiveCount: number;
  sentAt: number;
}

export interface LocalResults {
  sqsEndpoint: string;
  queueUrl(name: string): string;
  /** Messages in a queue (visible or not). */
  messages(name: string): readonly LocalQueueMessage[];
  /** Resolves once the stream has been read up to now and no batch or due parked message is being handled. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalResults(options: LocalResultsOptions): Promise<LocalResults> {
  const pollMs = options.pollMs ?? 200;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const visibilityMs = options.visibilityTimeoutMs ?? parkingQueue.visibilityTimeoutSeconds * 1000;
  const queues = new Map<string, LocalQueueMessage[]>(Object.values(QUEUES).map((name) => [name, []]));
  const sqs = await startQueueEngine(queues, options.sqsPort);
  const queueUrl = (name: string) => `${sqs.endpoint}/000000000000/${name}`;
  const enqueue = (name: string, body: string, delaySeconds = 0) =>
    queues.get(name)!.push({
      messageId: randomUUID(),
      body,
      visibleAt: Date.now() + delaySeconds * 1000,
      receiveCount: 0,
      sentAt: Date.now(),
    });

  const streams = new DynamoDBStreamsClient({
    endpoint: options.dynamoEndpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const table = await options.dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`The table ${options.tableName} has no stream`);

  let stopped = false;
  let busy = 0;
  let handler: Handler | undefined;
  const invoke = async (event: DynamoDBStreamEvent | SQSEvent) => {
    handler ??= await options.loadHandler();
    return invokeLocally(handler, event, 'results-send', SENDER_TIMEOUT_SECONDS);
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  // Shards: an iterator each; shards found at start are read from now, later ones from their start.
  const iterators = new Map<string, string | null>();
  const discover = async (initial: boolean) => {
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of described.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      if (iterators.has(shardId)) continue;
      const open = !shard.SequenceNumberRange?.EndingSequenceNumber;
      if (initial && !open) {
        iterators.set(shardId, null);
        continue;
      }
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: initial ? 'LATEST' : 'TRIM_HORIZON',
        }),
      );
      iterators.set(shardId, ShardIterator ?? null);
    }
  };
  await discover(true);
  let readUpTo = 0;

  /** One batch, with Lambda's stream semantics: partial failures, bisect, bounded retries, then the dead letters. */
  const handleBatch = async (shardId: string, records: DynamoDBRecord[], attempt = 0): Promise<void> => {
    if (!records.length || stopped) return;
    let failedFrom: number;
    try {
      const answer = await invoke({ Records: records });
      const failed = new Set((answer?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      if (!failed.size) return;
      failedFrom = records.findIndex((record) => failed.has(record.dynamodb!.SequenceNumber!));
      if (failedFrom < 0) failedFrom = 0;
    } catch (error) {
      // What Lambda's own log would show of a failed invocation: the error's name, never its message.
      console.warn(
        `results sender: the invocation failed (${error instanceof Error ? error.name : 'error'}); retrying as Lambda would`,
      );
      if (resultStream.bisectBatchOnError && records.length > 1) {
        // Splitting does not count as a retry.
        const half = Math.ceil(records.length / 2);
        await handleBatch(shardId, records.slice(0, half), attempt);
        await handleBatch(shardId, records.slice(half), attempt);
        return;
      }
      failedFrom = 0;
    }
    const rest = records.slice(failedFrom);
    if (attempt >= resultStream.retryAttempts) {
      enqueue(QUEUES.deadLetters, JSON.stringify(onFailureMessage(streamArn, shardId, rest, attempt + 1)));
      return;
    }
    await sleep(retryDelayMs * 2 ** attempt);
    await handleBatch(shardId, rest, attempt + 1);
  };

  const pollStream = async () => {
    let sinceDiscovery = 0;
    while (!stopped) {
      const started = Date.now();
      try {
        if (++sinceDiscovery * pollMs >= 5000) {
          sinceDiscovery = 0;
          await discover(false);
        }
        for (const [shardId, iterator] of iterators) {
          if (!iterator || stopped) continue;
          const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
          iterators.set(shardId, page.NextShardIterator ?? null);
          if (!page.NextShardIterator) await discover(false);
          const passed = (page.Records ?? [])
            .map(lambdaRecord(streamArn))
            .filter((record) => matchesPattern(resultStream.filter, record));
          busy++;
          try {
            for (let start = 0; start < passed.length; start += resultStream.batchSize)
              await handleBatch(shardId, passed.slice(start, start + resultStream.batchSize));
          } finally {
            busy--;
          }
        }
        readUpTo = started;
      } catch (error) {
        if (!stopped) console.error('results stream poller:', error instanceof Error ? error.name : error);
      }
      await sleep(pollMs);
    }
  };

  /** The parking queue's event source: due messages in batches, failures back after the visibility timeout. */
  const pollParked = async () => {
    while (!stopped) {
      const parked = queues.get(QUEUES.parked)!;
      const due = parked.filter((message) => message.visibleAt <= Date.now()).slice(0, parkingQueue.batchSize);
      if (due.length) {
        busy++;
        for (const message of due) {
          message.receiveCount++;
          message.visibleAt = Date.now() + visibilityMs;
        }
        let failed: Set<string>;
        try {
          const answer = await invoke({ Records: due.map(sqsRecord(queueUrl(QUEUES.parked))) });
          failed = new Set((answer?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
        } catch {
          failed = new Set(due.map((message) => message.messageId));
        } finally {
          busy--;
        }
        for (const message of due) {
          if (failed.has(message.messageId) && message.receiveCount < parkingQueue.maxReceiveCount) continue;
          parked.splice(parked.indexOf(message), 1);
          if (failed.has(message.messageId)) queues.get(QUEUES.parkedDeadLetters)!.push({ ...message, visibleAt: 0 });
        }
        continue;
      }
      await sleep(pollMs);
    }
  };

  const loops = [pollStream(), pollParked()];
  return {
    sqsEndpoint: sqs.endpoint,
    queueUrl,
    messages: (name) => queues.get(name) ?? [],
    settled: async () => {
      const asked = Date.now();
      const parkedDue = () => queues.get(QUEUES.parked)!.some((message) => message.visibleAt <= Date.now());
      while (readUpTo <= asked || busy > 0 || parkedDue()) await sleep(pollMs / 2);
    },
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      await new Promise<void>((resolve) => {
        sqs.server.close(() => resolve());
        sqs.server.closeAllConnections();
      });
    },
  };
}

/** A stream record as Lambda hands it to a function. */
function lambdaRecord(streamArn: string) {
  return (record: StreamRecord): DynamoDBRecord => ({
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-2',
    eventSourceARN: streamArn,
    dynamodb: {
      ...(record.dynamodb as DynamoDBRecord['dynamodb']),
      ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
        ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
        : Math.floor(Date.now() / 1000),
    },
  });
}

function sqsRecord(queueUrl: string) {
  return (message: LocalQueueMessage): SQSRecord => ({
    messageId: message.messageId,
    receiptHandle: message.messageId,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: md5(message.body),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:eu-west-2:000000000000:${queueUrl.split('/').pop()}`,
    awsRegion: 'eu-west-2',
  });
}

/** What Lambda sends its on-failure destination for a stream batch it gave up on: where the records are, not the records. */
function onFailureMessage(streamArn: string, shardId: string, records: DynamoDBRecord[], attempts: number) {
  return {
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: attempts },
    responseContext: { statusCode: 200, executedVersion: '$LATEST' },
    version: '1.0',
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId,
      startSequenceNumber: records[0]!.dynamodb!.SequenceNumber,
      endSequenceNumber: records.at(-1)!.dynamodb!.SequenceNumber,
      approximateArrivalOfFirstRecord: new Date(records[0]!.dynamodb!.ApproximateCreationDateTime! * 1000).toISOString(),
      approximateArrivalOfLastRecord: new Date(records.at(-1)!.dynamodb!.ApproximateCreationDateTime! * 1000).toISOString(),
      batchSize: records.length,
      streamArn,
    },
  };
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** The SQS JSON protocol, for the actions the sender and the tests use. */
async function startQueueEngine(
  queues: Map<string, LocalQueueMessage[]>,
  port: number,
): Promise<{ endpoint: string; server: Server }> {
  const server = createServer((request, response) => {
    void answer(request, response).catch(() => reply(response, 500, { __type: 'InternalFailure', message: 'internal failure' }));
  });
  async function answer(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const action = String(request.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    const name =
      String(input.QueueUrl ?? '')
        .split('/')
        .pop() ?? '';
    const queue = queues.get(name);
    if (!queue)
      return reply(response, 400, {
        __type: 'com.amazonaws.sqs#QueueDoesNotExist',
        message: 'The specified queue does not exist.',
      });
    const push = (body: string, delay: unknown) => {
      const message = {
        messageId: randomUUID(),
        body,
        visibleAt: Date.now() + Number(delay ?? 0) * 1000,
        receiveCount: 0,
        sentAt: Date.now(),
      };
      queue.push(message);
      return message;
    };
    if (action === 'SendMessage') {
      const message = push(String(input.MessageBody), input.DelaySeconds);
      return reply(response, 200, { MessageId: message.messageId, MD5OfMessageBody: md5(message.body) });
    }
    if (action === 'SendMessageBatch') {
      const entries = (input.Entries ?? []) as { Id: string; MessageBody: string; DelaySeconds?: number }[];
      return reply(response, 200, {
        Successful: entries.map((entry) => {
          const message = push(entry.MessageBody, entry.DelaySeconds);
          return { Id: entry.Id, MessageId: message.messageId, MD5OfMessageBody: md5(entry.MessageBody) };
        }),
        Failed: [],
      });
    }
    if (action === 'ReceiveMessage') {
      const due = queue.filter((message) => message.visibleAt <= Date.now()).slice(0, Number(input.MaxNumberOfMessages ?? 1));
      for (const message of due) {
        message.receiveCount++;
        message.visibleAt = Date.now() + Number(input.VisibilityTimeout ?? 30) * 1000;
      }
      return reply(response, 200, {
        Messages: due.map((message) => ({
          MessageId: message.messageId,
          ReceiptHandle: message.messageId,
          Body: message.body,
          MD5OfBody: md5(message.body),
        })),
      });
    }
    if (action === 'ChangeMessageVisibility') {
      const message = queue.find((candidate) => candidate.messageId === input.ReceiptHandle);
      if (message) message.visibleAt = Date.now() + Number(input.VisibilityTimeout ?? 0) * 1000;
      return reply(response, 200, {});
    }
    if (action === 'DeleteMessage') {
      const at = queue.findIndex((message) => message.messageId === input.ReceiptHandle);
      if (at >= 0) queue.splice(at, 1);
      return reply(response, 200, {});
    }
    if (action === 'GetQueueAttributes') {
      const now = Date.now();
      return reply(response, 200, {
        Attributes: {
          ApproximateNumberOfMessages: String(queue.filter((message) => message.visibleAt <= now).length),
          ApproximateNumberOfMessagesNotVisible: String(queue.filter((message) => message.visibleAt > now).length),
        },
      });
    }
    return reply(response, 400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `${action} is not served locally` });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return { endpoint: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`, server };
}

function reply(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  response.end(JSON.stringify(body));
}
