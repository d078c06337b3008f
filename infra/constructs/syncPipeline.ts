import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnStateMachine, DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { isLambdaTask, taskTimeoutSeconds, type StateMachineDeclaration } from '../pipeline/syncPipeline';
import { grantSendEmail, HubFunction, type AssemblyAccess } from './hubFunction';
import { acknowledgeNag } from './nag';

export interface SyncPipelineProps {
  declaration: StateMachineDeclaration;
  table: ITableV2;
  appUrl: string;
  mailFrom: string;
  /** For tasks that call Assembly (a load job's fetch). */
  assembly?: AssemblyAccess;
  /** The machines this one starts as child executions (`startsMachine`), by name. */
  children?: Partial<Record<'sync', StateMachine>>;
}

/** One of the declared state machines: its shared ASL file, with one Lambda per task substituted in. */
export class SyncPipeline extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: SyncPipelineProps) {
    super(scope, id);
    const substitutions: Record<string, string> = Object.fromEntries(
      Object.entries(props.declaration.constants ?? {}).map(([name, value]) => [name, value.aws]),
    );
    const functions: HubFunction[] = [];
    const children: StateMachine[] = [];
    for (const [state, task] of Object.entries(props.declaration.tasks)) {
      // Two states may run one function (a step reached two ways): one Lambda per substitution.
      if (substitutions[task.substitution]) continue;
      if (!isLambdaTask(task)) {
        const child = props.children?.[task.startsMachine];
        if (!child) throw new Error(`${props.declaration.name} starts ${task.startsMachine}, which was not given`);
        substitutions[task.substitution] = child.stateMachineArn;
        children.push(child);
        continue;
      }
      const fn = new HubFunction(this, state, {
        handlerModule: task.handler,
        table: props.table,
        timeout: Duration.seconds(taskTimeoutSeconds(task)),
        environment: { APP_URL: props.appUrl, MAIL_FROM: props.mailFrom },
        ...(task.usesAssembly && props.assembly ? { assembly: props.assembly } : {}),
      });
      substitutions[task.substitution] = fn.function.functionArn;
      functions.push(fn);
      if (task.sendsEmail) grantSendEmail(fn.function, props.mailFrom, props.appUrl);
    }
    // A Distributed Map starts child executions of this very machine: its ARN, known before it exists.
    const stateMachineName = `${Stack.of(this).stackName}-${props.declaration.name}`;
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName,
      definitionBody: DefinitionBody.fromFile(props.declaration.asl),
      definitionSubstitutions: substitutions,
      tracingEnabled: true,
      // The timeout is the ASL file's own TimeoutSeconds (CDK's `timeout` is ignored for a file definition).
      logs: {
        destination: new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY }),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });
    // Failed runs are recorded on the run by the Catch; several in a short time mean something
    // is wrong for everyone (Assembly, SES, a bad deploy). A timed-out or aborted execution never
    // reaches the Catch, so its run is left "running" until its lock lapses: alarm on the first.
    new Alarm(this, 'ExecutionsFailed', {
      alarmDescription: `${props.declaration.name}: 3 or more failed executions in 15 minutes`,
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(15), statistic: 'Sum' }),
      threshold: 3,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    new Alarm(this, 'ExecutionsUnrecorded', {
      alarmDescription: `${props.declaration.name}: an execution timed out or was aborted, so its run was not recorded as ended`,
      metric: new MathExpression({
        expression: 'timedOut + aborted',
        usingMetrics: {
          timedOut: this.stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' }),
          aborted: this.stateMachine.metricAborted({ period: Duration.minutes(5), statistic: 'Sum' }),
        },
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const stack = Stack.of(this);
    // How cdk-nag names the region and account in a finding: as given, or as the pseudo-parameters.
    const nagRegion = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const nagAccount = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    if (Object.values(props.declaration.constants ?? {}).some((value) => value.aws === 'DISTRIBUTED')) {
      const own = stack.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: stateMachineName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      const ownExecutions = stack.formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: `${stateMachineName}/*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      this.stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [own] }));
      this.stateMachine.addToRolePolicy(
        new PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [ownExecutions] }),
      );
      acknowledgeNag(
        this.stateMachine,
        `IAM5[Resource::arn:<AWS::Partition>:states:${nagRegion}:${nagAccount}:execution:${stateMachineName}/*]`,
        'A Distributed Map’s child executions of this machine are named by Step Functions at run time.',
      );
    }
    for (const child of children) {
      // startExecution.sync:2: start the child, follow it, stop it if this execution stops; the managed rule that reports its end.
      child.grantStartExecution(this.stateMachine);
      this.stateMachine.addToRolePolicy(
        new PolicyStatement({
          actions: ['states:DescribeExecution', 'states:StopExecution'],
          resources: [
            stack.formatArn({
              service: 'states',
              resource: 'execution',
              resourceName: `${child.stateMachineName}:*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      );
      acknowledgeNag(
        this.stateMachine,
        `IAM5[Resource::arn:<AWS::Partition>:states:${nagRegion}:${nagAccount}:execution:<${stack.getLogicalId(child.node.defaultChild as CfnStateMachine)}.Name>:*]`,
        'The child executions of the sync pipeline this machine starts: their names are made at run time.',
      );
      this.stateMachine.addToRolePolicy(
        new PolicyStatement({
          actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
          resources: [
            stack.formatArn({
              service: 'events',
              resource: 'rule',
              resourceName: 'StepFunctionsGetEventsForStepFunctionsExecutionRule',
            }),
          ],
        }),
      );
    }
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
