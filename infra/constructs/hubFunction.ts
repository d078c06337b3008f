import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Architecture, Runtime, Tracing, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { hubTable } from '../../shared/store/tableDefinition';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/runtime/serviceName';
import { acknowledgeNag } from './nag';
import { HTTP_TIMEOUT_SECONDS } from './timeouts';

const FUNCTIONS_DIR = join(import.meta.dirname, '../../functions');

export interface HubFunctionProps {
  /** Module under functions/, e.g. `auth/signIn`. */
  handlerModule: string;
  table: ITableV2;
  timeout?: Duration;
  memorySize?: number;
  environment?: Record<string, string>;
  /** For handlers that call Assembly. */
  assembly?: AssemblyAccess;
}

export interface AssemblyAccess {
  environment: Record<string, string>;
  appSecrets: ISecret;
  tokenKey: IKey;
}

/**
 * The one Lambda construct every function uses: Node 22 on ARM64, esbuild bundling, X-Ray
 * tracing, Powertools' environment, a log group with retention, and table access granted together with TABLE_NAME.
 */
export class HubFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: HubFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(FUNCTIONS_DIR, `${props.handlerModule}.ts`),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      logGroup,
      // scrypt password hashing needs memory; more memory also buys CPU on Lambda.
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(HTTP_TIMEOUT_SECONDS),
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        // Powertools (shared/runtime/observability.ts): one service; errors are not copied into
        // traces, since their messages may carry what a record holds.
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: 'node22',
        mainFields: ['module', 'main'],
        // ESM bundles need `require` for the few CommonJS dependencies that call it.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
    });
    acknowledgeNag(
      this,
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AWS’s least-privilege managed policy for a function writing its own logs.',
    );
    acknowledgeNag(
      this,
      'IAM5[Resource::*]',
      'X-Ray tracing: PutTraceSegments and PutTelemetryRecords accept no resource but *.',
    );
    acknowledgeNag(
      this,
      'L1',
      'The project targets Node.js 22 (engines, .nvmrc, local runtime) so that what runs locally is what runs on Lambda.',
    );
    grantTableAccess(this.function, props.table);
    this.function.addEnvironment('TABLE_NAME', props.table.tableName);
    if (props.assembly) grantAssemblyAccess(this.function, props.assembly);
  }
}

/**
 * Item-level access to the table and its one index, and use of the table's key: named
 * resources and actions only, where grantReadWriteData would add `index/*` and `kms:*` wildcards.
 */
function grantTableAccess(fn: IFunction, table: ITableV2): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DescribeTable',
      ],
      resources: [table.tableArn, `${table.tableArn}/index/${hubTable.misIdIndex.name}`],
    }),
  );
  if (table.encryptionKey) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [table.encryptionKey.keyArn],
      }),
    );
  }
}

/** The Assembly configuration, read access to the app secret, and use of the token key: named actions only. */
function grantAssemblyAccess(fn: NodejsFunction, access: AssemblyAccess): void {
  for (const [name, value] of Object.entries(access.environment)) fn.addEnvironment(name, value);
  fn.addEnvironment('APP_SECRETS_ARN', access.appSecrets.secretArn);
  fn.addEnvironment('TOKEN_KMS_KEY_ID', access.tokenKey.keyArn);
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [access.appSecrets.secretArn] }),
  );
  fn.addToRolePolicy(new PolicyStatement({ actions: ['kms:Encrypt', 'kms:Decrypt'], resources: [access.tokenKey.keyArn] }));
}

/** Sending from the verified SES identity of MAIL_FROM's domain, with the links' base address. */
export function grantSendEmail(fn: NodejsFunction, mailFrom: string, appUrl: string): void {
  fn.addEnvironment('MAIL_FROM', mailFrom);
  fn.addEnvironment('APP_URL', appUrl);
  const domain = mailFrom.replace(/^.*<|>$/g, '').split('@')[1];
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [Stack.of(fn).formatArn({ service: 'ses', resource: 'identity', resourceName: domain })],
    }),
  );
}
