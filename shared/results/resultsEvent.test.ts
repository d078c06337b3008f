import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { resultRefOf, UnreadableRecordError } from './resultsEvent';

const image = {
  PK: 'CENTRE#c1',
  SK: 'RESULT#p1#maths-3-autumn',
  type: 'result',
  centreId: 'c1',
  resultId: 'p1#maths-3-autumn',
  pupilId: 'p1',
  paperId: 'maths-3-autumn',
  rawMark: 30,
  standardisedScore: 104,
  sat: '2026-11-12',
  markedBy: 'u1',
  markedAt: '2026-11-12T10:00:00.000Z',
  version: 1,
};
const streamRecord = (newImage: Record<string, unknown>) =>
  ({ eventName: 'INSERT', dynamodb: { NewImage: marshall(newImage), SequenceNumber: '1' } }) as unknown as DynamoDBRecord;
const queueRecord = (body: string) => ({ messageId: 'm1', body }) as unknown as SQSRecord;

describe('what a record is about', () => {
  it('reads the result from a stream record’s new image', () => {
    expect(resultRefOf(streamRecord(image))).toEqual({
      centreId: 'c1',
      resultId: 'p1#maths-3-autumn',
      // The stored item's keys are not part of the result.
      result: expect.not.objectContaining({ PK: expect.anything() }),
    });
    expect(resultRefOf(streamRecord(image)).result).toMatchObject({ version: 1, standardisedScore: 104 });
  });

  it('reads a parked result from its message', () => {
    const parked = { centreId: 'c1', resultId: 'r1', attempt: 2, notBefore: '2026-11-12T10:00:00.000Z', claimId: null };
    expect(resultRefOf(queueRecord(JSON.stringify(parked)))).toEqual(parked);
  });

  it('refuses a record it cannot read, without repeating what it holds', () => {
    const poison = () => resultRefOf(streamRecord({ ...image, rawMark: 'Jane Smith' }));
    expect(poison).toThrow(UnreadableRecordError);
    expect(poison).not.toThrow(/Jane/);
    expect(() => resultRefOf(queueRecord('not json'))).toThrow(UnreadableRecordError);
    expect(() => resultRefOf(queueRecord(JSON.stringify({ centreId: 'c1' })))).toThrow(UnreadableRecordError);
  });
});
