import { CfnOutput, Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { parkingQueue, resultStream, senderAssembly, SENDER_TIMEOUT_SECONDS } from '../../shared/results/resultsSource';
import { HubFunction, type AssemblyAccess } from './hubFunction';
import { acknowledgeNag } from './nag';

export interface ResultsSenderProps {
  table: ITableV2;
  assembly: AssemblyAccess;
}

/**
 * Marked results to Assembly: the table's stream, filtered to result items, and the parking
 * queue both feed one sender (functions/results/send.ts), with the limits declared in
 * shared/results/resultsSource.ts. A stream batch that keeps failing goes to the dead-letter
 * queue; a message in either dead-letter queue raises an alarm.
 */
export class ResultsSender extends Construct {
  readonly function: HubFunction;
  readonly deadLetters: Queue;
  readonly parked: Queue;

  constructor(scope: Construct, id: string, props: ResultsSenderProps) {
    super(scope, id);
    this.deadLetters = this.queue('DeadLetters', { retentionPeriod: Duration.days(14) });
    const parkedDeadLetters = this.queue('ParkedDeadLetters', { retentionPeriod: Duration.days(14) });
    this.parked = this.queue('Parked', {
      visibilityTimeout: Duration.seconds(parkingQueue.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: parkedDeadLetters, maxReceiveCount: parkingQueue.maxReceiveCount },
    });
    // What `npm run results -- redrive` takes, as the operator's environment.
    for (const [name, queue] of [
      ['RESULTS_DEAD_LETTER_QUEUE_URL', this.deadLetters],
      ['RESULTS_PARKED_DEAD_LETTER_QUEUE_URL', parkedDeadLetters],
      ['RESULTS_PARKING_QUEUE_URL', this.parked],
    ] as const)
      new CfnOutput(this, name.replace(/_/g, ''), {
        description: `${name} for npm run results -- redrive`,
        value: queue.queueUrl,
      });
    for (const queue of [this.deadLetters, parkedDeadLetters])
      acknowledgeNag(
        queue,
        'SQS3',
        'This queue is itself a dead-letter queue: what reaches it is kept 14 days and raises an alarm.',
      );

    this.function = new HubFunction(this, 'Sender', {
      handlerModule: 'results/send',
      table: props.table,
      assembly: props.assembly,
      timeout: Duration.seconds(SENDER_TIMEOUT_SECONDS),
      memorySize: 512,
      environment: {
        ASSEMBLY_TIMEOUT_MS: String(senderAssembly.timeoutMs),
        ASSEMBLY_MAX_RETRIES: String(senderAssembly.maxRetries),
      },
    });
    const fn = this.function.function;
    fn.addEnvironment('RESULTS_PARKING_QUEUE_URL', this.parked.queueUrl);
    this.parked.grantSendMessages(fn);
    fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: resultStream.batchSize,
        bisectBatchOnError: resultStream.bisectBatchOnError,
        retryAttempts: resultStream.retryAttempts,
        maxRecordAge: Duration.seconds(resultStream.maxRecordAgeSeconds),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.deadLetters),
        filters: [FilterCriteria.filter(resultStream.filter)],
      }),
    );
    fn.addEventSource(new SqsEventSource(this.parked, { batchSize: parkingQueue.batchSize, reportBatchItemFailures: true }));

    this.alarmOnDepth(
      'DeadLettersWaiting',
      this.deadLetters,
      'Results the stream gave up on: look at the sender’s logs, then redrive',
    );
    this.alarmOnDepth('ParkedDeadLettersWaiting', parkedDeadLetters, 'Parked results the sender could not handle');
  }

  private queue(id: string, props: ConstructorParameters<typeof Queue>[2]): Queue {
    return new Queue(this, id, { ...props, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  }

  private alarmOnDepth(id: string, queue: IQueue, description: string): void {
    new Alarm(this, id, {
      alarmDescription: description,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
