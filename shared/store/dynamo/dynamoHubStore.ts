import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  accountSchema,
  assemblyConnectionSchema,
  oauthStateSchema,
  type AssemblyConnection,
  type OAuthState,
  auditEntrySchema,
  documentHeaderSchema,
  deletedPupilSchema,
  centreSchema,
  hubClassSchema,
  hubPupilSchema,
  pupilSummarySchema,
  hubTeacherSchema,
  hubYearGroupSchema,
  sessionSchema,
  setPasswordTokenSchema,
  signInThrottleSchema,
  attemptCountSchema,
  sharingPreferencesSchema,
  nightlyRecordSchema,
  type NightlyRecord,
  markedResultSchema,
  resultDeliverySchema,
  type MarkedResult,
  type ResultDelivery,
  type SharingPreferences,
  type AttemptCount,
  type Account,
  type AuditEntry,
  type DeletedPupil,
  type Centre,
  type HubClass,
  type HubClassInput,
  type HubPupilInput,
  type HubTeacherInput,
  type HubYearGroupInput,
  type RecordKind,
  type HubPupil,
  type PupilSummary,
  type HubTeacher,
  type HubYearGroup,
  type Session,
  type SetPasswordToken,
  type SignInThrottle,
} from '../../domain/records';
import { EmailTakenError, TokenAlreadyUsedError, TokenReplacedError, type HubStore, type TeacherEmailChange } from '../hubStore';
import { keys, normaliseEmail, sortKeyPrefix } from '../keys';
import { hubTable } from '../tableDefinition';
import { DynamoSyncStore, recordItem, versionCondition } from './dynamoSyncStore';
import { assignments, type TransactItems } from './dynamoTable';
import { tracer } from '../../runtime/observability';

/** The client honours AWS_ENDPOINT_URL_DYNAMODB, which is how the local runtime points it at DynamoDB Local. */
export function createDocumentClient(client = tracer.captureAWSv3Client(new DynamoDBClient({}))): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export class DynamoHubStore extends DynamoSyncStore implements HubStore {
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

  async changeTeacherEmail(change: TeacherEmailChange): Promise<'saved' | 'stale' | 'email_taken'> {
    const { centreId, teacherId, teacherVersion, email, account, now } = change;
    const details = assignments(change.details ?? {}, 'd');
    const moved = account && normaliseEmail(account.email) !== normaliseEmail(email);
    const outcome = await this.transact([
      {
        name: 'teacher',
        item: {
          Update: {
            TableName: this.tableName,
            Key: keys.teacher(centreId, teacherId),
            UpdateExpression: `SET ${['email = :email', '#version = :next', 'updatedAt = :now', ...details.sets].join(', ')}`,
            ConditionExpression: `attribute_exists(PK) AND ${versionCondition(teacherVersion)}`,
            ExpressionAttributeNames: { '#version': 'version', ...details.names },
            ExpressionAttributeValues: {
              ':email': email,
              ':expected': teacherVersion,
              ':next': teacherVersion + 1,
              ':now': now,
              ...details.values,
            },
          },
        },
      },
      ...(account
        ? [
            {
              name: 'account' as const,
              item: {
                Update: {
                  TableName: this.tableName,
                  Key: keys.account(centreId, account.userId),
                  UpdateExpression: 'SET email = :email',
                  ConditionExpression: 'email = :old',
                  ExpressionAttributeValues: { ':email': email, ':old': account.email },
                },
              },
            },
          ]
        : []),
      ...(moved
        ? [
            {
              name: 'oldEmail' as const,
              item: {
                Delete: {
                  TableName: this.tableName,
                  Key: keys.accountEmail(account.email),
                  ConditionExpression: 'userId = :user AND centreId = :centre',
                  ExpressionAttributeValues: { ':user': account.userId, ':centre': centreId },
                },
              },
            },
            {
              name: 'newEmail' as const,
              item: {
                Put: {
                  TableName: this.tableName,
                  Item: { ...keys.accountEmail(email), type: 'accountEmail', centreId, userId: account.userId },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            },
          ]
        : []),
    ]);
    if (outcome.ok) return 'saved';
    return outcome.failed.has('newEmail') ? 'email_taken' : 'stale';
  }

  async emailHolder(email: string): Promise<{ centreId: string; userId: string } | null> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.accountEmail(email), ConsistentRead: true }),
    );
    return Item ? { centreId: String(Item.centreId), userId: String(Item.userId) } : null;
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

  async getSignInThrottle(email: string, sourceAddress?: string): Promise<SignInThrottle | null> {
    return this.getOne(keys.signInThrottle(email, sourceAddress), signInThrottleSchema);
  }

  async recordSignInFailure(
    email: string,
    sourceAddress: string | undefined,
    nowSeconds: number,
    memorySeconds: number,
  ): Promise<number> {
    const key = keys.signInThrottle(email, sourceAddress);
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression:
            'SET failures = if_not_exists(failures, :zero) + :one, lockedUntil = if_not_exists(lockedUntil, :zero), #type = :type, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(PK) OR expiresAt > :now',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':type': 'signInThrottle',
            ':now': nowSeconds,
            ':expires': nowSeconds + memorySeconds,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return signInThrottleSchema.parse(Attributes).failures;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Past its memory: this failure starts a new count.
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, type: 'signInThrottle', failures: 1, lockedUntil: 0, expiresAt: nowSeconds + memorySeconds },
        }),
      );
      return 1;
    }
  }

  async lockSignIn(email: string, sourceAddress: string | undefined, failures: number, lockedUntil: number): Promise<void> {
    // Refused when a later failure has counted since: its own (longer) lock is the one that stands.
    await this.updateIf({
      Key: keys.signInThrottle(email, sourceAddress),
      UpdateExpression: 'SET lockedUntil = :until',
      ConditionExpression: 'failures = :failures AND lockedUntil < :until',
      ExpressionAttributeValues: { ':failures': failures, ':until': lockedUntil },
    });
  }

  async clearSignInThrottle(email: string, sourceAddress?: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.signInThrottle(email, sourceAddress) }));
  }

  async issueSetPasswordLink(tokenHash: string, token: SetPasswordToken): Promise<boolean> {
    const written = await this.transact([
      {
        name: 'token',
        item: {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.setPasswordToken(tokenHash), type: 'setPasswordToken', ...token },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
      {
        name: 'account',
        item: {
          Update: {
            TableName: this.tableName,
            Key: keys.account(token.centreId, token.userId),
            UpdateExpression: 'SET liveLinkHash = :hash',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':hash': tokenHash },
          },
        },
      },
    ]);
    if (written.ok) return true;
    if (written.failed.has('token')) throw new Error('Token collision');
    return false;
  }

  async getSetPasswordToken(tokenHash: string): Promise<SetPasswordToken | null> {
    return this.getOne(keys.setPasswordToken(tokenHash), setPasswordTokenSchema);
  }

  async consumeSetPasswordToken(tokenHash: string, usedAt: string, passwordHash: string, token: SetPasswordToken): Promise<void> {
    const written = await this.transact([
      {
        name: 'token',
        item: {
          Update: {
            TableName: this.tableName,
            Key: keys.setPasswordToken(tokenHash),
            UpdateExpression: 'SET usedAt = :usedAt',
            ConditionExpression: 'attribute_exists(PK) AND usedAt = :null',
            ExpressionAttributeValues: { ':usedAt': usedAt, ':null': null },
          },
        },
      },
      {
        name: 'account',
        item: {
          Update: {
            TableName: this.tableName,
            Key: keys.account(token.centreId, token.userId),
            // A new password ends every session signed in with the old one.
            UpdateExpression:
              'SET passwordHash = :hash, liveLinkHash = :null, sessionVersion = if_not_exists(sessionVersion, :zero) + :one',
            // Accounts from before live links existed have none: their unused links still work.
            ConditionExpression: 'attribute_exists(PK) AND (liveLinkHash = :link OR attribute_not_exists(liveLinkHash))',
            ExpressionAttributeValues: { ':hash': passwordHash, ':null': null, ':link': tokenHash, ':zero': 0, ':one': 1 },
          },
        },
      },
    ]);
    if (!written.ok) throw written.failed.has('token') ? new TokenAlreadyUsedError() : new TokenReplacedError();
  }

  async setAccountAccess(centreId: string, userId: string, deactivatedAt: string | null, audit: AuditEntry): Promise<boolean> {
    const outcome = await this.transact([
      {
        name: 'account',
        item: {
          Update: {
            TableName: this.tableName,
            Key: keys.account(centreId, userId),
            ...(deactivatedAt
              ? {
                  // Every session signed in before ends with it.
                  UpdateExpression: 'SET deactivatedAt = :at, sessionVersion = if_not_exists(sessionVersion, :zero) + :one',
                  ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(deactivatedAt) OR deactivatedAt = :null)',
                  ExpressionAttributeValues: { ':at': deactivatedAt, ':zero': 0, ':one': 1, ':null': null },
                }
              : {
                  UpdateExpression: 'SET deactivatedAt = :null',
                  ConditionExpression: 'attribute_exists(PK) AND attribute_exists(deactivatedAt) AND deactivatedAt <> :null',
                  ExpressionAttributeValues: { ':null': null },
                }),
          },
        },
      },
      this.auditPart(audit),
    ]);
    return outcome.ok;
  }

  async endSessions(centreId: string, userId: string): Promise<void> {
    await this.updateIf({
      Key: keys.account(centreId, userId),
      UpdateExpression: 'SET sessionVersion = if_not_exists(sessionVersion, :zero) + :one',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
    });
  }

  async countAttempt(bucket: string, subject: string, nowSeconds: number, windowSeconds: number): Promise<AttemptCount> {
    const key = keys.attempts(bucket, subject);
    const item = (count: number, windowEndsAt: number) => ({ count, windowEndsAt });
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression:
            'SET #count = if_not_exists(#count, :zero) + :one, windowEndsAt = if_not_exists(windowEndsAt, :ends), expiresAt = if_not_exists(expiresAt, :ends), #type = :type',
          ConditionExpression: 'attribute_not_exists(PK) OR windowEndsAt > :now',
          ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':ends': nowSeconds + windowSeconds,
            ':now': nowSeconds,
            ':type': 'attempts',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return attemptCountSchema.parse(Attributes);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The window has ended: this request opens a new one. Conditional, so two requests at the
      // window's edge cannot both open it (the loser counts in the winner's window).
      const opened = await this.putIf(
        { ...key, type: 'attempts', ...item(1, nowSeconds + windowSeconds), expiresAt: nowSeconds + windowSeconds },
        'windowEndsAt <= :now',
        { ':now': nowSeconds },
      );
      return opened ? item(1, nowSeconds + windowSeconds) : this.countAttempt(bucket, subject, nowSeconds, windowSeconds);
    }
  }

  async putTeachers(teachers: readonly HubTeacherInput[]): Promise<void> {
    await this.putRecords(
      'teacher',
      teachers.map((input) => hubTeacherSchema.parse(input)),
      (teacher) => teacher.teacherId,
    );
  }

  async getTeacher(centreId: string, teacherId: string): Promise<HubTeacher | null> {
    return this.getOne(keys.teacher(centreId, teacherId), hubTeacherSchema);
  }

  async listTeachers(centreId: string): Promise<HubTeacher[]> {
    return this.queryPartition(keys.centre(centreId).PK, sortKeyPrefix.teacher, hubTeacherSchema);
  }

  async putPupils(pupils: readonly HubPupilInput[]): Promise<void> {
    await this.putRecords(
      'pupil',
      pupils.map((input) => hubPupilSchema.parse(input)),
      (pupil) => pupil.pupilId,
    );
  }

  async listPupils(centreId: string): Promise<HubPupil[]> {
    return this.queryPartition(keys.centre(centreId).PK, sortKeyPrefix.pupil, hubPupilSchema);
  }

  async listPupilSummaries(centreId: string): Promise<PupilSummary[]> {
    return this.queryPartition(
      keys.centre(centreId).PK,
      sortKeyPrefix.pupil,
      pupilSummarySchema,
      false,
      Object.keys(pupilSummarySchema.shape),
    );
  }

  async putYearGroups(yearGroups: readonly HubYearGroupInput[]): Promise<void> {
    await this.putRecords(
      'yearGroup',
      yearGroups.map((input) => hubYearGroupSchema.parse(input)),
      (yearGroup) => yearGroup.yearGroupId,
    );
  }

  async listYearGroups(centreId: string): Promise<HubYearGroup[]> {
    return this.queryPartition(keys.centre(centreId).PK, sortKeyPrefix.yearGroup, hubYearGroupSchema);
  }

  async putClasses(classes: readonly HubClassInput[]): Promise<void> {
    await this.putRecords(
      'class',
      classes.map((input) => hubClassSchema.parse(input)),
      (hubClass) => hubClass.classId,
    );
  }

  /**
   * Writes records as they are (seeding, tests). A linked record is written with its link
   * guard, as a sync writes it, so the one-record-per-MIS-person rule holds for seeded links too.
   */
  private async putRecords<T extends { centreId: string; misId: string | null }>(
    kind: RecordKind,
    records: readonly T[],
    hubIdOf: (record: T) => string,
  ): Promise<void> {
    await this.batchPut(
      records.flatMap((record) => {
        const hubId = hubIdOf(record);
        const { centreId, misId } = record;
        const item = recordItem(kind, record, hubId);
        if (!misId) return [item];
        return [item, { ...keys.linkGuard(centreId, kind, misId), type: 'linkGuard', centreId, recordKind: kind, misId, hubId }];
      }),
    );
  }

  async listClasses(centreId: string): Promise<HubClass[]> {
    return this.queryPartition(keys.centre(centreId).PK, sortKeyPrefix.hubClass, hubClassSchema);
  }

  async listAccounts(centreId: string): Promise<Account[]> {
    return this.queryPartition(keys.centre(centreId).PK, sortKeyPrefix.account, accountSchema);
  }

  async getAssemblyConnection(centreId: string): Promise<AssemblyConnection | null> {
    return this.getOne(keys.assemblyConnection(centreId), assemblyConnectionSchema);
  }

  async saveAssemblyConnection(
    connection: AssemblyConnection,
    expectedVersion: number | null,
    claimSchool = false,
  ): Promise<'saved' | 'stale' | 'school_taken'> {
    const next = { ...connection, version: (expectedVersion ?? 0) + 1 };
    const condition =
      expectedVersion === null
        ? { ConditionExpression: 'attribute_not_exists(PK)' }
        : expectedVersion === 0
          ? // Written before connections had versions: no version yet counts as 0.
            {
              ConditionExpression: 'attribute_not_exists(version) OR version = :expected',
              ExpressionAttributeValues: { ':expected': 0 },
            }
          : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };
    const parts: { name: 'connection' | 'school'; item: TransactItems[number] }[] = [
      {
        name: 'connection',
        item: {
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.assemblyConnection(next.centreId),
              type: 'assemblyConnection',
              ...next,
              // Listed for the nightly sync while connected with syncing on; the Put drops it otherwise.
              ...(next.status === 'connected' && next.syncEnabled ? keys.connectedIndex(next.centreId) : {}),
            },
            ...condition,
          },
        },
      },
    ];
    if (claimSchool && next.assemblySchoolId !== null)
      parts.push({
        name: 'school',
        item: {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.assemblySchool(next.assemblySchoolId), type: 'assemblySchool', centreId: next.centreId },
            ConditionExpression: 'attribute_not_exists(PK) OR centreId = :centre',
            ExpressionAttributeValues: { ':centre': next.centreId },
          },
        },
      });
    const written = await this.transact(parts);
    if (written.ok) return 'saved';
    return written.failed.has('connection') ? 'stale' : 'school_taken';
  }

  async releaseAssemblySchool(assemblySchoolId: number, centreId: string): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.assemblySchool(assemblySchoolId),
          ConditionExpression: 'centreId = :centre',
          ExpressionAttributeValues: { ':centre': centreId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
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

  async getPupil(centreId: string, pupilId: string): Promise<HubPupil | null> {
    return this.getOne(keys.pupil(centreId, pupilId), hubPupilSchema);
  }

  async listPupilResults(centreId: string, pupilId: string): Promise<MarkedResult[]> {
    return this.queryPartition(keys.centre(centreId).PK, `${sortKeyPrefix.result}${pupilId}#`, markedResultSchema);
  }

  async putResult(result: MarkedResult, expectedVersion: number): Promise<'saved' | 'stale'> {
    return this.putAt(
      { ...keys.result(result.centreId, result.resultId), type: 'result', ...result },
      'version',
      expectedVersion,
    );
  }

  async getResult(centreId: string, resultId: string): Promise<MarkedResult | null> {
    return this.getOne(keys.result(centreId, resultId), markedResultSchema);
  }

  async getResultDelivery(centreId: string, resultId: string): Promise<ResultDelivery | null> {
    return this.getOne(keys.resultDelivery(centreId, resultId), resultDeliverySchema);
  }

  async listResultDeliveries(centreId: string, resultIds: readonly string[]): Promise<Map<string, ResultDelivery>> {
    const found = await this.batchGet(
      resultIds.map((resultId) => keys.resultDelivery(centreId, resultId)),
      resultDeliverySchema,
    );
    return new Map(found.map((delivery) => [delivery.resultId, delivery]));
  }

  async saveResultDelivery(delivery: ResultDelivery, expectedRevision: number): Promise<'saved' | 'stale'> {
    return this.putAt(
      { ...keys.resultDelivery(delivery.centreId, delivery.resultId), type: 'resultDelivery', ...delivery },
      'revision',
      expectedRevision,
    );
  }

  /** Puts an item if its counter is still at `expected` (0: the item must not exist yet). */
  private async putAt(item: Record<string, unknown>, counter: 'version' | 'revision', expected: number) {
    const saved = await this.putIf(
      item,
      expected === 0 ? 'attribute_not_exists(PK)' : `${counter} = :expected`,
      expected === 0 ? undefined : { ':expected': expected },
    );
    return saved ? ('saved' as const) : ('stale' as const);
  }

  async listConnectedCentres(after: string | null, limit: number): Promise<{ centreIds: string[]; next: string | null }> {
    const index = keys.connectedIndex('');
    const centreIds: string[] = [];
    let startKey: Record<string, unknown> | undefined = after
      ? { ...keys.assemblyConnection(after), ...keys.connectedIndex(after) }
      : undefined;
    // A page may come back short (filtered or size-limited): keep reading until the limit or the end.
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: hubTable.misIdIndex.name,
          KeyConditionExpression: 'GSI1PK = :directory',
          ExpressionAttributeValues: { ':directory': index.GSI1PK },
          ProjectionExpression: 'GSI1SK',
          Limit: limit - centreIds.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) centreIds.push(String(item.GSI1SK));
      startKey = page.LastEvaluatedKey;
    } while (startKey && centreIds.length < limit);
    return { centreIds, next: startKey && centreIds.length ? centreIds.at(-1)! : null };
  }

  async getNightly(centreId: string): Promise<NightlyRecord | null> {
    return this.getOne(keys.nightly(centreId), nightlyRecordSchema);
  }

  async saveNightly(record: NightlyRecord, expectedVersion: number): Promise<'saved' | 'stale'> {
    return this.putAt(
      { ...keys.nightly(record.centreId), type: 'nightly', ...record, version: expectedVersion + 1 },
      'version',
      expectedVersion,
    );
  }

  async getSharing(centreId: string): Promise<SharingPreferences | null> {
    return this.getOne(keys.sharing(centreId), sharingPreferencesSchema);
  }

  async saveSharing(preferences: SharingPreferences, expectedVersion: number, audit: AuditEntry): Promise<'saved' | 'stale'> {
    const outcome = await this.transact([
      {
        name: 'sharing',
        item: {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.sharing(preferences.centreId), type: 'sharing', ...preferences },
            ...(expectedVersion === 0
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
          },
        },
      },
      {
        name: 'audit',
        item: {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.audit(audit.centreId, audit.at, audit.auditId), type: 'audit', ...audit },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
    ]);
    return outcome.ok ? 'saved' : 'stale';
  }

  async deletePupil(deleted: DeletedPupil, audit: AuditEntry): Promise<'deleted' | 'stale'> {
    const { pupil } = deleted;
    const outcome = await this.transact([
      {
        name: 'pupil',
        item: {
          Delete: {
            TableName: this.tableName,
            Key: keys.pupil(pupil.centreId, pupil.pupilId),
            // As read, and never a synced pupil (it must leave the MIS first).
            ConditionExpression: `attribute_exists(PK) AND ${versionCondition(pupil.version)} AND syncStatus <> :synced`,
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': pupil.version, ':synced': 'synced' },
          },
        },
      },
      // Its MIS link is freed: the MIS record may come back and be imported meanwhile (a restore then says so).
      ...(pupil.misId
        ? [
            {
              name: 'guard' as const,
              item: {
                Delete: {
                  TableName: this.tableName,
                  Key: keys.linkGuard(pupil.centreId, 'pupil', pupil.misId),
                  ConditionExpression: 'attribute_not_exists(PK) OR hubId = :pupil',
                  ExpressionAttributeValues: { ':pupil': pupil.pupilId },
                },
              },
            },
          ]
        : []),
      {
        name: 'deleted',
        item: {
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.deletedPupil(deleted.centreId, deleted.pupilId),
              ...keys.erasureIndex(deleted.erasesAt, deleted.centreId, deleted.pupilId),
              type: 'deletedPupil',
              ...deleted,
            },
          },
        },
      },
      this.auditPart(audit),
    ]);
    return outcome.ok ? 'deleted' : 'stale';
  }

  async restorePupil(deleted: DeletedPupil, audit: AuditEntry): Promise<'restored' | 'gone' | 'mis_taken'> {
    const pupil = { ...deleted.pupil, version: deleted.pupil.version + 1 };
    const outcome = await this.transact([
      {
        name: 'deleted',
        item: {
          Delete: {
            TableName: this.tableName,
            Key: keys.deletedPupil(deleted.centreId, deleted.pupilId),
            // Not once the erasure has begun.
            ConditionExpression: 'attribute_exists(PK) AND deletedAt = :deletedAt AND attribute_not_exists(erasing)',
            ExpressionAttributeValues: { ':deletedAt': deleted.deletedAt },
          },
        },
      },
      {
        name: 'pupil',
        item: {
          Put: {
            TableName: this.tableName,
            Item: recordItem('pupil', pupil, pupil.pupilId),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
      ...(pupil.misId
        ? [{ name: 'guard' as const, item: this.guardPut(pupil.centreId, 'pupil', pupil.misId, pupil.pupilId) }]
        : []),
      this.auditPart(audit),
    ]);
    if (outcome.ok) return 'restored';
    return outcome.failed.has('guard') && !outcome.failed.has('deleted') ? 'mis_taken' : 'gone';
  }

  async listDeletedPupils(centreId: string): Promise<DeletedPupil[]> {
    return this.queryPartition(keys.centre(centreId).PK, sortKeyPrefix.deletedPupil, deletedPupilSchema);
  }

  async listErasuresDue(now: string, limit: number): Promise<{ centreId: string; pupilId: string }[]> {
    const page = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: hubTable.misIdIndex.name,
        KeyConditionExpression: 'GSI1PK = :directory AND GSI1SK <= :now',
        ExpressionAttributeValues: { ':directory': 'ERASURE', ':now': now },
        ProjectionExpression: 'centreId, pupilId',
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((item) => ({ centreId: String(item.centreId), pupilId: String(item.pupilId) }));
  }

  async erasePupil(deleted: DeletedPupil, audit: AuditEntry): Promise<'erased' | 'gone'> {
    const { centreId, pupilId, pupil } = deleted;
    // Claimed first: from here on a restore is refused, so it can never bring back a pupil whose results are half erased.
    const claimed = await this.updateIf({
      Key: keys.deletedPupil(centreId, pupilId),
      UpdateExpression: 'SET erasing = :true',
      ConditionExpression: 'deletedAt = :deletedAt',
      ExpressionAttributeValues: { ':deletedAt': deleted.deletedAt, ':true': true },
    });
    if (!claimed) return 'gone';
    const { results, deliveries, backups } = await this.pupilDataKeys(centreId, pupilId);
    await this.batchDelete([...results, ...deliveries, ...backups]);
    if (pupil.misId) await this.releasePupilGuard(centreId, pupil.misId, pupilId);
    const outcome = await this.transact([
      {
        name: 'deleted',
        item: {
          Delete: {
            TableName: this.tableName,
            Key: keys.deletedPupil(centreId, pupilId),
            ConditionExpression: 'deletedAt = :deletedAt',
            ExpressionAttributeValues: { ':deletedAt': deleted.deletedAt },
          },
        },
      },
      this.auditPart(audit),
    ]);
    return outcome.ok ? 'erased' : 'gone';
  }

  async erasePupilNow(
    centreId: string,
    pupilId: string,
    audit: AuditEntry,
  ): Promise<{ erased: Record<string, number>; left: string[]; sentToAssembly: number } | null> {
    const pupil = (await this.getPupil(centreId, pupilId)) ?? (await this.getDeletedPupil(centreId, pupilId))?.pupil;
    if (!pupil) return null;
    // What marks an item as about this pupil: its Hub id, its MIS id and its UPN, as stored (quoted).
    const needles = [pupilId, pupil.misId, pupil.upn].flatMap((value) => (value ? [JSON.stringify(value)] : []));
    const mentions = (item: unknown) => {
      const text = JSON.stringify(item);
      return needles.some((needle) => text.includes(needle));
    };
    const erased: Record<string, number> = {};
    const count = (kind: string, n: number) => n && (erased[kind] = (erased[kind] ?? 0) + n);

    const { results, deliveries: deliveryKeys, backups } = await this.pupilDataKeys(centreId, pupilId);
    const deliveries = await this.batchGet(deliveryKeys, resultDeliverySchema);
    const runs = await this.listSyncRuns(centreId);
    const runItems = (await Promise.all(runs.map((run) => this.queryRaw(keys.runPartition(centreId, run.runId))))).flat();
    const doomedRunItems = runItems.filter(mentions).map((item) => ({ PK: String(item.PK), SK: String(item.SK) }));
    const headers = await this.queryPartition(keys.centre(centreId).PK, 'DOC#', documentHeaderSchema);
    const doomedDocuments: string[] = [];
    for (const header of headers) {
      const document = await this.getDocument(centreId, header.name);
      if (document && needles.some((needle) => document.text.includes(needle))) doomedDocuments.push(header.name);
    }
    const documentChunks = (
      await Promise.all(doomedDocuments.map((name) => this.queryKeys(keys.documentChunks(centreId, name), '')))
    ).flat();
    await this.batchDelete([
      ...results,
      ...deliveryKeys,
      ...backups,
      ...doomedRunItems,
      ...documentChunks,
      ...doomedDocuments.map((name) => keys.documentHeader(centreId, name)),
    ]);
    if (pupil.misId && (await this.releasePupilGuard(centreId, pupil.misId, pupilId))) count('MIS link', 1);
    // The pupil's own record last: an erasure cut short finds the pupil again and is run again.
    await this.batchDelete([keys.pupil(centreId, pupilId), keys.deletedPupil(centreId, pupilId)]);
    count('pupil record', 1);
    count('results', results.length);
    count('Assembly delivery records', deliveries.length);
    count('backups', backups.length);
    count('run work list items', doomedRunItems.length);
    count('documents (MIS snapshots, plans)', doomedDocuments.length);
    await this.appendAudit(audit);

    // Looked at again: whatever still mentions the pupil (but the audit log's ids) is named.
    const left = (await this.queryRaw(keys.centre(centreId).PK))
      .filter((item) => !String(item.SK).startsWith(sortKeyPrefix.audit) && mentions(item))
      .map((item) => String(item.SK).split('#')[0]!);
    return {
      erased,
      left: [...new Set(left)],
      sentToAssembly: deliveries.filter((delivery) => delivery.status === 'sent').length,
    };
  }

  async getDeletedPupil(centreId: string, pupilId: string): Promise<DeletedPupil | null> {
    return this.getOne(keys.deletedPupil(centreId, pupilId), deletedPupilSchema);
  }

  /** The keys of a pupil's results, what became of each in Assembly, and its backups. */
  private async pupilDataKeys(centreId: string, pupilId: string) {
    const results = await this.queryKeys(keys.centre(centreId).PK, `${sortKeyPrefix.result}${pupilId}#`);
    const deliveries = results.map((result) => keys.resultDelivery(centreId, result.SK.slice(sortKeyPrefix.result.length)));
    const backups = await this.queryKeys(keys.backupPartition(centreId), `pupil#${pupilId}#`);
    return { results, deliveries, backups };
  }

  /** Deletes a pupil's MIS link guard if this pupil still holds it (another linked since is left alone). */
  private async releasePupilGuard(centreId: string, misId: string, pupilId: string): Promise<boolean> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.linkGuard(centreId, 'pupil', misId),
          ConditionExpression: 'hubId = :pupil',
          ExpressionAttributeValues: { ':pupil': pupilId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** An audit entry written in the same transaction as what it records. */
  private auditPart(audit: AuditEntry) {
    return {
      name: 'audit' as const,
      item: {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.audit(audit.centreId, audit.at, audit.auditId), type: 'audit', ...audit },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    };
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
    return this.queryPartition(keys.centre(centreId).PK, sortKeyPrefix.audit, auditEntrySchema);
  }
}
