import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoStreamRecords } from './streamRecords';

const streams = mockClient(DynamoDBStreamsClient);
afterEach(() => streams.reset());

const record = (sequence: number, resultId: string) => ({
  dynamodb: { SequenceNumber: String(sequence), Keys: { PK: { S: 'CENTRE#c1' }, SK: { S: `RESULT#${resultId}` } } },
});
const batch = { shardId: 's', startSequenceNumber: '1', endSequenceNumber: '3', streamArn: 'arn:stream' };

describe('the stream records a dead letter names', () => {
  it('reads on past an empty page to the batch’s last record (DynamoDB Streams may answer empty first)', async () => {
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'i0' });
    streams
      .on(GetRecordsCommand)
      .resolvesOnce({ Records: [record(1, 'a')], NextShardIterator: 'i1' })
      .resolvesOnce({ Records: [], NextShardIterator: 'i2' })
      .resolvesOnce({ Records: [record(2, 'b'), record(3, 'c'), record(4, 'not in the batch')], NextShardIterator: 'i3' });
    const found = await new DynamoStreamRecords(new DynamoDBStreamsClient({})).resultsIn(batch);
    expect(found?.map((one) => one.resultId)).toEqual(['a', 'b', 'c']);
  });

  it('keeps the letter (null) when the end is never reached on an open shard', async () => {
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'i0' });
    streams.on(GetRecordsCommand).resolves({ Records: [], NextShardIterator: 'again' });
    expect(await new DynamoStreamRecords(new DynamoDBStreamsClient({})).resultsIn(batch)).toBeNull();
  });
});
