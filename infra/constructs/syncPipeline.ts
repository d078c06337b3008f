import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SYNC_PIPELINE_ASL, syncPipelineTasks } from '../pipeline/syncPipeline';
import { HubFunction } from './hubFunction';
import { PIPELINE_TIMEOUT_SECONDS } from '../../shared/sync/runs';
import { acknowledgeNag } from './nag';

export interface SyncPipelineProps {
  table: ITableV2;
  appUrl: string;
  mailFrom: string;
}

/** The sync pipeline: the shared ASL file, with one Lambda per task substituted in. */
export class SyncPipeline extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: SyncPipelineProps) {
    super(scope, id);
    const substitutions: Record<string, string> = {};
    const functions: HubFunction[] = [];
    for (const [state, task] of Object.entries(syncPipelineTasks)) {
      const fn = new HubFunction(this, state, {
        handlerModule: task.handler,
        table: props.table,
        timeout: Duration.minutes(5),
        environment: { APP_URL: props.appUrl, MAIL_FROM: props.mailFrom },
      });
      substitutions[task.substitution] = fn.function.functionArn;
      functions.push(fn);
      if (state === 'Notify') {
        const stack = Stack.of(this);
        const domain = props.mailFrom.replace(/^.*<|>$/g, '').split('@')[1];
        fn.function.addToRolePolicy(
          new PolicyStatement({
            actions: ['ses:SendEmail'],
            resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain })],
          }),
        );
      }
    }
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromFile(SYNC_PIPELINE_ASL),
      definitionSubstitutions: substitutions,
      tracingEnabled: true,
      timeout: Duration.seconds(PIPELINE_TIMEOUT_SECONDS),
      logs: {
        destination: new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY }),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });
    for (const fn of functions) {
      fn.function.grantInvoke(this.stateMachine);
      const arn = Stack.of(this).getLogicalId(fn.function.node.defaultChild as CfnFunction);
      acknowledgeNag(
        this.stateMachine,
        `IAM5[Resource::<${arn}.Arn>:*]`,
        'Invoking a task Lambda covers its versions and aliases (the function ARN with :*), and nothing else.',
      );
    }
    acknowledgeNag(
      this.stateMachine,
      'IAM5[Resource::*]',
      'Step Functions log delivery and X-Ray tracing accept no resource but *.',
    );
  }
}
