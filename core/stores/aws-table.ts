import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { errorName, type Item, S, strings } from './aws-marshalling.ts';
import {
  type IndexName,
  keyAttributesOf,
  keyCondition,
  type SortRange,
  type TableKey,
} from './index-table.ts';

export const isConditionFailure = (error: unknown) => errorName(error) === 'ConditionalCheckFailedException';

/** A Query of one partition of the table or of one of its indexes (see core/stores/index-table.ts). */
export interface PartitionQuery extends SortRange {
  readonly index?: IndexName;
  readonly partition: string;
  /** Sort keys beginning with this (only without `from`/`to`). */
  readonly prefix?: string;
  readonly consistent?: boolean;
  /** `FilterExpression`, `ProjectionExpression` and their names and values. */
  readonly extra?: Pick<
    QueryCommandInput,
    'FilterExpression' | 'ProjectionExpression' | 'ExpressionAttributeNames' | 'ScanIndexForward' | 'Limit'
  > & { readonly ExpressionAttributeValues?: Item };
}

/** The evidence index table: its requests, paged, batched and retried the way DynamoDB requires. */
export class IndexTableClient {
  constructor(
    readonly ddb: DynamoDBClient,
    readonly name: string,
  ) {}

  /** Every item of one partition (in range), all pages. */
  async query(query: PartitionQuery): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.ddb.send(
        new QueryCommand({ ...this.queryInput(query), ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && query.extra?.Limit === undefined);
    return items;
  }

  private queryInput(query: PartitionQuery): QueryCommandInput {
    const condition = keyCondition(keyAttributesOf(query.index), query.partition, query);
    const { ExpressionAttributeValues, ...extra } = query.extra ?? {};
    return {
      TableName: this.name,
      ...(query.index ? { IndexName: query.index } : {}),
      KeyConditionExpression: condition.expression,
      ExpressionAttributeValues: { ...strings(condition.values), ...ExpressionAttributeValues },
      ...extra,
      ...(query.consistent ? { ConsistentRead: true } : {}),
    };
  }

  async get(key: TableKey): Promise<Item | undefined> {
    const { Item } = await this.ddb.send(
      new GetItemCommand({ TableName: this.name, Key: strings(key), ConsistentRead: true }),
    );
    return Item;
  }

  async put(item: Item): Promise<void> {
    await this.ddb.send(new PutItemCommand({ TableName: this.name, Item: item }));
  }

  /** Puts an item unless one with its key exists; false when one did. */
  async putOnce(item: Item): Promise<boolean> {
    try {
      await this.ddb.send(
        new PutItemCommand({
          TableName: this.name,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** An UpdateItem; false when its condition did not hold. */
  async updateIf(input: Omit<UpdateItemCommandInput, 'TableName'>): Promise<boolean> {
    try {
      await this.ddb.send(new UpdateItemCommand({ ...input, TableName: this.name }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async transact(items: readonly TransactWriteItem[]): Promise<void> {
    await this.ddb.send(new TransactWriteItemsCommand({ TransactItems: [...items] }));
  }

  /** BatchGetItem in batches of 100, retrying unprocessed keys. */
  async batchGet(
    keys: readonly TableKey[],
    projection: string,
    names: Record<string, string>,
  ): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Item[] = keys.slice(i, i + 100).map((k) => ({ pk: S(k.pk), sk: S(k.sk) }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        const response = await this.ddb.send(
          new BatchGetItemCommand({
            RequestItems: {
              [this.name]: {
                Keys: pending,
                ConsistentRead: true,
                ProjectionExpression: projection,
                ExpressionAttributeNames: names,
              },
            },
          }),
        );
        items.push(...(response.Responses?.[this.name] ?? []));
        pending = response.UnprocessedKeys?.[this.name]?.Keys ?? [];
        if (pending.length) await sleep(Math.min(1000, 25 * 2 ** attempt));
      }
    }
    return items;
  }

  /** BatchWriteItem puts in batches of 25 (the DynamoDB limit), retrying unprocessed items. */
  async batchPut(items: readonly Item[]): Promise<void> {
    for (let i = 0; i < items.length; i += 25) {
      let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        const response = await this.ddb.send(
          new BatchWriteItemCommand({ RequestItems: { [this.name]: pending } }),
        );
        pending = (response.UnprocessedItems?.[this.name] ?? []) as typeof pending;
        if (pending.length) await sleep(Math.min(1000, 25 * 2 ** attempt));
      }
    }
  }
}
