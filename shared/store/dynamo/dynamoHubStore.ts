import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import {
  accountSchema,
  assemblyConnectionSchema,
  backupSchema,
  misStaffSnapshotSchema,
  syncRunSchema,
  type Backup,
  type SyncRun,
  oauthStateSchema,
  storedTeacherPlanSchema,
  type MisStaffSnapshot,
  type StoredTeacherPlan,
  type AssemblyConnection,
  type OAuthState,
  auditEntrySchema,
  centreSchema,
  hubClassSchema,
  hubPupilSchema,
  hubTeacherSchema,
  hubYearGroupSchema,
  sessionSchema,
  setPasswordTokenSchema,
  signInThrottleSchema,
  type Account,
  type AuditEntry,
  type Centre,
  type HubClass,
  type HubPupil,
  type HubTeacher,
  type HubYearGroup,
  type Session,
  type SetPasswordToken,
  type SignInThrottle,
} from '../../domain/records';
import { EmailTakenError, TokenAlreadyUsedError, type HubStore } from '../hubStore';
import { keys, sortKeyPrefix } from '../keys';

const BATCH_SIZE = 25;
const MAX_BATCH_ATTEMPTS = 8;

/** The client honours AWS_ENDPOINT_URL_DYNAMODB, which is how the local runtime points it at DynamoDB Local. */
export function createDocumentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export class DynamoHubStore implements HubStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getCentre(centreId: string): Promise<Centre | null> {
    return this.getOne(keys.centre(centreId), centreSchema);
  }

  async putCentreIfAbsent(centre: Centre): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.centre(centre.centreId), type: 'centre', ...centre },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async createAccount(account: Account): Promise<void> {
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.accountEmail(account.email),
                  type: 'accountEmail',
                  centreId: account.centreId,
                  userId: account.userId,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.account(account.centreId, account.userId), type: 'account', ...account },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new EmailTakenError();
      throw error;
    }
  }

  async findAccountByEmail(email: string): Promise<Account | null> {
    const pointer = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.accountEmail(email), ConsistentRead: true }),
    );
    if (!pointer.Item) return null;
    return this.getAccount(String(pointer.Item.centreId), String(pointer.Item.userId));
  }

  async getAccount(centreId: string, userId: string): Promise<Account | null> {
    return this.getOne(keys.account(centreId, userId), accountSchema);
  }

  async putSession(tokenHash: string, session: Session): Promise<void> {
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.session(tokenHash), type: 'session', ...session } }),
    );
  }

  async getSession(tokenHash: string): Promise<Session | null> {
    return this.getOne(keys.session(tokenHash), sessionSchema);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.session(tokenHash) }));
  }

  async getSignInThrottle(email: string): Promise<SignInThrottle | null> {
    return this.getOne(keys.signInThrottle(email), signInThrottleSchema);
  }

  async putSignInThrottle(email: string, throttle: SignInThrottle): Promise<void> {
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.signInThrottle(email), type: 'signInThrottle', ...throttle } }),
    );
  }

  async clearSignInThrottle(email: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.signInThrottle(email) }));
  }

  async putSetPasswordToken(tokenHash: string, token: SetPasswordToken): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.setPasswordToken(tokenHash), type: 'setPasswordToken', ...token },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async getSetPasswordToken(tokenHash: string): Promise<SetPasswordToken | null> {
    return this.getOne(keys.setPasswordToken(tokenHash), setPasswordTokenSchema);
  }

  async consumeSetPasswordToken(tokenHash: string, usedAt: string, passwordHash: string, token: SetPasswordToken): Promise<void> {
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.setPasswordToken(tokenHash),
                UpdateExpression: 'SET usedAt = :usedAt',
                ConditionExpression: 'attribute_exists(PK) AND usedAt = :null',
                ExpressionAttributeValues: { ':usedAt': usedAt, ':null': null },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.account(token.centreId, token.userId),
                UpdateExpression: 'SET passwordHash = :hash',
                ConditionExpression: 'attribute_exists(PK)',
                ExpressionAttributeValues: { ':hash': passwordHash },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new TokenAlreadyUsedError();
      throw error;
    }
  }

  async putTeachers(teachers: readonly HubTeacher[]): Promise<void> {
    await this.batchPut(
      teachers.map((teacher) => ({
        ...keys.teacher(teacher.centreId, teacher.teacherId),
        ...(teacher.misId ? keys.misIndex(teacher.centreId, 'teacher', teacher.misId) : {}),
        type: 'teacher',
        ...teacher,
      })),
    );
  }

  async getTeacher(centreId: string, teacherId: string): Promise<HubTeacher | null> {
    return this.getOne(keys.teacher(centreId, teacherId), hubTeacherSchema);
  }

  async listTeachers(centreId: string): Promise<HubTeacher[]> {
    return this.queryPrefix(centreId, sortKeyPrefix.teacher, hubTeacherSchema);
  }

  async putPupils(pupils: readonly HubPupil[]): Promise<void> {
    await this.batchPut(
      pupils.map((pupil) => ({
        ...keys.pupil(pupil.centreId, pupil.pupilId),
        ...(pupil.misId ? keys.misIndex(pupil.centreId, 'pupil', pupil.misId) : {}),
        type: 'pupil',
        ...pupil,
      })),
    );
  }

  async listPupils(centreId: string): Promise<HubPupil[]> {
    return this.queryPrefix(centreId, sortKeyPrefix.pupil, hubPupilSchema);
  }

  async putYearGroups(yearGroups: readonly HubYearGroup[]): Promise<void> {
    await this.batchPut(
      yearGroups.map((yearGroup) => ({
        ...keys.yearGroup(yearGroup.centreId, yearGroup.yearGroupId),
        ...(yearGroup.misId ? keys.misIndex(yearGroup.centreId, 'yeargroup', yearGroup.misId) : {}),
        type: 'yearGroup',
        ...yearGroup,
      })),
    );
  }

  async listYearGroups(centreId: string): Promise<HubYearGroup[]> {
    return this.queryPrefix(centreId, sortKeyPrefix.yearGroup, hubYearGroupSchema);
  }

  async putClasses(classes: readonly HubClass[]): Promise<void> {
    await this.batchPut(
      classes.map((hubClass) => ({
        ...keys.hubClass(hubClass.centreId, hubClass.classId),
        ...(hubClass.misId ? keys.misIndex(hubClass.centreId, 'class', hubClass.misId) : {}),
        type: 'class',
        ...hubClass,
      })),
    );
  }

  async listClasses(centreId: string): Promise<HubClass[]> {
    return this.queryPrefix(centreId, sortKeyPrefix.hubClass, hubClassSchema);
  }

  async listAccounts(centreId: string): Promise<Account[]> {
    return this.queryPrefix(centreId, sortKeyPrefix.account, accountSchema);
  }

  async getTeacherPlan(centreId: string): Promise<StoredTeacherPlan | null> {
    return this.getOne(keys.teacherPlan(centreId), storedTeacherPlanSchema);
  }

  async putTeacherPlan(plan: StoredTeacherPlan): Promise<void> {
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.teacherPlan(plan.centreId), type: 'teacherPlan', ...plan } }),
    );
  }

  async getMisStaffSnapshot(centreId: string): Promise<MisStaffSnapshot | null> {
    return this.getOne(keys.misStaffSnapshot(centreId), misStaffSnapshotSchema);
  }

  async putMisStaffSnapshot(snapshot: MisStaffSnapshot): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.misStaffSnapshot(snapshot.centreId), type: 'misStaffSnapshot', ...snapshot },
      }),
    );
  }

  async getSyncRun(centreId: string, runId: string): Promise<SyncRun | null> {
    return this.getOne(keys.syncRun(centreId, runId), syncRunSchema);
  }

  async putSyncRun(run: SyncRun): Promise<void> {
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.syncRun(run.centreId, run.runId), type: 'syncRun', ...run } }),
    );
  }

  async listSyncRuns(centreId: string): Promise<SyncRun[]> {
    return this.queryPrefix(centreId, sortKeyPrefix.syncRun, syncRunSchema);
  }

  async putBackupIfAbsent(backup: Backup): Promise<void> {
    await this.putIfAbsent({ ...keys.backup(backup.centreId, backup.runId, backup.recordKey), type: 'backup', ...backup });
  }

  async getBackup(centreId: string, runId: string, recordKey: string): Promise<Backup | null> {
    return this.getOne(keys.backup(centreId, runId, recordKey), backupSchema);
  }

  async putTeacherIfAbsent(teacher: HubTeacher): Promise<boolean> {
    return this.putIfAbsent({
      ...keys.teacher(teacher.centreId, teacher.teacherId),
      ...(teacher.misId ? keys.misIndex(teacher.centreId, 'teacher', teacher.misId) : {}),
      type: 'teacher',
      ...teacher,
    });
  }

  async claimWelcomeEmail(centreId: string, runId: string, misId: string): Promise<boolean> {
    return this.putIfAbsent({ ...keys.welcomeEmail(centreId, runId, misId), type: 'welcomeEmail', centreId, runId, misId });
  }

  private async putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getAssemblyConnection(centreId: string): Promise<AssemblyConnection | null> {
    return this.getOne(keys.assemblyConnection(centreId), assemblyConnectionSchema);
  }

  async putAssemblyConnection(connection: AssemblyConnection): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.assemblyConnection(connection.centreId), type: 'assemblyConnection', ...connection },
      }),
    );
  }

  async putOAuthState(stateHash: string, state: OAuthState): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.oauthState(stateHash), type: 'oauthState', ...state },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async takeOAuthState(stateHash: string): Promise<OAuthState | null> {
    try {
      const { Attributes } = await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.oauthState(stateHash),
          ConditionExpression: 'attribute_exists(PK)',
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes ? oauthStateSchema.parse(Attributes) : null;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.audit(entry.centreId, entry.at, entry.auditId), type: 'audit', ...entry },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async listAudit(centreId: string): Promise<AuditEntry[]> {
    return this.queryPrefix(centreId, sortKeyPrefix.audit, auditEntrySchema);
  }

  private async getOne<T>(key: Record<string, string>, schema: z.ZodType<T>): Promise<T | null> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item ? schema.parse(Item) : null;
  }

  private async queryPrefix<T>(centreId: string, prefix: string, schema: z.ZodType<T>): Promise<T[]> {
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.centre(centreId).PK, ':prefix': prefix },
      ConsistentRead: true,
    };
    const found: T[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      for (const item of page.Items ?? []) found.push(schema.parse(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  /** Puts are idempotent (same key, same item), so unprocessed items are simply retried. */
  private async batchPut(items: readonly Record<string, unknown>[]): Promise<void> {
    for (let start = 0; start < items.length; start += BATCH_SIZE) {
      let requests = items.slice(start, start + BATCH_SIZE).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error('DynamoDB kept returning unprocessed items');
        if (attempt > 0) await sleep(50 * 2 ** attempt);
        const result = await this.documents.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []).flatMap((request) =>
          request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
        );
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
