/**
 * The one definition of the Hub table, read by the CDK stateful stack and by the local
 * runtime (which creates the same table in DynamoDB Local). See docs/data-model.md.
 */
export const hubTable = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** Look-ups by MIS id: GSI1PK = CENTRE#<id>#MIS#<kind>, GSI1SK = <misId>. */
  misIdIndex: { name: 'ByMisId', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  timeToLiveAttribute: 'expiresAt',
  streamView: 'NEW_AND_OLD_IMAGES',
} as const;

export interface TableCreateInput {
  TableName: string;
  AttributeDefinitions: { AttributeName: string; AttributeType: 'S' }[];
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  GlobalSecondaryIndexes: {
    IndexName: string;
    KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
    Projection: { ProjectionType: 'ALL' };
  }[];
  BillingMode: 'PAY_PER_REQUEST';
  StreamSpecification: { StreamEnabled: true; StreamViewType: typeof hubTable.streamView };
}

/** The CreateTable request for DynamoDB Local, built from the same definition as the stack. */
export function createTableInput(tableName: string): TableCreateInput {
  const { partitionKey, sortKey, misIdIndex } = hubTable;
  return {
    TableName: tableName,
    AttributeDefinitions: [partitionKey, sortKey, misIdIndex.partitionKey, misIdIndex.sortKey].map((AttributeName) => ({
      AttributeName,
      AttributeType: 'S' as const,
    })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: misIdIndex.name,
        KeySchema: [
          { AttributeName: misIdIndex.partitionKey, KeyType: 'HASH' },
          { AttributeName: misIdIndex.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: hubTable.streamView },
  };
}
