import { AsyncLocalStorage } from 'node:async_hooks';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Dependencies } from '../../shared/runtime/dependencies';
import { createDocumentClient, DynamoHubStore } from '../../shared/store/dynamo/dynamoHubStore';

/**
 * Faults injected into the pipeline's tasks as they run on the local engines: DynamoDB
 * throttling, cancelled transactions and lost answers (which DynamoDB Local cannot produce, so
 * aws-sdk-client-mock stands between the store and it, passing every call through), and a task
 * that dies after its Nth write. Each task invocation of the local Step Functions runs in its own
 * `TaskInvocation` (through `aroundTask`), so a fault can aim at one step's first chunk, and a
 * dead invocation writes and sends nothing more, as a Lambda that timed out does.
 */
export interface TaskInvocation {
  state: string;
  /** 1 for the state's first invocation in the current case, 2 for the next (the next chunk, or a retry). */
  invocation: number;
  writes: number;
  dead: boolean;
}

export type DynamoFault =
  /** Refused as throttled, after the SDK's own retries: the store or the state machine must try again. */
  | 'throttle'
  /** A transaction cancelled by a concurrent one touching the same item (TransactionConflict). */
  | 'conflict'
  /** Written, but the answer lost: the SDK sends it again, meeting its own write's condition. */
  | 'ackLost'
  /** Written, then the task dies (a Lambda timeout or crash) and the state machine retries it. */
  | 'crash';

export interface WriteCall {
  state: string;
  invocation: number;
  /** 1-based, within the invocation. */
  write: number;
  command: string;
  input: unknown;
}

export type FaultPlan = (call: WriteCall) => DynamoFault | null;

const tasks = new AsyncLocalStorage<TaskInvocation>();
let invocations = new Map<string, number>();
let plan: FaultPlan = () => null;

/**
 * For the local Step Functions' `aroundTask`: each invocation numbered per state. The plan is
 * asked first with write 0: 'crash' there kills the invocation before it does anything.
 */
export function aroundTask<T>(state: string, invoke: () => Promise<T>): Promise<T> {
  const invocation = (invocations.get(state) ?? 0) + 1;
  invocations.set(state, invocation);
  if (plan({ state, invocation, write: 0, command: 'TaskStart', input: null }) === 'crash')
    return Promise.reject(new InvocationEnded());
  return tasks.run({ state, invocation, writes: 0, dead: false }, invoke);
}

class InvocationEnded extends Error {
  constructor() {
    super('The task invocation has ended');
    this.name = 'Sandbox.Timedout';
  }
}

const READS = { GetCommand, QueryCommand, ScanCommand } as const;
const WRITES = { PutCommand, UpdateCommand, DeleteCommand, TransactWriteCommand, BatchWriteCommand } as const;
type AnyCommand = new (input: { TransactItems?: unknown[] }) => object;

/**
 * Replaces the dependencies' store with one whose DynamoDB calls go through the current plan,
 * and wraps the mailer so that a dead invocation sends nothing. Installed once per test file:
 * the writes of a dead invocation's stragglers keep failing after its case has ended.
 */
export function installFaults(deps: Dependencies, tableName: string) {
  const documents: DynamoDBDocumentClient = createDocumentClient();
  const send = documents.send.bind(documents) as (command: object) => Promise<unknown>;
  const mock = mockClient(documents);
  let seen: (WriteCall & { fault: DynamoFault | null })[] = [];
  const alive = () => {
    if (tasks.getStore()?.dead) throw new InvocationEnded();
  };
  for (const Command of Object.values(READS) as unknown as AnyCommand[])
    mock.on(Command as never).callsFake((input: { TransactItems?: unknown[] }) => {
      alive();
      return send(new Command(input));
    });
  for (const [name, Command] of Object.entries(WRITES) as unknown as [string, AnyCommand][])
    mock.on(Command as never).callsFake(async (input: { TransactItems?: unknown[] }) => {
      alive();
      const task = tasks.getStore();
      if (!task) return send(new Command(input));
      const call: WriteCall = { state: task.state, invocation: task.invocation, write: ++task.writes, command: name, input };
      const fault = plan(call);
      seen.push({ ...call, input: undefined, fault });
      if (fault === 'throttle') throw throttled(name, input);
      if (fault === 'conflict' && name === 'TransactWriteCommand') throw cancelled(input, 'TransactionConflict');
      const answer = await send(new Command(input));
      if (fault === 'ackLost') return send(new Command(input));
      if (fault === 'crash') {
        task.dead = true;
        throw new InvocationEnded();
      }
      return answer;
    });
  const mailer = deps.mailer();
  const mail = mailer.send;
  mailer.send = async (email) => {
    alive();
    return mail(email);
  };
  const store = deps.store;
  deps.store = new DynamoHubStore(documents, tableName);
  return {
    /** Starts a case: this plan from now on, invocations counted from 1, nothing seen yet. */
    startCase(next: FaultPlan) {
      plan = next;
      seen = [];
      invocations = new Map();
    },
    seen: () => seen,
    restore() {
      mock.restore();
      mailer.send = mail;
      deps.store = store;
    },
  };
}

function throttled(command: string, input: { TransactItems?: unknown[] }): Error {
  if (command === 'TransactWriteCommand') return cancelled(input, 'ThrottlingError');
  return Object.assign(new Error('The level of configured provisioned throughput for the table was exceeded'), {
    name: 'ProvisionedThroughputExceededException',
    $retryable: { throttling: true },
  });
}

function cancelled(input: { TransactItems?: unknown[] }, code: string): TransactionCanceledException {
  const items = input.TransactItems?.length ?? 1;
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${code}]`,
    $metadata: {},
    CancellationReasons: Array.from({ length: items }, (_, index) => ({ Code: index === 0 ? code : 'None' })),
  });
}
