import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { tracer } from '../runtime/observability';
import type { DeadLetters } from './redrive';
import type { ParkedResult, ParkingQueue } from './sender';

const MAX_ATTEMPTS = 4;

/**
 * The parking queue's one adapter: SQS, with the delay on each message (at most 15 minutes, as
 * SQS allows). Locally the same client speaks to the local runtime's queue (AWS_ENDPOINT_URL_SQS).
 */
export class SqsParkingQueue implements ParkingQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly client = tracer.captureAWSv3Client(new SQSClient({})),
  ) {}

  async park(results: readonly ParkedResult[], delaySeconds: number): Promise<void> {
    for (let start = 0; start < results.length; start += 10) {
      let entries = results.slice(start, start + 10).map((result, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(result),
        DelaySeconds: Math.max(0, Math.min(900, Math.round(delaySeconds))),
      }));
      for (let attempt = 1; entries.length; attempt++) {
        const answer = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((answer.Failed ?? []).map((failure) => failure.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
        if (entries.length && attempt >= MAX_ATTEMPTS) throw new Error(`SQS did not take ${entries.length} parked results`);
      }
    }
  }
}

/** A dead-letter queue on SQS, for the redrive: letters are hidden for a while when received, and deleted once handled. */
export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly queueUrl: string,
    private readonly client = new SQSClient({}),
  ) {}

  async receive(max: number): Promise<{ id: string; body: string; receipt: string }[]> {
    const { Messages } = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: 1,
        VisibilityTimeout: 300,
      }),
    );
    return (Messages ?? []).map((message) => ({
      id: message.MessageId ?? '',
      body: message.Body ?? '',
      receipt: message.ReceiptHandle ?? '',
    }));
  }

  async remove(receipt: string): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt }));
  }

  async release(receipt: string): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt, VisibilityTimeout: 0 }),
    );
  }
}
