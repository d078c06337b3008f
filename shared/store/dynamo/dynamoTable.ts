import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import { StoreBusyError } from '../syncStore';

const BATCH_SIZE = 25;
/** A partition range read this large is split into this many ranges, read at once, the next time. */
const RANGES = 4;
const SPLIT_FROM_ITEMS = 800;
/** Split points remembered, for this many partitions at most (the oldest forgotten first). */
const SPLITS_KEPT = 500;

/** DynamoDB orders sort keys by their UTF-8 bytes. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const MAX_BATCH_ATTEMPTS = 8;
const MAX_TRANSACTION_ATTEMPTS = 6;

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** What the adapter's helpers share: one table, one client, one way to read, query and retry. */
export abstract class DynamoTable {
  constructor(
    protected readonly documents: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  /** Where the last read of a large partition range split it evenly: only speed depends on it, never what is read. */
  private readonly splits = new Map<string, string[]>();

  protected async getOne<T>(key: Record<string, string>, schema: z.ZodType<T>): Promise<T | null> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item ? schema.parse(Item) : null;
  }

  /** Every page of one query, its items as stored. */
  private async queryAllPages(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  ): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: startKey }),
      );
      found.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  /** A projection of these attributes, by placeholder names (any may be a reserved word). */
  private static projection(attributes: readonly string[]) {
    return {
      ProjectionExpression: attributes.map((_, index) => `#a${index}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(attributes.map((name, index) => [`#a${index}`, name])),
    };
  }

  protected async queryPartition<T>(
    pk: string,
    prefix: string,
    schema: z.ZodType<T>,
    newestFirst = false,
    /** Only these attributes (a list page's columns): less to send and parse. */
    attributes?: readonly string[],
  ): Promise<T[]> {
    const items = await this.queryAllPages({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ConsistentRead: true,
      ScanIndexForward: !newestFirst,
      ...(attributes ? DynamoTable.projection(attributes) : {}),
    });
    return items.map((item) => schema.parse(item));
  }

  /** Every item of a partition whose sort key starts with `prefix` (all of them for ''), as stored: for a search through them. */
  protected async queryRaw(pk: string, prefix = '', projection?: string): Promise<Record<string, unknown>[]> {
    return this.queryAllPages({
      KeyConditionExpression: prefix ? 'PK = :pk AND begins_with(SK, :prefix)' : 'PK = :pk',
      ExpressionAttributeValues: prefix ? { ':pk': pk, ':prefix': prefix } : { ':pk': pk },
      ...(projection ? { ProjectionExpression: projection } : {}),
      ConsistentRead: true,
    });
  }

  /** The keys of every item in a partition whose sort key starts with `prefix` (all of them for ''). */
  protected async queryKeys(pk: string, prefix: string): Promise<{ PK: string; SK: string }[]> {
    return (await this.queryRaw(pk, prefix, 'PK, SK')).map((item) => ({ PK: String(item.PK), SK: String(item.SK) }));
  }

  protected async put(item: Record<string, unknown>): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  protected async putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
    return this.putIf(item, 'attribute_not_exists(PK)');
  }

  protected async putIf(
    item: Record<string, unknown>,
    condition: string,
    values?: Record<string, unknown>,
    names?: Record<string, string>,
  ): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition,
          ...(values ? { ExpressionAttributeValues: values } : {}),
          ...(names ? { ExpressionAttributeNames: names } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Like queryPartition, for a large list page (a school's pupils): the range is read as a few
   * ranges at once, split where the previous read found it splits evenly. The ranges always cover
   * the whole prefix whatever the split points (items on a boundary are read twice and kept once),
   * so split points that are out of date only make it slower.
   */
  protected async queryPartitionInRanges<T>(
    pk: string,
    prefix: string,
    schema: z.ZodType<T>,
    attributes: readonly string[],
  ): Promise<T[]> {
    const memo = `${pk}\n${prefix}`;
    // Just past every key that begins with the prefix: its last character, one on.
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    const bounds = [prefix, ...(this.splits.get(memo) ?? []), end];
    const ranges = await Promise.all(
      bounds.slice(0, -1).map((from, index) =>
        this.queryAllPages({
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': bounds[index + 1] },
          ConsistentRead: true,
          ...DynamoTable.projection(['SK', ...attributes]),
        }),
      ),
    );
    const items: Record<string, unknown>[] = [];
    for (const range of ranges)
      for (const item of range) {
        const key = String(item.SK);
        const last = items.length ? String(items[items.length - 1]!.SK) : null;
        if (key.startsWith(prefix) && key !== last) items.push(item);
      }
    this.learnSplits(
      memo,
      items.map((item) => String(item.SK)),
    );
    return items.map((item) => schema.parse(item));
  }

  private learnSplits(memo: string, keys: readonly string[]) {
    this.splits.delete(memo);
    if (keys.length < SPLIT_FROM_ITEMS) return;
    const splits = Array.from({ length: RANGES - 1 }, (_, index) => keys[Math.floor(((index + 1) * keys.length) / RANGES)]!);
    // In DynamoDB's order, or not at all (BETWEEN refuses a range that ends before it starts).
    if (splits.every((key, index) => index === 0 || byteOrder(splits[index - 1]!, key) < 0)) this.splits.set(memo, splits);
    if (this.splits.size > SPLITS_KEPT) this.splits.delete(this.splits.keys().next().value!);
  }

  /** An update whose condition may fail: false when it did, so the core can decide. */
  protected async updateIf(input: Omit<UpdateCommandInput, 'TableName'>): Promise<boolean> {
    try {
      await this.documents.send(new UpdateCommand({ TableName: this.tableName, ...input }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * One transaction, retried with backoff while DynamoDB throttles it or another transaction
   * conflicts with it. Returns the names of the items whose condition failed (a real conflict
   * for the core to decide on); throws StoreBusyError if the table stays busy.
   */
  protected async transact<Part extends string>(
    parts: readonly { name: Part; item: TransactItems[number] }[],
  ): Promise<{ ok: true } | { ok: false; failed: ReadonlySet<Part> }> {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
      try {
        await this.documents.send(new TransactWriteCommand({ TransactItems: parts.map((part) => part.item) }));
        return { ok: true };
      } catch (error) {
        const reasons = transientOrConditions(error);
        if (reasons === 'transient') {
          if (attempt + 1 >= MAX_TRANSACTION_ATTEMPTS) throw new StoreBusyError();
          continue;
        }
        // A cancellation with no failed condition (a validation error, say) is a fault, not a conflict.
        if (!reasons || !reasons.includes('ConditionalCheckFailed')) throw error;
        return {
          ok: false,
          failed: new Set(parts.filter((_, index) => reasons[index] === 'ConditionalCheckFailed').map((part) => part.name)),
        };
      }
    }
  }

  /** Puts are idempotent (same key, same item), so unprocessed items are simply retried. */
  protected async batchPut(items: readonly Record<string, unknown>[]): Promise<void> {
    await this.batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  }

  protected async batchDelete(keys: readonly Record<string, string>[]): Promise<void> {
    await this.batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
  }

  /** Items by key, 100 per request, read consistently; unprocessed keys are asked again. */
  protected async batchGet<T>(keys: readonly Record<string, string>[], schema: z.ZodType<T>): Promise<T[]> {
    const found: T[] = [];
    for (let start = 0; start < keys.length; start += 100) {
      let wanted: Record<string, unknown>[] = keys.slice(start, start + 100);
      for (let attempt = 0; wanted.length > 0; attempt++) {
        if (attempt >= MAX_BATCH_ATTEMPTS) throw new StoreBusyError();
        if (attempt > 0) await sleep(50 * 2 ** attempt);
        const result = await this.documents.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) found.push(schema.parse(item));
        wanted = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return found;
  }

  private async batchWrite(all: readonly WriteRequest[]): Promise<void> {
    for (let start = 0; start < all.length; start += BATCH_SIZE) {
      let requests = all.slice(start, start + BATCH_SIZE);
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt >= MAX_BATCH_ATTEMPTS) throw new StoreBusyError();
        if (attempt > 0) await sleep(50 * 2 ** attempt);
        const result = await this.documents.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: [...requests] } }));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as WriteRequest[];
      }
    }
  }
}

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, string> } };

/**
 * A cancelled transaction's reasons, one per item: 'transient' when any item was throttled or
 * in conflict with another transaction (retry it all), null when the error is not a cancellation.
 */
function transientOrConditions(error: unknown): 'transient' | (string | undefined)[] | null {
  const name = error instanceof Error ? error.name : '';
  if (
    name === 'ProvisionedThroughputExceededException' ||
    name === 'ThrottlingException' ||
    name === 'TransactionConflictException'
  )
    return 'transient';
  if (!(error instanceof TransactionCanceledException)) return null;
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code);
  if (
    codes.some((code) => code === 'ThrottlingError' || code === 'TransactionConflict' || code === 'ProvisionedThroughputExceeded')
  )
    return 'transient';
  return codes;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `SET #p0 = :p0, …` for named fields, with the names and values an expression needs. */
export function assignments(fields: Record<string, unknown>, prefix: string) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(fields).map(([field, value], index) => {
    names[`#${prefix}${index}`] = field;
    values[`:${prefix}${index}`] = value;
    return `#${prefix}${index} = :${prefix}${index}`;
  });
  return { sets, names, values };
}
