import { CfnOutput, Duration, Fn, Stack, TimeZone, type StackProps } from 'aws-cdk-lib';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { erasureSchedule } from '../../shared/users/eraseSweep';
import { nightlySchedule } from '../../shared/nightly/schedule';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  ApiMapping,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import {
  FALLBACK_HANDLER,
  handlerModules,
  moduleSendsEmail,
  moduleStartsLoad,
  moduleStartsSync,
  moduleUsesAssembly,
  routes,
} from '../../shared/http/routes';
import { stateMachines } from '../pipeline/syncPipeline';
import { SyncPipeline } from '../constructs/syncPipeline';
import { grantSendEmail, HubFunction, type AssemblyAccess } from '../constructs/hubFunction';
import { acknowledgeNag } from '../constructs/nag';
import { ResultsSender } from '../constructs/resultsSender';

export interface ApiStackProps extends StackProps {
  table: ITableV2;
  /** Assembly configuration and the secret and key that go with it. */
  assembly: AssemblyAccess;
  /** Sender of welcome emails; its domain must be a verified SES identity. */
  mailFrom: string;
  /** What CloudFront sends in the origin header: every HTTP function refuses requests without it. */
  originSecret: ISecret;
  /**
   * A custom domain for the API (CloudFront's origin): when given, the default execute-api
   * endpoint is switched off, so the API answers only at this name.
   */
  domain?: ApiDomain;
}

export interface ApiDomain {
  name: string;
  /** An ACM certificate for `name`, in the API's region. */
  certificateArn: string;
}

/** The HTTP API: one Lambda per handler module, one route per declared route. */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  /** The host name CloudFront sends API requests to. */
  readonly originDomain: string;
  readonly pipeline: SyncPipeline;
  readonly loadJobs: SyncPipeline;
  readonly results: ResultsSender;
  readonly nightly: SyncPipeline;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const domainName = props.domain
      ? new DomainName(this, 'ApiDomain', {
          domainName: props.domain.name,
          certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', props.domain.certificateArn),
        })
      : undefined;
    this.api = new HttpApi(this, 'HttpApi', {
      createDefaultStage: false,
      description: 'Admin Hub MIS Sync API',
      disableExecuteApiEndpoint: Boolean(domainName),
    });
    this.originDomain = domainName ? props.domain!.name : Fn.select(2, Fn.split('/', this.api.apiEndpoint));
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS })),
      },
    });

    if (domainName) {
      new ApiMapping(this, 'ApiMapping', { api: this.api, domainName, stage });
      new CfnOutput(this, 'ApiDomainTarget', {
        description: `Point ${props.domain!.name} (CNAME or alias) at this name`,
        value: domainName.regionalDomainName,
      });
    }

    const machine = { table: props.table, appUrl: props.assembly.environment.APP_URL!, mailFrom: props.mailFrom };
    this.pipeline = new SyncPipeline(this, 'SyncPipeline', { ...machine, declaration: stateMachines.sync });
    this.loadJobs = new SyncPipeline(this, 'LoadJobs', { ...machine, declaration: stateMachines.load, assembly: props.assembly });
    this.results = new ResultsSender(this, 'ResultsSender', { table: props.table, assembly: props.assembly });
    this.nightly = new SyncPipeline(this, 'NightlySync', {
      ...machine,
      declaration: stateMachines.nightly,
      assembly: props.assembly,
      children: { sync: this.pipeline.stateMachine },
    });
    // The schedule declared once (shared/nightly/schedule.ts); the scheduler's own role may start only this machine.
    new Schedule(this, 'NightlySchedule', {
      description: 'The nightly MIS sync over every connected centre',
      schedule: ScheduleExpression.expression(nightlySchedule.expression, TimeZone.of(nightlySchedule.timezone)),
      target: new StepFunctionsStartExecution(this.nightly.stateMachine, { input: ScheduleTargetInput.fromObject({}) }),
    });
    // The daily erasure sweep (shared/users/eraseSweep.ts): deleted pupils erased for good after six months.
    const eraseSweep = new HubFunction(this, 'EraseSweep', {
      handlerModule: 'users/eraseSweep',
      table: props.table,
      timeout: Duration.minutes(10),
    });
    const erasureRole = new Role(this, 'ErasureSchedulerRole', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') });
    new Schedule(this, 'ErasureSchedule', {
      description: 'Erases pupils deleted six months ago, with their results and backups',
      schedule: ScheduleExpression.expression(erasureSchedule.expression, TimeZone.of(erasureSchedule.timezone)),
      target: new LambdaInvoke(eraseSweep.function, { input: ScheduleTargetInput.fromObject({}), role: erasureRole }),
    });
    // A sweep that fails, or does not run, leaves pupils past their six months: someone must act within the TTL's grace.
    new Alarm(this, 'ErasureSweepFailed', {
      alarmDescription: 'The daily erasure sweep failed: pupils deleted six months ago may not be erased',
      metric: eraseSweep.function.metricErrors({ period: Duration.days(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    new Alarm(this, 'ErasureSweepMissing', {
      alarmDescription: 'The daily erasure sweep has not run for two days',
      metric: eraseSweep.function.metricInvocations({ period: Duration.days(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 2,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
    });
    const sweepId = Stack.of(this).getLogicalId(eraseSweep.function.node.defaultChild as CfnFunction);
    acknowledgeNag(
      erasureRole,
      `IAM5[Resource::<${sweepId}.Arn>:*]`,
      'The scheduler may invoke the erasure sweep only: its versions (":*") are the same function.',
    );
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const module of handlerModules()) {
      const id = module.replace(/[^A-Za-z0-9]/g, '-');
      const fn = new HubFunction(this, id, {
        handlerModule: module,
        table: props.table,
        ...(moduleUsesAssembly(module) ? { assembly: props.assembly } : {}),
      });
      integrations.set(module, new HttpLambdaIntegration(`${id}-integration`, fn.function));
      // Requests reach the API only through CloudFront, so its viewer-address header can be trusted.
      fn.function.addEnvironment('ORIGIN_SECRET_ARN', props.originSecret.secretArn);
      fn.function.addEnvironment('TRUST_VIEWER_ADDRESS', 'true');
      props.originSecret.grantRead(fn.function);
      if (moduleStartsSync(module)) {
        this.pipeline.stateMachine.grantStartExecution(fn.function);
        fn.function.addEnvironment(stateMachines.sync.arnVariable, this.pipeline.stateMachine.stateMachineArn);
      }
      if (moduleSendsEmail(module)) grantSendEmail(fn.function, props.mailFrom, machine.appUrl);
      if (moduleStartsLoad(module)) {
        this.loadJobs.stateMachine.grantStartExecution(fn.function);
        fn.function.addEnvironment(stateMachines.load.arnVariable, this.loadJobs.stateMachine.stateMachineArn);
      }
    }
    for (const route of routes) {
      this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations.get(route.handler)!,
      });
    }
    // Everything else: 405 with Allow or 404, in the app's error shape rather than API Gateway's.
    const fallback = new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: integrations.get(FALLBACK_HANDLER)!,
    });
    acknowledgeNag(
      fallback,
      'APIG4',
      'The $default route only answers 404 or 405; it reads and writes nothing, so it needs no session.',
    );
    acknowledgeNag(
      this.api,
      'APIG4',
      'Authorisation is per route inside each handler, from the HttpOnly session cookie (access declared in shared/http/routes.ts); sign-in itself must be public.',
    );
  }
}
