import {
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { sortKeyPrefix } from '../store/keys';
import type { StreamBatchInfo, StreamRecords } from './redrive';

/**
 * The stream records a dead letter names, read again from the table's stream (DynamoDB Streams;
 * locally DynamoDB Local's), for their keys only: a record that could not be read as a result
 * still names one.
 */
export class DynamoStreamRecords implements StreamRecords {
  constructor(private readonly client = new DynamoDBStreamsClient({})) {}

  async resultsIn(batch: StreamBatchInfo): Promise<{ centreId: string; resultId: string }[] | null> {
    const end = BigInt(batch.endSequenceNumber);
    const found: { centreId: string; resultId: string }[] = [];
    try {
      let { ShardIterator: iterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: batch.streamArn,
          ShardId: batch.shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: batch.startSequenceNumber,
        }),
      );
      // A page may be empty before later records ("it might take multiple calls"): read on until
      // the batch's last record, or the shard's end; short of either, the letter is kept (null).
      for (let pages = 0; iterator && pages < MAX_PAGES; pages++) {
        const page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        for (const record of page.Records ?? []) {
          const sequence = BigInt(record.dynamodb?.SequenceNumber ?? '0');
          if (sequence > end) return found;
          const pk = record.dynamodb?.Keys?.PK?.S ?? '';
          const sk = record.dynamodb?.Keys?.SK?.S ?? '';
          if (pk.startsWith('CENTRE#') && sk.startsWith(sortKeyPrefix.result))
            found.push({ centreId: pk.slice('CENTRE#'.length), resultId: sk.slice(sortKeyPrefix.result.length) });
          if (sequence === end) return found;
        }
        iterator = page.NextShardIterator;
      }
      // The shard closed before the batch's end (all of it read), or the pages ran out first.
      return iterator ? null : found;
    } catch (error) {
      // Past the stream's 24 hours: the records, or the shard, are gone.
      if (
        error instanceof TrimmedDataAccessException ||
        error instanceof ExpiredIteratorException ||
        error instanceof ResourceNotFoundException
      )
        return null;
      throw error;
    }
  }
}

/** A batch is at most a few hundred records; this many pages without its end means something is wrong. */
const MAX_PAGES = 200;
