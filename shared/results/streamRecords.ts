import {
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
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
      for (let pages = 0; iterator && pages < 100; pages++) {
        const page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        for (const record of page.Records ?? []) {
          if (BigInt(record.dynamodb?.SequenceNumber ?? '0') > end) return found;
          const pk = record.dynamodb?.Keys?.PK?.S ?? '';
          const sk = record.dynamodb?.Keys?.SK?.S ?? '';
          if (pk.startsWith('CENTRE#') && sk.startsWith(sortKeyPrefix.result))
            found.push({ centreId: pk.slice('CENTRE#'.length), resultId: sk.slice(sortKeyPrefix.result.length) });
        }
        // An open shard with nothing newer yet: the batch's records have all been read.
        if (!page.Records?.length) return found;
        iterator = page.NextShardIterator;
      }
      return found;
    } catch (error) {
      // Past the stream's 24 hours: the records are gone.
      if (error instanceof TrimmedDataAccessException || error instanceof ExpiredIteratorException) return null;
      throw error;
    }
  }
}
