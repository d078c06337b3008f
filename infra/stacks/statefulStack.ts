import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2, type ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { acknowledgeNag } from '../constructs/nag';
import { hubTable } from '../../shared/store/tableDefinition';

/** What must outlive any deployment: the Hub table and its encryption key. */
export class StatefulStack extends Stack {
  readonly table: ITableV2;
  /** Encrypts schools' Assembly tokens (with the centre as encryption context). */
  readonly tokenKey: Key;
  /** JSON secret: { assemblyClientSecret } — the value Assembly's developer dashboard issued. */
  readonly appSecrets: Secret;
  /** JSON secret: { current, previous? } — what CloudFront sends in the origin header. */
  readonly originSecret: Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const key = new Key(this, 'TableKey', {
      description: 'Encrypts the Admin Hub MIS Sync table',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new TableV2(this, 'HubTable', {
      partitionKey: { name: hubTable.partitionKey, type: AttributeType.STRING },
      sortKey: { name: hubTable.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: hubTable.misIdIndex.name,
          partitionKey: { name: hubTable.misIdIndex.partitionKey, type: AttributeType.STRING },
          sortKey: { name: hubTable.misIdIndex.sortKey, type: AttributeType.STRING },
        },
      ],
      timeToLiveAttribute: hubTable.timeToLiveAttribute,
      dynamoStream: StreamViewType[hubTable.streamView],
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryptionV2.customerManagedKey(key),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.tokenKey = new Key(this, 'AssemblyTokenKey', {
      description: 'Encrypts schools’ Assembly OAuth tokens',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.appSecrets = new Secret(this, 'AppSecrets', {
      description: 'Admin Hub MIS Sync: assemblyClientSecret (set it to the secret from Assembly’s developer dashboard)',
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'assemblyClientSecret', excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.originSecret = new Secret(this, 'OriginSecret', {
      description:
        'Admin Hub MIS Sync: the header CloudFront adds to API requests, { current, previous? }; the API accepts both while a new one is rolled out (README: Rotating the origin secret)',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'current',
        excludePunctuation: true,
        passwordLength: 48,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNag(
      this.originSecret,
      'SMG4',
      'CloudFront reads the origin secret only at deploy time, so a rotation is a two-step roll-out (new value beside the old, deploy, then drop the old) done by the README procedure, not a rotation Lambda.',
    );
    acknowledgeNag(
      this.appSecrets,
      'SMG4',
      'The Assembly client secret is issued by Assembly; it is rotated in Assembly’s developer dashboard and then set here, so automatic rotation cannot apply.',
    );
  }
}
