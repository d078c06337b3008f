import { timeOrderedId } from '../../core/clock';
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import {
  backupSchema,
  chunkOutcomeSchema,
  documentHeaderSchema,
  loadJobSchema,
  noticeOutcomeSchema,
  runLockSchema,
  syncRunSchema,
  welcomeClaimSchema,
  workChunkSchema,
  type Account,
  type Backup,
  type ChunkOutcome,
  type HubPupil,
  type HubTeacher,
  type LoadJob,
  type NoticeOutcome,
  type RecordKind,
  type RunLock,
  type SyncRun,
  type WelcomeClaim,
} from '../../domain/records';
import { keys, sortKeyPrefix } from '../keys';
import {
  RunLockedError,
  StaleVersionError,
  type LinkWrite,
  type ImportWrite,
  type RestoreWrite,
  type SyncStateWrite,
  type SyncStore,
  type WriteOutcome,
} from '../syncStore';
import { assignments, DynamoTable } from './dynamoTable';

/** Chunks of a large document: well under DynamoDB's 400 KB item limit, whatever the text. */
const DOCUMENT_CHUNK_CHARS = 100_000;

const RECORD_KEYS: Record<
  RecordKind,
  { key(centreId: string, id: string): { PK: string; SK: string }; index: Parameters<typeof keys.misIndex>[1] }
> = {
  teacher: { key: keys.teacher, index: 'teacher' },
  pupil: { key: keys.pupil, index: 'pupil' },
  yearGroup: { key: keys.yearGroup, index: 'yeargroup' },
  class: { key: keys.hubClass, index: 'class' },
};

export function recordKey(kind: RecordKind, centreId: string, id: string) {
  return RECORD_KEYS[kind].key(centreId, id);
}

export function misIndexKey(kind: RecordKind, centreId: string, misId: string) {
  return keys.misIndex(centreId, RECORD_KEYS[kind].index, misId);
}

/** A Hub record as stored: its key, its MIS-id index entry when linked, and its type. */
export function recordItem<T extends { centreId: string; misId: string | null }>(kind: RecordKind, record: T, hubId: string) {
  return {
    ...recordKey(kind, record.centreId, hubId),
    ...(record.misId ? misIndexKey(kind, record.centreId, record.misId) : {}),
    type: kind,
    ...record,
  };
}

/** Records written before versions existed have none: they count as version 0. */
export const versionCondition = (expected: number) =>
  expected === 0 ? '(attribute_not_exists(#version) OR #version = :expected)' : '#version = :expected';

const linkGuardSchema = z.object({ hubId: z.string() });
const documentChunkSchema = z.object({ SK: z.string(), text: z.string() });

export abstract class DynamoSyncStore extends DynamoTable implements SyncStore {
  async startLoad(load: LoadJob): Promise<LoadJob> {
    const nowSeconds = Math.floor(Date.parse(load.startedAt) / 1000);
    const outcome = await this.transact([
      {
        name: 'latest',
        item: {
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.latestLoad(load.centreId, load.kind),
              type: 'latestLoad',
              loadId: load.loadId,
              status: 'running',
              expiresAt: load.expiresAt,
            },
            ConditionExpression: 'attribute_not_exists(PK) OR #status <> :running OR expiresAt < :now',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':running': 'running', ':now': nowSeconds },
          },
        },
      },
      {
        name: 'load',
        item: {
          Put: { TableName: this.tableName, Item: { ...keys.loadJob(load.centreId, load.loadId), type: 'loadJob', ...load } },
        },
      },
    ]);
    if (outcome.ok) return load;
    const latest = await this.getOne(keys.latestLoad(load.centreId, load.kind), z.object({ loadId: z.string() }));
    const running = latest ? await this.getLoad(load.centreId, latest.loadId) : null;
    if (!running) throw new Error('A running load has no record');
    return running;
  }

  async getLoad(centreId: string, loadId: string): Promise<LoadJob | null> {
    return this.getOne(keys.loadJob(centreId, loadId), loadJobSchema);
  }

  async putLoad(load: LoadJob): Promise<void> {
    // An ended load moves the centre's pointer first: whoever reads the load as ended finds the pointer ended too.
    if (load.status !== 'running')
      await this.putIf(
        {
          ...keys.latestLoad(load.centreId, load.kind),
          type: 'latestLoad',
          loadId: load.loadId,
          status: load.status,
          expiresAt: load.expiresAt,
        },
        'attribute_not_exists(PK) OR loadId = :loadId',
        { ':loadId': load.loadId },
      );
    await this.put({ ...keys.loadJob(load.centreId, load.loadId), type: 'loadJob', ...load });
  }

  async getDocument(centreId: string, name: string): Promise<{ version: number; text: string } | null> {
    // A writer may move the header on and delete the generation being read: read again from the new header.
    for (let attempt = 0; attempt < 3; attempt++) {
      const header = await this.getOne(keys.documentHeader(centreId, name), documentHeaderSchema);
      if (!header) return null;
      const chunks = await this.queryPartition(keys.documentChunks(centreId, name), `${header.generation}#`, documentChunkSchema);
      if (chunks.length === header.chunks) return { version: header.version, text: chunks.map((chunk) => chunk.text).join('') };
    }
    throw new Error('A document is missing chunks');
  }

  /**
   * New chunks go under a fresh generation; the header then moves to it only if the version is
   * still the expected one, so a concurrent writer's chunks are never mixed with ours. The
   * superseded generation is deleted after (or, after a crash, by the next write).
   */
  async putDocument(centreId: string, name: string, text: string, expectedVersion: number | 'any', now: string): Promise<number> {
    const previous = await this.getOne(keys.documentHeader(centreId, name), documentHeaderSchema);
    if (expectedVersion !== 'any' && (previous?.version ?? 0) !== expectedVersion) throw new StaleVersionError();
    const generation = timeOrderedId(new Date(now));
    const pieces: string[] = [];
    for (let start = 0; start < text.length || pieces.length === 0; start += DOCUMENT_CHUNK_CHARS)
      pieces.push(text.slice(start, start + DOCUMENT_CHUNK_CHARS));
    await this.batchPut(
      pieces.map((piece, index) => ({
        ...keys.documentChunk(centreId, name, generation, index),
        type: 'documentChunk',
        text: piece,
      })),
    );
    const version = (previous?.version ?? 0) + 1;
    const header = { centreId, name, version, generation, chunks: pieces.length, updatedAt: now };
    const moved = await this.putIf(
      { ...keys.documentHeader(centreId, name), type: 'document', ...header },
      previous ? 'version = :previous' : 'attribute_not_exists(PK)',
      previous ? { ':previous': previous.version } : undefined,
    );
    if (!moved) {
      await this.deleteGenerations(centreId, name, (candidate) => candidate === generation);
      throw new StaleVersionError();
    }
    await this.deleteGenerations(centreId, name, (candidate) => candidate !== generation);
    return version;
  }

  private async deleteGenerations(centreId: string, name: string, doomed: (generation: string) => boolean): Promise<void> {
    const Items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.documentChunks(centreId, name) },
          ProjectionExpression: 'PK, SK',
          ExclusiveStartKey: startKey,
        }),
      );
      Items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const stale = Items.filter((item) => doomed(String(item.SK).split('#')[0] ?? ''));
    await this.batchDelete(stale.map((item) => ({ PK: String(item.PK), SK: String(item.SK) })));
  }

  async startRun(run: SyncRun, work: readonly (readonly unknown[])[], lock: RunLock): Promise<void> {
    await this.batchPut(
      work.map((entries, index) => ({
        ...keys.workChunk(run.centreId, run.runId, index),
        type: 'workChunk',
        centreId: run.centreId,
        runId: run.runId,
        index,
        entries,
      })),
    );
    const nowSeconds = Math.floor(Date.parse(run.startedAt) / 1000);
    const outcome = await this.transact([
      {
        name: 'lock',
        item: {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.runLock(run.centreId), type: 'runLock', ...lock },
            // The TTL deletes an expired lock late, so expiry is checked here.
            ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': nowSeconds },
          },
        },
      },
      {
        name: 'run',
        item: {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.syncRun(run.centreId, run.runId), type: 'syncRun', ...run },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
    ]);
    if (outcome.ok) return;
    const holder = await this.getRunLock(run.centreId);
    // The SDK retried a transaction that had already committed: the lock and the run are ours.
    if (holder?.runId === run.runId) return;
    // Refused (a double click): the work list written for it belongs to no run.
    await this.batchDelete(work.map((_, index) => keys.workChunk(run.centreId, run.runId, index)));
    throw new RunLockedError(holder);
  }

  async getRunLock(centreId: string): Promise<RunLock | null> {
    return this.getOne(keys.runLock(centreId), runLockSchema);
  }

  async getSyncRun(centreId: string, runId: string): Promise<SyncRun | null> {
    return this.getOne(keys.syncRun(centreId, runId), syncRunSchema);
  }

  async listSyncRuns(centreId: string): Promise<SyncRun[]> {
    return this.queryPartition(keys.centre(centreId).PK, sortKeyPrefix.syncRun, syncRunSchema);
  }

  async latestSyncRun(centreId: string, kind: string): Promise<SyncRun | null> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.centre(centreId).PK, ':prefix': sortKeyPrefix.syncRun },
          ConsistentRead: true,
          // Run ids begin with their start time: newest first, a page at a time.
          ScanIndexForward: false,
          Limit: 25,
          ExclusiveStartKey: startKey,
        }),
      );
      const found = (page.Items ?? []).map((item) => syncRunSchema.parse(item)).find((run) => run.kind === kind);
      if (found) return found;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return null;
  }

  async putSyncRun(run: SyncRun): Promise<boolean> {
    return this.putIf(
      { ...keys.syncRun(run.centreId, run.runId), type: 'syncRun', ...run },
      '#status = :running',
      { ':running': 'running' },
      { '#status': 'status' },
    );
  }

  async endRun(run: SyncRun): Promise<boolean> {
    const runItem = {
      TableName: this.tableName,
      Item: { ...keys.syncRun(run.centreId, run.runId), type: 'syncRun', ...run },
      // An ended run stays ended: a late step of an execution that should not be running changes nothing.
      ConditionExpression: '#status = :running',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':running': 'running' },
    };
    const outcome = await this.transact([
      { name: 'run', item: { Put: runItem } },
      {
        name: 'lock',
        item: {
          Delete: {
            TableName: this.tableName,
            Key: keys.runLock(run.centreId),
            ConditionExpression: 'runId = :runId',
            ExpressionAttributeValues: { ':runId': run.runId },
          },
        },
      },
    ]);
    if (outcome.ok) return true;
    if (outcome.failed.has('run')) return false;
    // The lock is no longer this run's (it expired and another run took it): record the outcome alone.
    return this.putSyncRun(run);
  }

  async getWorkChunk(centreId: string, runId: string, index: number): Promise<unknown[] | null> {
    return (await this.getOne(keys.workChunk(centreId, runId, index), workChunkSchema))?.entries ?? null;
  }

  async putChunkOutcome(outcome: ChunkOutcome): Promise<void> {
    await this.put({ ...keys.chunkOutcome(outcome.centreId, outcome.runId, outcome.index), type: 'chunkOutcome', ...outcome });
  }

  async getChunkOutcome(centreId: string, runId: string, index: number): Promise<ChunkOutcome | null> {
    return this.getOne(keys.chunkOutcome(centreId, runId, index), chunkOutcomeSchema);
  }

  async listChunkOutcomes(centreId: string, runId: string): Promise<ChunkOutcome[]> {
    return this.queryPartition(keys.runPartition(centreId, runId), 'OUTCOME#', chunkOutcomeSchema);
  }

  async putNoticeOutcome(outcome: NoticeOutcome): Promise<void> {
    await this.put({
      ...keys.noticeOutcome(outcome.centreId, outcome.runId, outcome.personId),
      type: 'noticeOutcome',
      ...outcome,
    });
  }

  async listNoticeOutcomes(centreId: string, runId: string): Promise<NoticeOutcome[]> {
    return this.queryPartition(keys.runPartition(centreId, runId), 'NOTICE#', noticeOutcomeSchema);
  }

  async putBackupIfAbsent(backup: Backup): Promise<void> {
    await this.putIfAbsent({
      ...keys.backup(backup.centreId, backup.recordKind, backup.recordId, backup.runId),
      type: 'backup',
      ...backup,
    });
  }

  async listBackups(centreId: string, recordKind: RecordKind, recordId: string): Promise<Backup[]> {
    return this.queryPartition(keys.backupPartition(centreId), `${recordKind}#${recordId}#`, backupSchema);
  }

  async linkRecord(write: LinkWrite): Promise<WriteOutcome<'record' | 'guard'>> {
    const { centreId, recordKind, hubId, misId } = write;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':misId': misId,
      ':replaces': write.replacesMisId ?? misId,
      ':null': null,
      ':expected': write.expectedVersion,
      ':next': write.expectedVersion + 1,
      ':synced': 'synced',
      ':runId': write.runId,
      ':now': write.now,
      ...Object.fromEntries(Object.entries(misIndexKey(recordKind, centreId, misId)).map(([key, value]) => [`:${key}`, value])),
    };
    const sets = [
      'misId = :misId',
      'syncStatus = :synced',
      'syncReason = :null',
      '#version = :next',
      'lastRunId = :runId',
      'updatedAt = :now',
      'GSI1PK = :GSI1PK',
      'GSI1SK = :GSI1SK',
    ];
    names['#version'] = 'version';
    const fields = assignments(write.fields, 'f');
    sets.push(...fields.sets);
    Object.assign(names, fields.names);
    Object.assign(values, fields.values);
    const parts: { name: 'record' | 'guard'; item: Parameters<DynamoSyncStore['transact']>[0][number]['item'] }[] = [
      {
        name: 'record',
        item: {
          Update: {
            TableName: this.tableName,
            Key: recordKey(recordKind, centreId, hubId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: `attribute_exists(PK) AND ${versionCondition(write.expectedVersion)} AND (attribute_not_exists(misId) OR misId = :null OR misId = :misId OR misId = :replaces)`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
      },
      { name: 'guard', item: this.guardPut(centreId, recordKind, misId, hubId) },
    ];
    if (write.replacesMisId && write.replacesMisId !== misId)
      parts.push({
        name: 'guard',
        item: {
          Delete: {
            TableName: this.tableName,
            Key: keys.linkGuard(centreId, recordKind, write.replacesMisId),
            ConditionExpression: 'attribute_not_exists(PK) OR hubId = :hubId',
            ExpressionAttributeValues: { ':hubId': hubId },
          },
        },
      });
    return this.transact(parts);
  }

  async restoreRecord(write: RestoreWrite): Promise<WriteOutcome<'record'>> {
    const { centreId, recordKind, hubId, record } = write;
    const outcome = await this.transact<'record' | 'guard'>([
      {
        name: 'record',
        item: {
          Put: {
            TableName: this.tableName,
            Item: {
              ...recordKey(recordKind, centreId, hubId),
              ...(record.misId ? misIndexKey(recordKind, centreId, record.misId) : {}),
              type: recordKind,
              ...record,
            },
            ConditionExpression: `attribute_exists(PK) AND ${versionCondition(write.expectedVersion)}`,
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': write.expectedVersion },
          },
        },
      },
      {
        name: 'guard',
        item: {
          Delete: {
            TableName: this.tableName,
            Key: keys.linkGuard(centreId, recordKind, write.freesMisId),
            ConditionExpression: 'attribute_not_exists(PK) OR hubId = :hubId',
            ExpressionAttributeValues: { ':hubId': hubId },
          },
        },
      },
    ]);
    if (outcome.ok) return outcome;
    if (outcome.failed.has('record')) return { ok: false, failed: new Set(['record'] as const) };
    // The guard names another record: it is not this record's to free; restore the record alone.
    return this.restoreRecord({ ...write, freesMisId: `${write.freesMisId}#not-held` });
  }

  async importTeacher(teacher: HubTeacher, account: Account): Promise<WriteOutcome<'teacher' | 'account' | 'email' | 'guard'>> {
    const { centreId } = teacher;
    const absent = 'attribute_not_exists(PK)';
    return this.transact([
      {
        name: 'teacher',
        item: {
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.teacher(centreId, teacher.teacherId),
              ...(teacher.misId ? keys.misIndex(centreId, 'teacher', teacher.misId) : {}),
              type: 'teacher',
              ...teacher,
            },
            ConditionExpression: absent,
          },
        },
      },
      {
        name: 'account',
        item: {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.account(centreId, account.userId), type: 'account', ...account },
            ConditionExpression: absent,
          },
        },
      },
      {
        name: 'email',
        item: {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.accountEmail(account.email), type: 'accountEmail', centreId, userId: account.userId },
            ConditionExpression: absent,
          },
        },
      },
      {
        name: 'guard',
        item: {
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.linkGuard(centreId, 'teacher', teacher.misId ?? ''),
              type: 'linkGuard',
              centreId,
              recordKind: 'teacher',
              misId: teacher.misId,
              hubId: teacher.teacherId,
            },
            ConditionExpression: 'attribute_not_exists(PK) OR hubId = :hubId',
            ExpressionAttributeValues: { ':hubId': teacher.teacherId },
          },
        },
      },
    ]);
  }

  /** The link guard: one Hub record per centre, kind and MIS id (this one, or none yet). */
  protected guardPut(centreId: string, recordKind: RecordKind, misId: string, hubId: string) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.linkGuard(centreId, recordKind, misId), type: 'linkGuard', centreId, recordKind, misId, hubId },
        ConditionExpression: 'attribute_not_exists(PK) OR hubId = :hubId',
        ExpressionAttributeValues: { ':hubId': hubId },
      },
    };
  }

  async importRecord(write: ImportWrite): Promise<WriteOutcome<'record' | 'guard'>> {
    const { centreId, recordKind, hubId, misId } = write;
    return this.transact([
      {
        name: 'record',
        item: {
          Put: {
            TableName: this.tableName,
            Item: {
              ...recordKey(recordKind, centreId, hubId),
              ...misIndexKey(recordKind, centreId, misId),
              type: recordKind,
              ...write.record,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
      { name: 'guard', item: this.guardPut(centreId, recordKind, misId, hubId) },
    ]);
  }

  async setSyncState(write: SyncStateWrite): Promise<boolean> {
    return this.updateIf({
      Key: recordKey(write.recordKind, write.centreId, write.hubId),
      UpdateExpression: 'SET syncStatus = :status, syncReason = :reason, #version = :next, updatedAt = :now',
      ConditionExpression: `attribute_exists(PK) AND ${versionCondition(write.expectedVersion)}`,
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: {
        ':status': write.syncStatus,
        ':reason': write.syncReason,
        ':expected': write.expectedVersion,
        ':next': write.expectedVersion + 1,
        ':now': write.now,
      },
    });
  }

  async editTeacherDetails(
    centreId: string,
    teacherId: string,
    expectedVersion: number,
    details: Partial<Pick<HubTeacher, 'title' | 'firstName' | 'lastName' | 'email'>>,
    now: string,
  ): Promise<boolean> {
    return this.editDetails(keys.teacher(centreId, teacherId), expectedVersion, details, now);
  }

  async editPupilDetails(
    centreId: string,
    pupilId: string,
    expectedVersion: number,
    details: Partial<Pick<HubPupil, 'firstName' | 'middleName' | 'lastName' | 'upn' | 'dob' | 'gender'>>,
    now: string,
  ): Promise<boolean> {
    return this.editDetails(keys.pupil(centreId, pupilId), expectedVersion, details, now);
  }

  /** A hand edit of a record's details, if it is still at `expectedVersion`; the version goes up by one. */
  private async editDetails(
    key: Record<string, string>,
    expectedVersion: number,
    details: Record<string, unknown>,
    now: string,
  ): Promise<boolean> {
    const fields = assignments(details, 'd');
    return this.updateIf({
      Key: key,
      UpdateExpression: `SET ${['#version = :next', 'updatedAt = :now', ...fields.sets].join(', ')}`,
      ConditionExpression: `attribute_exists(PK) AND ${versionCondition(expectedVersion)}`,
      ExpressionAttributeNames: { '#version': 'version', ...fields.names },
      ExpressionAttributeValues: { ':expected': expectedVersion, ':next': expectedVersion + 1, ':now': now, ...fields.values },
    });
  }

  async getLinkHolder(centreId: string, recordKind: RecordKind, misId: string): Promise<string | null> {
    return (await this.getOne(keys.linkGuard(centreId, recordKind, misId), linkGuardSchema))?.hubId ?? null;
  }

  async getWelcomeClaim(centreId: string, misId: string): Promise<WelcomeClaim | null> {
    return this.getOne(keys.welcomeClaim(centreId, misId), welcomeClaimSchema);
  }

  async listWelcomeClaims(centreId: string): Promise<WelcomeClaim[]> {
    return this.queryPartition(keys.centre(centreId).PK, 'WELCOME#', welcomeClaimSchema);
  }

  async putWelcomeClaim(claim: WelcomeClaim, expect: { absent: true } | { unsentWithToken: string | null }): Promise<boolean> {
    const item = { ...keys.welcomeClaim(claim.centreId, claim.misId), type: 'welcomeClaim', ...claim };
    if ('absent' in expect) return this.putIfAbsent(item);
    return this.putIf(
      item,
      '#status = :claimed AND tokenHash = :token',
      { ':claimed': 'claimed', ':token': expect.unsentWithToken },
      { '#status': 'status' },
    );
  }

  async deleteSetPasswordToken(tokenHash: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.setPasswordToken(tokenHash) }));
  }
}
