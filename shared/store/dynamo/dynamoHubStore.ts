import * as z from 'zod';
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
  deletedTeacherSchema,
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
  resultSummarySchema,
  deliverySummarySchema,
  parkedMarkSchema,
  resultDeliverySchema,
  type MarkedResult,
  type ResultSummary,
  type DeliverySummary,
  type ParkedMark,
  type ResultDelivery,
  type SharingPreferences,
  type AttemptCount,
  type Account,
  type AuditEntry,
  type DeletedPupil,
  type DeletedTeacher,
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
import {
  EmailTakenError,
  TokenAlreadyUsedError,
  TokenReplacedError,
  type ErasureDue,
  type HubStore,
  type TeacherEmailChange,
} from '../hubStore';
import { keys, normaliseEmail, sortKeyPrefix } from '../keys';
import { hubTable } from '../tableDefinition';
import { DynamoSyncStore, recordItem, recordKey, versionCondition } from './dynamoSyncStore';
import { assignments, type TransactItems } from './dynamoTable';
import { tracer } from '../../runtime/observability';

/** The client honours AWS_ENDPOINT_URL_DYNAMODB, which is how the local runtime points it at DynamoDB Local. */
/** An account whose access has not been removed. */
const isActive = '(attribute_not_exists(deactivatedAt) OR deactivatedAt = :null)';

const deletedKey = (kind: 'pupil' | 'teacher', centreId: string, hubId: string) =>
  kind === 'pupil' ? keys.deletedPupil(centreId, hubId) : keys.deletedTeacher(centreId, hubId);

/** A deleted pupil or teacher as stored: its key, its erasure index entry, its type. */
function deletedItem(kind: 'pupil' | 'teacher', deleted: { centreId: string; erasesAt: string }, hubId: string) {
  const subject = kind === 'pupil' ? hubId : `TEACHER#${hubId}`;
  return {
    ...deletedKey(kind, deleted.centreId, hubId),
    ...keys.erasureIndex(deleted.erasesAt, deleted.centreId, subject),
    type: kind === 'pupil' ? 'deletedPupil' : 'deletedTeacher',
    ...deleted,
  };
}

/** What marks an item as about a pupil: its Hub id, its MIS id and its UPN, as stored (quoted). */
const mentionNeedles = (pupil: Pick<HubPupil, 'pupilId' | 'misId' | 'upn'>) =>
  [pupil.pupilId, pupil.misId, pupil.upn].flatMap((value) => (value ? [JSON.stringify(value)] : []));
const mentions = (needles: readonly string[], item: unknown) => {
  const text = JSON.stringify(item);
  return needles.some((needle) => text.includes(needle));
};

/** An erasure index entry, by the type of the item that holds it. */
const erasureDueSchema = z.union([
  z.object({ type: z.literal('deletedPupil'), centreId: z.string(), pupilId: z.string() }).transform((item) => ({
    centreId: item.centreId,
    kind: 'pupil' as const,
    id: item.pupilId,
  })),
  z.object({ type: z.literal('deletedTeacher'), centreId: z.string(), teacherId: z.string() }).transform((item) => ({
    centreId: item.centreId,
    kind: 'teacher' as const,
    id: item.teacherId,
  })),
  z.object({ type: z.literal('account'), centreId: z.string(), userId: z.string() }).transform((item) => ({
    centreId: item.centreId,
    kind: 'account' as const,
    id: item.userId,
  })),
]);

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
                  // Not for an account being erased: its new email guard would be left behind.
                  ConditionExpression: 'email = :old AND attribute_not_exists(erasing)',
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
            // Not for an account being erased: its link would outlive it.
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(erasing)',
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

  async setAccountAccess(
    centreId: string,
    userId: string,
    teacherId: string,
    removal: { at: string; erasesAt: string } | null,
    audit: AuditEntry,
  ): Promise<boolean> {
    const index = removal && keys.erasureIndex(removal.erasesAt, centreId, `ACCOUNT#${userId}`);
    const outcome = await this.transact([
      {
        name: 'account',
        item: {
          Update: {
            TableName: this.tableName,
            Key: keys.account(centreId, userId),
            ...(removal && index
              ? {
                  // Every session signed in before ends with it; the erasure index holds it for the sweep.
                  UpdateExpression:
                    'SET deactivatedAt = :at, accessErasesAt = :erases, GSI1PK = :gsiPk, GSI1SK = :gsiSk, sessionVersion = if_not_exists(sessionVersion, :zero) + :one',
                  ConditionExpression: `attribute_exists(PK) AND ${isActive}`,
                  ExpressionAttributeValues: {
                    ':at': removal.at,
                    ':erases': removal.erasesAt,
                    ':gsiPk': index.GSI1PK,
                    ':gsiSk': index.GSI1SK,
                    ':zero': 0,
                    ':one': 1,
                    ':null': null,
                  },
                }
              : {
                  UpdateExpression: 'SET deactivatedAt = :null, accessErasesAt = :null REMOVE GSI1PK, GSI1SK',
                  ConditionExpression:
                    'attribute_exists(PK) AND attribute_exists(deactivatedAt) AND deactivatedAt <> :null AND attribute_not_exists(erasing)',
                  ExpressionAttributeValues: { ':null': null },
                }),
          },
        },
      },
      // The teacher is still there: not deleted meanwhile (a delete sets the access itself).
      { name: 'teacher', item: this.conditionPart(keys.teacher(centreId, teacherId), 'attribute_exists(PK)', {}).item },
      this.auditPart(audit),
    ]);
    return outcome.ok;
  }

  async eraseAccount(centreId: string, userId: string, now: string, audit: AuditEntry): Promise<'erased' | 'gone'> {
    const account = await this.getAccount(centreId, userId);
    if (!account?.deactivatedAt || !account.accessErasesAt || account.accessErasesAt > now) return 'gone';
    // Claimed first: from here on Restore access, an email change and a new link are refused, so
    // none can bring back the account or leave a sign-in email behind. Erased as the claim left it.
    const claimed = await this.claimAccount(centreId, userId, 'accessErasesAt = :due AND deactivatedAt <> :null', {
      ':due': account.accessErasesAt,
      ':null': null,
    });
    if (!claimed) return 'gone';
    return (await this.eraseAccountItems(claimed, audit)) ? 'erased' : 'gone';
  }

  /** Sets `erasing` on an account if `condition` holds: the account as it is then, or null. */
  private async claimAccount(
    centreId: string,
    userId: string,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<Account | null> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.account(centreId, userId),
          UpdateExpression: 'SET erasing = :true',
          ConditionExpression: `attribute_exists(PK) AND ${condition}`,
          ExpressionAttributeValues: { ...values, ':true': true },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return accountSchema.parse(Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

  /**
   * Deletes an account (one nobody can restore any more) with its sign-in email, if still its own,
   * and its live set-password link; the account item last, with the audit entry, so that an
   * erasure cut short is done again. Its sessions refuse to resolve from then on (they name an
   * account that is gone) and run out on their own; they hold ids only.
   */
  private async eraseAccountItems(account: Account, audit: AuditEntry | null): Promise<boolean> {
    const { centreId, userId } = account;
    if (account.liveLinkHash) await this.batchDelete([keys.setPasswordToken(account.liveLinkHash)]);
    await this.deleteIf(keys.accountEmail(account.email), 'userId = :user AND centreId = :centre', {
      ':user': userId,
      ':centre': centreId,
    });
    const outcome = await this.transact([
      {
        name: 'account',
        item: { Delete: { TableName: this.tableName, Key: keys.account(centreId, userId) } },
      },
      ...(audit ? [this.auditPart(audit)] : []),
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
    return this.queryPartitionInRanges(
      keys.centre(centreId).PK,
      sortKeyPrefix.pupil,
      pupilSummarySchema,
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

  async listResultSummaries(centreId: string): Promise<ResultSummary[]> {
    const { PK } = keys.centre(centreId);
    return this.queryPartition(PK, sortKeyPrefix.result, resultSummarySchema, false, Object.keys(resultSummarySchema.shape));
  }

  async listDeliverySummaries(centreId: string): Promise<DeliverySummary[]> {
    const { PK } = keys.centre(centreId);
    return this.queryPartition(
      PK,
      sortKeyPrefix.resultDelivery,
      deliverySummarySchema,
      false,
      Object.keys(deliverySummarySchema.shape),
    );
  }

  async listParkedMarks(centreId: string): Promise<ParkedMark[]> {
    return this.queryPartition(keys.centre(centreId).PK, sortKeyPrefix.parkedMark, parkedMarkSchema);
  }

  async markParked(marks: readonly ParkedMark[]): Promise<void> {
    const DAY = 24 * 60 * 60;
    const latest = new Map(marks.map((mark) => [`${mark.centreId}#${mark.resultId}`, mark]));
    await this.batchPut(
      [...latest.values()].map((mark) => ({
        ...keys.parkedMark(mark.centreId, mark.resultId),
        type: 'parkedMark',
        ...mark,
        expiresAt: Math.floor(Date.parse(mark.until) / 1000) + DAY,
      })),
    );
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
    return this.moveToDeleted('pupil', pupil, pupil.pupilId, deletedItem('pupil', deleted, pupil.pupilId), [], audit);
  }

  async restorePupil(deleted: DeletedPupil, audit: AuditEntry): Promise<'restored' | 'gone' | 'mis_taken'> {
    return this.moveBack('pupil', deleted.pupil, deleted.pupilId, deleted.deletedAt, [], audit);
  }

  async deleteTeacher(
    deleted: DeletedTeacher,
    audit: AuditEntry,
    possibleAccountIds: readonly string[],
  ): Promise<'deleted' | 'stale'> {
    const { teacher, account, centreId } = deleted;
    // Deleting takes away the account's access (ending its sessions), unless it was taken away
    // already; either way the account must still be as read. With no account read, none may have
    // been made meanwhile (accounts of teachers have the ids given).
    const accountParts = account
      ? [
          account.deactivatedAt
            ? this.conditionPart(keys.account(centreId, account.userId), 'deactivatedAt = :was', {
                ':was': account.deactivatedAt,
              })
            : this.accessPart(centreId, account.userId, deleted.deletedAt),
        ]
      : possibleAccountIds.map((userId) => this.conditionPart(keys.account(centreId, userId), 'attribute_not_exists(PK)', {}));
    return this.moveToDeleted(
      'teacher',
      teacher,
      teacher.teacherId,
      deletedItem('teacher', deleted, teacher.teacherId),
      accountParts,
      audit,
    );
  }

  async restoreTeacher(deleted: DeletedTeacher, audit: AuditEntry): Promise<'restored' | 'gone' | 'mis_taken'> {
    const { account, centreId } = deleted;
    // The access comes back as it was, if the account is still there (one whose access had been removed may have been erased since).
    const giveBack =
      account && !account.deactivatedAt && (await this.getAccount(centreId, account.userId))
        ? [this.accessPart(centreId, account.userId, null)]
        : [];
    return this.moveBack('teacher', deleted.teacher, deleted.teacherId, deleted.deletedAt, giveBack, audit);
  }

  async listDeletedTeachers(centreId: string): Promise<DeletedTeacher[]> {
    return this.queryPartition(keys.centre(centreId).PK, sortKeyPrefix.deletedTeacher, deletedTeacherSchema);
  }

  async getDeletedTeacher(centreId: string, teacherId: string): Promise<DeletedTeacher | null> {
    return this.getOne(keys.deletedTeacher(centreId, teacherId), deletedTeacherSchema);
  }

  async eraseTeacher(deleted: DeletedTeacher, audit: AuditEntry): Promise<'erased' | 'gone'> {
    const { centreId, teacherId, teacher } = deleted;
    return this.eraseDeleted('teacher', deleted, teacherId, audit, async () => {
      const userId = deleted.account?.userId;
      const account = userId && (await this.claimAccount(centreId, userId, 'userId = :user', { ':user': userId }));
      if (account) await this.eraseAccountItems(account, null);
      const backups = await this.queryKeys(keys.backupPartition(centreId), `teacher#${teacherId}#`);
      await this.batchDelete([...backups, ...(teacher.misId ? [keys.welcomeClaim(centreId, teacher.misId)] : [])]);
      if (teacher.misId) await this.releaseGuard('teacher', centreId, teacher.misId, teacherId);
    });
  }

  /** A condition on an item, part of a transaction. */
  private conditionPart(Key: Record<string, string>, condition: string, values: Record<string, unknown>) {
    return {
      name: 'account' as const,
      item: {
        ConditionCheck: {
          TableName: this.tableName,
          Key,
          ConditionExpression: condition,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        },
      },
    };
  }

  /** An account's access removed at `at` (its sessions end) or, with null, given back: part of a transaction. */
  private accessPart(centreId: string, userId: string, at: string | null) {
    return {
      name: 'account' as const,
      item: {
        Update: {
          TableName: this.tableName,
          Key: keys.account(centreId, userId),
          ...(at
            ? {
                UpdateExpression: 'SET deactivatedAt = :at, sessionVersion = if_not_exists(sessionVersion, :zero) + :one',
                ConditionExpression: `attribute_exists(PK) AND ${isActive}`,
                ExpressionAttributeValues: { ':at': at, ':zero': 0, ':one': 1, ':null': null },
              }
            : {
                UpdateExpression: 'SET deactivatedAt = :null',
                ConditionExpression: 'attribute_exists(PK)',
                ExpressionAttributeValues: { ':null': null },
              }),
        },
      },
    };
  }

  /**
   * A pupil or teacher moved under Recently deleted in one transaction: the record (as read, and
   * never a synced one: it must leave the MIS first), its MIS link freed (the MIS record may come
   * back and be imported meanwhile; a restore then says so), the deleted record with its erasure
   * index entry, what else goes with it, and the audit entry.
   */
  private async moveToDeleted(
    kind: 'pupil' | 'teacher',
    record: { centreId: string; misId: string | null; version: number },
    hubId: string,
    deleted: Record<string, unknown>,
    more: readonly { name: 'account'; item: TransactItems[number] }[],
    audit: AuditEntry,
  ): Promise<'deleted' | 'stale'> {
    const { centreId, misId, version } = record;
    const outcome = await this.transact([
      {
        name: 'record',
        item: {
          Delete: {
            TableName: this.tableName,
            Key: recordKey(kind, centreId, hubId),
            ConditionExpression: `attribute_exists(PK) AND ${versionCondition(version)} AND syncStatus <> :synced`,
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': version, ':synced': 'synced' },
          },
        },
      },
      ...(misId
        ? [
            {
              name: 'guard' as const,
              item: {
                Delete: {
                  TableName: this.tableName,
                  Key: keys.linkGuard(centreId, kind, misId),
                  ConditionExpression: 'attribute_not_exists(PK) OR hubId = :record',
                  ExpressionAttributeValues: { ':record': hubId },
                },
              },
            },
          ]
        : []),
      { name: 'deleted', item: { Put: { TableName: this.tableName, Item: deleted } } },
      ...more,
      this.auditPart(audit),
    ]);
    return outcome.ok ? 'deleted' : 'stale';
  }

  /**
   * A deleted pupil or teacher brought back exactly as it was (its version moved on), with its MIS
   * link, what else comes back with it, and the audit entry; never once its erasure has begun.
   */
  private async moveBack<T extends { centreId: string; misId: string | null; version: number }>(
    kind: 'pupil' | 'teacher',
    record: T,
    hubId: string,
    deletedAt: string,
    more: readonly { name: 'account'; item: TransactItems[number] }[],
    audit: AuditEntry,
  ): Promise<'restored' | 'gone' | 'mis_taken'> {
    const restored = { ...record, version: record.version + 1 };
    const outcome = await this.transact([
      {
        name: 'deleted',
        item: {
          Delete: {
            TableName: this.tableName,
            Key: deletedKey(kind, record.centreId, hubId),
            ConditionExpression: 'attribute_exists(PK) AND deletedAt = :deletedAt AND attribute_not_exists(erasing)',
            ExpressionAttributeValues: { ':deletedAt': deletedAt },
          },
        },
      },
      {
        name: 'record',
        item: {
          Put: {
            TableName: this.tableName,
            Item: recordItem(kind, restored, hubId),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
      ...(record.misId ? [{ name: 'guard' as const, item: this.guardPut(record.centreId, kind, record.misId, hubId) }] : []),
      ...more,
      this.auditPart(audit),
    ]);
    if (outcome.ok) return 'restored';
    return outcome.failed.has('guard') && !outcome.failed.has('deleted') ? 'mis_taken' : 'gone';
  }

  /**
   * Erases a deleted pupil or teacher: claimed first (from then on a restore is refused, so it can
   * never bring back a record half erased), then `eraseData`, then the deleted record itself with
   * the audit entry, last, so that an erasure cut short is simply done again.
   */
  private async eraseDeleted(
    kind: 'pupil' | 'teacher',
    deleted: { centreId: string; deletedAt: string },
    hubId: string,
    audit: AuditEntry,
    eraseData: () => Promise<void>,
  ): Promise<'erased' | 'gone'> {
    const key = deletedKey(kind, deleted.centreId, hubId);
    const claimed = await this.updateIf({
      Key: key,
      UpdateExpression: 'SET erasing = :true',
      ConditionExpression: 'deletedAt = :deletedAt',
      ExpressionAttributeValues: { ':deletedAt': deleted.deletedAt, ':true': true },
    });
    if (!claimed) return 'gone';
    await eraseData();
    const outcome = await this.transact([
      {
        name: 'deleted',
        item: {
          Delete: {
            TableName: this.tableName,
            Key: key,
            ConditionExpression: 'deletedAt = :deletedAt',
            ExpressionAttributeValues: { ':deletedAt': deleted.deletedAt },
          },
        },
      },
      this.auditPart(audit),
    ]);
    return outcome.ok ? 'erased' : 'gone';
  }

  async listDeletedPupils(centreId: string): Promise<DeletedPupil[]> {
    return this.queryPartition(keys.centre(centreId).PK, sortKeyPrefix.deletedPupil, deletedPupilSchema);
  }

  async listErasuresDue(now: string, limit: number): Promise<ErasureDue[]> {
    const page = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: hubTable.misIdIndex.name,
        KeyConditionExpression: 'GSI1PK = :directory AND GSI1SK <= :now',
        ExpressionAttributeValues: { ':directory': 'ERASURE', ':now': now },
        ProjectionExpression: '#type, centreId, pupilId, teacherId, userId',
        ExpressionAttributeNames: { '#type': 'type' },
        Limit: limit,
      }),
    );
    // An entry of a kind this code does not know is left for the code that wrote it, not a reason to stop the sweep.
    return (page.Items ?? []).flatMap((item) => {
      const due = erasureDueSchema.safeParse(item);
      return due.success ? [due.data] : [];
    });
  }

  async erasePupil(deleted: DeletedPupil, audit: AuditEntry): Promise<'erased' | 'gone'> {
    const { centreId, pupilId, pupil } = deleted;
    return this.eraseDeleted('pupil', deleted, pupilId, audit, async () => {
      const { results, deliveries, backups } = await this.pupilDataKeys(centreId, pupilId);
      await this.batchDelete([...results, ...deliveries, ...backups]);
      if (pupil.misId) await this.releaseGuard('pupil', centreId, pupil.misId, pupilId);
    });
  }

  async erasePupilNow(
    centreId: string,
    pupilId: string,
    audit: AuditEntry,
  ): Promise<{ erased: Record<string, number>; left: string[]; sentToAssembly: number } | null> {
    const pupil = (await this.getPupil(centreId, pupilId)) ?? (await this.getDeletedPupil(centreId, pupilId))?.pupil;
    if (!pupil) return null;
    const needles = mentionNeedles(pupil);
    const erased: Record<string, number> = {};
    const count = (kind: string, n: number) => n && (erased[kind] = (erased[kind] ?? 0) + n);

    const { results, deliveries: deliveryKeys, backups } = await this.pupilDataKeys(centreId, pupilId);
    const deliveries = await this.batchGet(deliveryKeys, resultDeliverySchema);
    const { runItems, documents } = await this.eraseMentions(centreId, pupil, [...results, ...deliveryKeys, ...backups]);
    if (pupil.misId && (await this.releaseGuard('pupil', centreId, pupil.misId, pupilId))) count('MIS link', 1);
    // The pupil's own record last: an erasure cut short finds the pupil again and is run again.
    await this.batchDelete([keys.pupil(centreId, pupilId), keys.deletedPupil(centreId, pupilId)]);
    count('pupil record', 1);
    count('results', results.length);
    count('Assembly delivery records', deliveries.length);
    count('backups', backups.length);
    count('run work list items', runItems);
    count('documents (MIS snapshots, plans)', documents);
    await this.appendAudit(audit);

    // Looked at again: whatever still mentions the pupil (but the audit log's ids) is named.
    const left = (await this.queryRaw(keys.centre(centreId).PK))
      .filter((item) => !String(item.SK).startsWith(sortKeyPrefix.audit) && mentions(needles, item))
      .map((item) => String(item.SK).split('#')[0]!);
    return {
      erased,
      left: [...new Set(left)],
      sentToAssembly: deliveries.filter((delivery) => delivery.status === 'sent').length,
    };
  }

  /**
   * Deletes `alsoKeys` and every run work-list item and document (MIS snapshot, plan) of the centre
   * that mentions the pupil by Hub id, MIS id or UPN: what they were (counted), for the report.
   */
  private async eraseMentions(
    centreId: string,
    pupil: Pick<HubPupil, 'pupilId' | 'misId' | 'upn'>,
    alsoKeys: readonly Record<string, string>[] = [],
  ): Promise<{ runItems: number; documents: number }> {
    const needles = mentionNeedles(pupil);
    const runs = await this.listSyncRuns(centreId);
    const runItems = (await Promise.all(runs.map((run) => this.queryRaw(keys.runPartition(centreId, run.runId))))).flat();
    const doomedRunItems = runItems
      .filter((item) => mentions(needles, item))
      .map((item) => ({ PK: String(item.PK), SK: String(item.SK) }));
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
      ...alsoKeys,
      ...doomedRunItems,
      ...documentChunks,
      ...doomedDocuments.map((name) => keys.documentHeader(centreId, name)),
    ]);
    return { runItems: doomedRunItems.length, documents: doomedDocuments.length };
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

  /** Deletes a record's MIS link guard if this record still holds it (another linked since is left alone). */
  private releaseGuard(kind: 'pupil' | 'teacher', centreId: string, misId: string, hubId: string): Promise<boolean> {
    return this.deleteIf(keys.linkGuard(centreId, kind, misId), 'hubId = :record', { ':record': hubId });
  }

  /** A delete whose condition may fail: false when it did. */
  private async deleteIf(
    Key: Record<string, string>,
    ConditionExpression: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.documents.send(
        new DeleteCommand({ TableName: this.tableName, Key, ConditionExpression, ExpressionAttributeValues: values }),
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
