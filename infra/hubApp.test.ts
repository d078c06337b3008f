import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handlerModules, moduleStartsLoad, moduleStartsSync, moduleUsesAssembly, routes } from '../shared/http/routes';
import { buildHubApp } from './hubApp';
import { EDGE_RATE_LIMITS, GETTING_IN_PATHS } from './stacks/edgeStack';
import { CONTENT_SECURITY_POLICY } from '../shared/http/securityHeaders';
import { isLambdaTask, NIGHTLY_CENTRES_AT_ONCE, stateMachines, syncPipelineTasks } from './pipeline/syncPipeline';
import { erasureSchedule } from '../shared/users/eraseSweep';
import { nightlySchedule } from '../shared/nightly/schedule';
import { parkingQueue, resultStream, resultStreamFilter } from '../shared/results/resultsSource';
import { PIPELINE_TIMEOUT_SECONDS, RUN_LOCK_SECONDS } from '../shared/sync/runs';

function webAssets(): string {
  const dir = mkdtempSync(join(tmpdir(), 'web-dist-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Admin Hub</title>');
  return dir;
}

/** Bundling is skipped here (esbuild runs in `npm run synth`); everything else is the real app. */
const CERTIFICATE = 'arn:aws:acm:eu-west-2:111111111111:certificate/00000000-0000-0000-0000-000000000000';

function synthApp(extra?: (app: App) => void, apiDomain?: { name: string; certificateArn: string }) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
  const stacks = buildHubApp(app, {
    env: { account: '111111111111', region: 'eu-west-2' },
    webAssetDir: webAssets(),
    appUrl: 'https://hub.example.org',
    assemblyEnvironment: 'sandbox',
    assemblyClientId: 'client-id',
    mailFrom: 'Admin Hub <no-reply@hub.example.org>',
    ...(apiDomain ? { apiDomain } : {}),
  });
  extra?.(app);
  const assembly = app.synth();
  return {
    assembly,
    stateful: Template.fromStack(stacks.stateful),
    api: Template.fromStack(stacks.api),
    web: Template.fromStack(stacks.web),
    edge: { stack: stacks.edge, template: Template.fromStack(stacks.edge) },
  };
}

describe('CDK app', () => {
  const { stateful, api, web } = synthApp();

  it('keeps the Hub table safe: streams with both images, TTL, PITR, deletion protection, a rotated KMS key', () => {
    stateful.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'ByMisId' })],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
    });
    stateful.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    stateful.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
  });

  it('has one Node 22 ARM64 traced function per handler module and pipeline task, each with its own log retention', () => {
    const functions = api.findResources('AWS::Lambda::Function');
    // One function per Lambda substitution (two states may run one function; a child machine is no function).
    const taskCount = Object.values(stateMachines).reduce(
      (sum, machine) =>
        sum + new Set(Object.values(machine.tasks).flatMap((task) => (isLambdaTask(task) ? [task.substitution] : []))).size,
      0,
    );
    // And the results sender and the erasure sweep.
    expect(Object.keys(functions)).toHaveLength(handlerModules().length + taskCount + 2);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        // Powertools' environment: one service, metrics namespace and log level; errors kept out of traces.
        Environment: {
          Variables: {
            POWERTOOLS_SERVICE_NAME: 'admin-hub-mis-sync',
            POWERTOOLS_METRICS_NAMESPACE: 'AdminHubMisSync',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
          },
        },
      });
    }
    // One per function, the API's access logs and each state machine's logs.
    api.resourceCountIs('AWS::Logs::LogGroup', Object.keys(functions).length + 1 + Object.keys(stateMachines).length);
    api.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('declares exactly the routes in shared/http/routes.ts, with access logs and throttling on the stage', () => {
    const declared = api.findResources('AWS::ApiGatewayV2::Route');
    expect(
      Object.values(declared)
        .map((route) => route.Properties.RouteKey)
        .sort(),
    ).toEqual([...routes.map((route) => `${route.method} ${route.path}`), '$default'].sort());
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
    });
  });

  it('grants functions the table and its index by name, never a wildcard', () => {
    const policies = JSON.stringify(api.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('/index/ByMisId');
    expect(policies).not.toContain('/index/*');
    expect(policies).not.toMatch(/kms:[A-Za-z]*\*/);
  });

  it('serves the wizard from a private bucket through CloudFront OAC and sends /api/* to the API', () => {
    web.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    web.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/api/*',
            ViewerProtocolPolicy: 'https-only',
            AllowedMethods: Match.arrayWith(['POST', 'DELETE']),
          }),
        ],
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
      }),
    });
  });
});

describe('the edge', () => {
  const { api, web, edge } = synthApp();

  it('sends the origin secret from Secrets Manager to the API, which every HTTP function checks', () => {
    const [distribution] = Object.values(web.findResources('AWS::CloudFront::Distribution'));
    const apiOrigin = (distribution!.Properties.DistributionConfig.Origins as { OriginCustomHeaders?: unknown[] }[]).find(
      (origin) => origin.OriginCustomHeaders,
    )!;
    expect(JSON.stringify(apiOrigin.OriginCustomHeaders)).toMatch(
      /x-origin-verify.*resolve:secretsmanager:.*:SecretString:current/,
    );
    const httpFunctions = Object.values(api.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Environment.Variables.ORIGIN_SECRET_ARN,
    );
    expect(httpFunctions).toHaveLength(handlerModules().length);
    for (const fn of httpFunctions) expect(fn.Properties.Environment.Variables.TRUST_VIEWER_ADDRESS).toBe('true');
  });

  it('forwards the viewer address and never the Host header to the API', () => {
    web.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
      OriginRequestPolicyConfig: Match.objectLike({
        HeadersConfig: {
          HeaderBehavior: 'whitelist',
          Headers: Match.arrayWith(['CloudFront-Viewer-Address']),
        },
      }),
    });
    const [policy] = Object.values(web.findResources('AWS::CloudFront::OriginRequestPolicy'));
    expect(policy!.Properties.OriginRequestPolicyConfig.HeadersConfig.Headers).not.toContain('Host');
  });

  it('sends a Content-Security-Policy with no inline script that forbids framing', () => {
    web.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { ContentSecurityPolicy: CONTENT_SECURITY_POLICY, Override: true },
        }),
      }),
    });
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  it('rate-limits sign-in, forgot-password and set-password with a CLOUDFRONT web ACL in us-east-1', () => {
    expect(edge.stack.region).toBe('us-east-1');
    edge.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'GettingInRate',
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: EDGE_RATE_LIMITS.gettingIn,
              AggregateKeyType: 'IP',
              ScopeDownStatement: {
                OrStatement: {
                  Statements: GETTING_IN_PATHS.map((path) =>
                    Match.objectLike({ ByteMatchStatement: Match.objectLike({ SearchString: path }) }),
                  ),
                },
              },
            }),
          },
        }),
      ]),
    });
    const [distribution] = Object.values(web.findResources('AWS::CloudFront::Distribution'));
    expect(distribution!.Properties.DistributionConfig.WebACLId).toBeDefined();
  });

  it('switches the execute-api endpoint off when the API has its own domain, and CloudFront uses that domain', () => {
    const withDomain = synthApp(undefined, { name: 'api.hub.example.org', certificateArn: CERTIFICATE });
    withDomain.api.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    withDomain.api.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'api.hub.example.org' });
    expect(JSON.stringify(withDomain.web.findResources('AWS::CloudFront::Distribution'))).toContain('api.hub.example.org');
    api.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: false });
  });
});

describe('sync pipeline', () => {
  const { api } = synthApp();

  it('alarms on failed executions, and on the first that timed out or was aborted, of each state machine', () => {
    const machines = Object.keys(stateMachines).length;
    const alarms = Object.values(api.findResources('AWS::CloudWatch::Alarm'));
    const failed = alarms.filter((alarm) => alarm.Properties.MetricName === 'ExecutionsFailed');
    expect(failed).toHaveLength(machines);
    for (const alarm of failed) expect(alarm.Properties).toMatchObject({ Namespace: 'AWS/States', Threshold: 3 });
    const unrecorded = alarms.filter((alarm) =>
      JSON.stringify(alarm.Properties.Metrics ?? []).match(
        /ExecutionsTimedOut.*ExecutionsAborted|ExecutionsAborted.*ExecutionsTimedOut/,
      ),
    );
    expect(unrecorded).toHaveLength(machines);
    for (const alarm of unrecorded) expect(alarm.Properties.Threshold).toBe(1);
  });

  it('waits out Assembly’s 5-minute rate-limit window in the load job, not inside a Lambda', () => {
    const definition = JSON.parse(readFileSync(stateMachines.load.asl, 'utf8')) as {
      States: Record<
        string,
        {
          Retry?: {
            ErrorEquals: string[];
            IntervalSeconds?: number;
            BackoffRate?: number;
            MaxAttempts?: number;
            MaxDelaySeconds?: number;
          }[];
        }
      >;
    };
    const retry = definition.States.Fetch!.Retry!.find((rule) => rule.ErrorEquals.includes('AssemblyRateLimitError'))!;
    const waits = Array.from({ length: retry.MaxAttempts! }, (_, attempt) =>
      Math.min(retry.MaxDelaySeconds ?? Infinity, retry.IntervalSeconds! * (retry.BackoffRate ?? 2) ** attempt),
    );
    expect(waits.reduce((sum, wait) => sum + wait, 0)).toBeGreaterThanOrEqual(300);
    expect(Math.max(...waits)).toBeLessThanOrEqual(300);
  });

  it('deploys the shared ASL definition with every task substituted, traced and logged', () => {
    const machine = Object.values(api.findResources('AWS::StepFunctions::StateMachine')).find(
      (candidate) => 'BackupFunctionArn' in candidate.Properties.DefinitionSubstitutions,
    );
    expect(Object.keys(machine!.Properties.DefinitionSubstitutions).sort()).toEqual(
      Object.values(syncPipelineTasks)
        .map((task) => task.substitution)
        .sort(),
    );
    expect(machine!.Properties).toMatchObject({
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL' },
    });
    // The ASL file itself is the deployed definition (uploaded as an asset).
    expect(machine!.Properties.DefinitionS3Location).toBeDefined();
  });

  it('lets only the panels’ functions start runs and load jobs: one function per panel', () => {
    const starters = (variable: string) =>
      Object.values(api.findResources('AWS::Lambda::Function')).filter((fn) => fn.Properties.Environment.Variables[variable]);
    const panels = handlerModules().filter(moduleStartsSync);
    expect(panels.sort()).toEqual(['sync/classes', 'sync/pupils', 'sync/teachers', 'sync/yearGroups']);
    expect(starters('SYNC_STATE_MACHINE_ARN')).toHaveLength(panels.length);
    expect(starters('LOAD_STATE_MACHINE_ARN')).toHaveLength(handlerModules().filter(moduleStartsLoad).length);
  });

  it('holds a run’s lock longer than the state machine can run, so a lock never lapses under a live run', () => {
    expect(RUN_LOCK_SECONDS).toBeGreaterThan(PIPELINE_TIMEOUT_SECONDS);
    for (const machine of Object.values(stateMachines))
      expect((JSON.parse(readFileSync(machine.asl, 'utf8')) as { TimeoutSeconds?: number }).TimeoutSeconds).toBe(
        machine.timeoutSeconds,
      );
    expect(stateMachines.sync.timeoutSeconds).toBe(PIPELINE_TIMEOUT_SECONDS);
  });

  it('catches a failure in every task, Finish included, so the run is recorded and the lock released', () => {
    const definition = JSON.parse(readFileSync(stateMachines.sync.asl, 'utf8')) as {
      States: Record<string, { Type: string; Catch?: { Next: string }[] }>;
    };
    const tasks = Object.entries(definition.States).filter(([name, state]) => state.Type === 'Task' && name !== 'RecordFailure');
    expect(tasks.map(([name]) => name).sort()).toEqual(
      Object.keys(syncPipelineTasks)
        .filter((name) => name !== 'RecordFailure')
        .sort(),
    );
    for (const [, state] of tasks) expect(state.Catch?.[0]?.Next).toBe('RecordFailure');
  });
});

describe('Assembly access', () => {
  const { api, stateful } = synthApp();

  it('gives only the functions that call Assembly its configuration, the app secret and the token key', () => {
    const functions = Object.values(api.findResources('AWS::Lambda::Function'));
    const withAssembly = functions.filter((fn) => fn.Properties.Environment.Variables.ASSEMBLY_API_URL);
    const assemblyTasks = Object.values(stateMachines).flatMap((machine) =>
      Object.values(machine.tasks).filter((task) => 'usesAssembly' in task && task.usesAssembly),
    );
    // And the results sender.
    expect(withAssembly).toHaveLength(handlerModules().filter(moduleUsesAssembly).length + assemblyTasks.length + 1);
    expect(withAssembly.length).toBeLessThan(functions.length);
    expect(withAssembly[0]!.Properties.Environment.Variables).toMatchObject({
      ASSEMBLY_API_URL: 'https://api-sandbox.assembly.education',
      ASSEMBLY_OAUTH_URL: 'https://sandbox.assembly.education',
      ASSEMBLY_CLIENT_ID: 'client-id',
      APP_URL: 'https://hub.example.org',
      APP_SECRETS_ARN: expect.anything(),
      TOKEN_KMS_KEY_ID: expect.anything(),
    });
    // The app secret and the origin secret.
    stateful.resourceCountIs('AWS::SecretsManager::Secret', 2);
    stateful.resourcePropertiesCountIs('AWS::KMS::Key', { EnableKeyRotation: true }, 2);
  });
});

describe('nightly sync', () => {
  const { api } = synthApp();
  const nightlyMachine = () =>
    Object.entries(api.findResources('AWS::StepFunctions::StateMachine')).find(
      ([, candidate]) => 'PlanCentreFunctionArn' in candidate.Properties.DefinitionSubstitutions,
    )!;

  it('is started by an EventBridge Scheduler schedule at the declared time, London time, and by nothing else', () => {
    const [machineId] = nightlyMachine();
    const schedules = Object.values(api.findResources('AWS::Scheduler::Schedule')).filter(
      (schedule) => schedule.Properties.ScheduleExpression === nightlySchedule.expression,
    );
    expect(schedules).toHaveLength(1);
    expect(schedules[0]!.Properties).toMatchObject({
      ScheduleExpression: nightlySchedule.expression,
      ScheduleExpressionTimezone: 'Europe/London',
      Target: { Arn: { Ref: machineId } },
    });
    // The scheduler's role may start this machine only.
    const roleId = (schedules[0]!.Properties.Target.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policies = Object.values(api.findResources('AWS::IAM::Policy')).filter((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
    );
    const statements = policies.flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    expect(statements).toEqual([expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: machineId } })]);
  });

  it('erases deleted pupils daily: a schedule that may invoke the sweep only', () => {
    const [schedule, ...others] = Object.values(api.findResources('AWS::Scheduler::Schedule')).filter(
      (candidate) => candidate.Properties.ScheduleExpression === erasureSchedule.expression,
    );
    expect(others).toEqual([]);
    expect(schedule!.Properties.ScheduleExpressionTimezone).toBe('Europe/London');
    const functionId = (schedule!.Properties.Target.Arn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(api.toJSON().Resources[functionId].Properties.Handler).toBeDefined();
    const roleId = (schedule!.Properties.Target.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = Object.values(api.findResources('AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.Action).toBe('lambda:InvokeFunction');
    expect(JSON.stringify(statements[0]!.Resource)).toContain(functionId);
  });

  it('runs a Distributed Map over each page of centres with a concurrency bound, and the pipeline as a child', () => {
    const [, machine] = nightlyMachine();
    expect(machine.Properties.DefinitionSubstitutions.MapMode).toBe('DISTRIBUTED');
    const definition = JSON.parse(readFileSync(stateMachines.nightly.asl, 'utf8')) as {
      States: Record<string, { MaxConcurrency?: number; ItemProcessor?: { States: Record<string, { Resource?: string }> } }>;
    };
    expect(definition.States.ForEachCentre!.MaxConcurrency).toBe(NIGHTLY_CENTRES_AT_ONCE);
    expect(definition.States.ForEachCentre!.ItemProcessor!.States.RunPipeline!.Resource).toBe(
      'arn:aws:states:::states:startExecution.sync:2',
    );
    const [syncId] = Object.entries(api.findResources('AWS::StepFunctions::StateMachine')).find(
      ([, candidate]) => 'BackupFunctionArn' in candidate.Properties.DefinitionSubstitutions,
    )!;
    expect(machine.Properties.DefinitionSubstitutions.SyncStateMachineArn).toEqual({ Ref: syncId });
  });
});

describe('results stream', () => {
  const { api } = synthApp();

  it('feeds the sender only result items, reports failures by record, bisects, retries a bounded number of times, then dead-letters', () => {
    api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: Match.anyValue(),
      StartingPosition: 'LATEST',
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(resultStreamFilter) }] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: resultStream.retryAttempts,
      MaximumRecordAgeInSeconds: resultStream.maxRecordAgeSeconds,
      BatchSize: resultStream.batchSize,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    expect(JSON.parse(JSON.stringify(resultStreamFilter))).toEqual({
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { NewImage: { type: { S: ['result'] } } },
    });
  });

  it('consumes the parking queue with the same sender, with partial batch failures and its own dead-letter queue', () => {
    const mappings = Object.values(api.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(2);
    expect(new Set(mappings.map((mapping) => JSON.stringify(mapping.Properties.FunctionName))).size).toBe(1);
    api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: parkingQueue.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: Match.absent(),
    });
    api.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: parkingQueue.visibilityTimeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: parkingQueue.maxReceiveCount },
      SqsManagedSseEnabled: true,
    });
    api.resourceCountIs('AWS::SQS::Queue', 3);
  });

  it('alarms when the erasure sweep fails, or has not run for two days', () => {
    const alarms = Object.values(api.findResources('AWS::CloudWatch::Alarm')).filter((alarm) =>
      String(alarm.Properties.AlarmDescription ?? '').includes('erasure sweep'),
    );
    expect(alarms.map((alarm) => [alarm.Properties.MetricName, alarm.Properties.ComparisonOperator]).sort()).toEqual([
      ['Errors', 'GreaterThanOrEqualToThreshold'],
      ['Invocations', 'LessThanThreshold'],
    ]);
    const missing = alarms.find((alarm) => alarm.Properties.MetricName === 'Invocations')!;
    expect(missing.Properties).toMatchObject({ TreatMissingData: 'breaching', EvaluationPeriods: 2, Period: 86_400 });
  });

  it('alarms as soon as a dead-letter queue holds a message', () => {
    const alarms = Object.values(api.findResources('AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
    );
    expect(alarms).toHaveLength(2);
    for (const alarm of alarms)
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
  });
});

describe('cdk-nag', () => {
  it('passes the AWS Solutions checks with every acknowledgement carrying a reason', () => {
    const { assembly } = synthApp();
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: {
        pluginName: string;
        conclusion: string;
        violations: unknown[];
        suppressedViolations: { reason?: string }[];
      }[];
    };
    const nag = report.pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions')!;
    expect(nag.conclusion).toBe('success');
    expect(nag.violations).toEqual([]);
    for (const suppressed of nag.suppressedViolations) expect(suppressed.reason?.length).toBeGreaterThan(20);
  });

  it('is really on: an unacknowledged finding fails synthesis', () => {
    expect(() =>
      synthApp((app) => {
        const careless = new Stack(app, 'Careless', { env: { account: '111111111111', region: 'eu-west-2' } });
        new Bucket(careless, 'NoLogsNoSsl');
      }),
    ).toThrow(/AwsSolutions-S1|AwsSolutions-S10|Validation failed/);
  });
});
