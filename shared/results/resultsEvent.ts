import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { markedResultSchema } from '../domain/records';
import { key, parkedResultSchema, sendResults, type ResultRef, type SenderDependencies } from './sender';

/**
 * One invocation of the sender: a batch of the results stream (filtered to result items, see
 * resultsSource.ts) or of the parking queue. All the batch's results are sent together (up to 50
 * per POST), then Powertools' BatchProcessor reports each record that failed, by its sequence
 * number or message id, so only those are retried. A record that cannot be read (a poison record)
 * fails alone, again on every retry, until it goes to the dead-letter queue.
 */

export type ResultsEvent = DynamoDBStreamEvent | SQSEvent;
type ResultsRecord = DynamoDBRecord | SQSRecord;

const isQueueRecord = (record: ResultsRecord): record is SQSRecord => 'messageId' in record;

export class UnreadableRecordError extends Error {
  constructor(what: string) {
    super(`The ${what} cannot be read as a result`);
    this.name = 'UnreadableRecordError';
  }
}

/** The result a record is about: from the stream's new image, or from the parked message. */
export function resultRefOf(record: ResultsRecord): ResultRef {
  if (isQueueRecord(record)) {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      throw new UnreadableRecordError('parked message');
    }
    const parked = parkedResultSchema.safeParse(body);
    if (!parked.success) throw new UnreadableRecordError('parked message');
    return parked.data;
  }
  const image = record.dynamodb?.NewImage;
  const result = image ? markedResultSchema.safeParse(unmarshall(image as Record<string, AttributeValue>)) : null;
  if (!result?.success) throw new UnreadableRecordError('stream record');
  return { centreId: result.data.centreId, resultId: result.data.resultId, result: result.data };
}

export async function handleResultsEvent(
  deps: SenderDependencies,
  event: ResultsEvent,
  context: Context,
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const records = event.Records as ResultsRecord[];
  const refs: ResultRef[] = [];
  for (const record of records) {
    try {
      refs.push(resultRefOf(record));
    } catch {
      // Reported for this record below, by the record handler.
    }
  }
  const outcomes = await sendResults(deps, refs);
  const recordHandler = (record: ResultsRecord) => {
    const failure = outcomes.get(key(resultRefOf(record)));
    if (failure) throw failure;
  };
  // One per invocation: a processor keeps its batch's state in the invocation's store.
  const processor = new BatchProcessor(records.length && isQueueRecord(records[0]!) ? EventType.SQS : EventType.DynamoDBStreams);
  return processPartialResponse(event, recordHandler, processor, { context });
}
