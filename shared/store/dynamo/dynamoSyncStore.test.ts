import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { FULL_ACCESS, HAND_ENTERED, type Account, type HubTeacher } from '../../domain/records';
import { StoreBusyError } from '../syncStore';
import { createDocumentClient, DynamoHubStore } from './dynamoHubStore';

/** Faults DynamoDB Local cannot produce on demand: throttled and cancelled transactions. */
const documents = createDocumentClient(new DynamoDBClient({ region: 'eu-west-2' }));
const dynamo = mockClient(documents);
afterEach(() => dynamo.reset());

const store = () => new DynamoHubStore(documents, 'HubTable');
const now = '2026-09-01T08:00:00.000Z';
const teacher: HubTeacher = {
  teacherId: 't-1',
  centreId: 'c-1',
  title: 'Ms',
  firstName: 'Seren',
  lastName: 'Price',
  email: 'seren@school.example',
  ...HAND_ENTERED,
  misId: 'm-1',
  syncStatus: 'synced',
  createdAt: now,
  updatedAt: now,
};
const account: Account = {
  userId: 'u-1',
  centreId: 'c-1',
  email: 'seren@school.example',
  role: 'teacher',
  displayName: 'Seren Price',
  teacherId: 't-1',
  passwordHash: null,
  createdAt: now,
  sessionVersion: 0,
  liveLinkHash: null,
  ...FULL_ACCESS,
};
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('the DynamoDB adapter under faults', () => {
  it('retries a throttled import transaction and reports success, not "email taken"', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'ThrottlingError', 'None', 'None'))
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }))
      .resolves({});

    expect(await store().importTeacher(teacher, account)).toEqual({ ok: true });
    expect(dynamo.calls()).toHaveLength(3);
  });

  it('tells which condition failed when a transaction is cancelled: the email, not the teacher', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed', 'None'));

    expect(await store().importTeacher(teacher, account)).toEqual({ ok: false, failed: new Set(['email']) });
    expect(dynamo.calls()).toHaveLength(1);
  });

  it('throws a cancellation with no failed condition as the fault it is, not a conflict', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('None', 'ValidationError', 'None', 'None'));

    await expect(store().importTeacher(teacher, account)).rejects.toBeInstanceOf(TransactionCanceledException);
  });

  it('gives up on a table that stays throttled, so the step fails and Step Functions retries it', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));

    await expect(
      store().linkRecord({
        centreId: 'c-1',
        recordKind: 'teacher',
        hubId: 't-1',
        misId: 'm-1',
        replacesMisId: null,
        expectedVersion: 0,
        runId: 'r-1',
        fields: {},
        now,
      }),
    ).rejects.toBeInstanceOf(StoreBusyError);
  });
});
