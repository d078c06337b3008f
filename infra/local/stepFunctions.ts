import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';

type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };
import {
  isLambdaTask,
  stateMachineDefinition,
  stateMachines,
  taskTimeoutSeconds,
  type StateMachineDeclaration,
} from '../pipeline/syncPipeline';
import type { Context } from 'aws-lambda';
import { invokeLocally } from './lambdaContext';

const FUNCTIONS_DIR = resolve(import.meta.dirname, '../../functions');
const localArn = (declaration: StateMachineDeclaration) =>
  `arn:aws:states:eu-west-2:000000000000:stateMachine:${declaration.name}`;
export const LOCAL_SYNC_STATE_MACHINE_ARN = localArn(stateMachines.sync);
export const LOCAL_LOAD_STATE_MACHINE_ARN = localArn(stateMachines.load);
export const LOCAL_NIGHTLY_STATE_MACHINE_ARN = localArn(stateMachines.nightly);
/** The environment handlers need to find every local state machine, as they find the deployed ones. */
export const localStateMachineEnvironment = Object.fromEntries(
  Object.values(stateMachines).map((declaration) => [declaration.arnVariable, localArn(declaration)]),
);

export interface Execution {
  executionArn: string;
  name: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  /** Every state entered, exited, retried or caught, with its input and output: the execution history. */
  history: unknown[];
}

/**
 * A local Step Functions endpoint (the AWS JSON protocol's StartExecution and
 * DescribeExecution) that runs the very ASL definition the CDK app deploys, in
 * aws-local-stepfunctions, with each task calling the same handler module its Lambda runs.
 * Handlers reach it through AWS_ENDPOINT_URL_SFN, exactly as they reach AWS.
 */
export interface LocalStepFunctionsOptions {
  /** Every retrier waits this long instead of its IntervalSeconds × BackoffRate (tests: 0). */
  retryIntervalMs?: number;
  /** Wraps each task invocation, e.g. to inject faults into it (tests). */
  aroundTask?: (state: string, invoke: () => Promise<JSONValue>) => Promise<JSONValue>;
  /** Every Wait state waits this long instead (tests: a few ms). */
  waitMs?: number;
}

/** The names of every Wait state, in Map item processors too. */
function waitStates(definition: Record<string, unknown>): string[] {
  const states = (definition.States ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(states).flatMap(([name, state]) => [
    ...(state.Type === 'Wait' ? [name] : []),
    ...(state.ItemProcessor ? waitStates(state.ItemProcessor as Record<string, unknown>) : []),
    ...(state.Iterator ? waitStates(state.Iterator as Record<string, unknown>) : []),
  ]);
}

export async function startLocalStepFunctions(
  port: number,
  options: LocalStepFunctionsOptions = {},
): Promise<{ endpoint: string; server: Server; executions: Map<string, Execution> }> {
  const around = options.aroundTask ?? ((_state: string, invoke: () => Promise<JSONValue>) => invoke());
  const executions = new Map<string, Execution>();
  const finishing = new Map<string, Promise<Execution>>();
  const machines = new Map(
    Object.values(stateMachines).map((declaration: StateMachineDeclaration) => {
      const tasks = Object.entries(declaration.tasks);
      const substitutions: Record<string, string> = Object.fromEntries([
        ...tasks.map(([state, task]) => [
          task.substitution,
          isLambdaTask(task)
            ? `arn:aws:lambda:eu-west-2:000000000000:function:${state}`
            : localArn(stateMachines[task.startsMachine]),
        ]),
        ...Object.entries(declaration.constants ?? {}).map(([name, value]) => [name, value.local]),
      ]);
      const handlers = Object.fromEntries(
        tasks.map(([state, task]) => [
          state,
          isLambdaTask(task)
            ? async (input: JSONValue): Promise<JSONValue> => {
                const module = (await import(join(FUNCTIONS_DIR, `${task.handler}.ts`))) as {
                  handler: (event: unknown, context: Context) => Promise<JSONValue | undefined>;
                };
                return around(
                  state,
                  async () => (await invokeLocally(module.handler, input, state, taskTimeoutSeconds(task))) ?? {},
                );
              }
            : // states:startExecution.sync:2 — the child runs here and this task waits for it, as on AWS.
              async (input: JSONValue): Promise<JSONValue> => {
                const { StateMachineArn, Input, Name } = input as { StateMachineArn: string; Input: JSONValue; Name?: string };
                // Started again under its name (a retry): the execution already running is followed, as on AWS.
                const existing = Name
                  ? finishing.get(`${StateMachineArn.replace(':stateMachine:', ':execution:')}:${Name}`)
                  : undefined;
                const done = await (existing ?? start(StateMachineArn, JSON.stringify(Input), Name).finished);
                if (done.status !== 'SUCCEEDED')
                  throw Object.assign(new Error(done.cause ?? 'The child execution failed'), {
                    name: 'States.TaskFailed',
                  });
                return { ExecutionArn: done.executionArn, Output: JSON.parse(done.output ?? 'null') as JSONValue };
              },
        ]),
      );
      const definition = JSON.parse(stateMachineDefinition(declaration, substitutions)) as Record<string, unknown>;
      const machine = new StateMachine(definition as unknown as ConstructorParameters<typeof StateMachine>[0]);
      const retryIntervalOverrides =
        options.retryIntervalMs === undefined
          ? undefined
          : Object.fromEntries(tasks.map(([state]) => [state, options.retryIntervalMs!]));
      const waitTimeOverrides =
        options.waitMs === undefined
          ? undefined
          : Object.fromEntries(waitStates(definition).map((state) => [state, options.waitMs!]));
      return [localArn(declaration), { machine, handlers, retryIntervalOverrides, waitTimeOverrides }] as const;
    }),
  );

  /** Starts an execution of a local machine; `finished` settles when it has ended. */
  function start(stateMachineArn: string, input: string, name: string = randomUUID()) {
    const target = machines.get(stateMachineArn);
    if (!target) throw Object.assign(new Error('State machine does not exist'), { name: 'StateMachineDoesNotExist' });
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    if (executions.has(executionArn))
      throw Object.assign(new Error(`Execution already exists: '${executionArn}'`), { name: 'ExecutionAlreadyExists' });
    const execution: Execution = { executionArn, name, input, status: 'RUNNING', startDate: Date.now() / 1000, history: [] };
    executions.set(executionArn, execution);
    const run = target.machine.run(JSON.parse(input) as JSONValue, {
      // The context object's execution, as Step Functions fills it ($$.Execution.Id for a child's input).
      context: {
        Execution: { Id: executionArn, Name: name, Input: JSON.parse(input) as JSONValue, StartTime: new Date().toISOString() },
      },
      overrides: {
        taskResourceLocalHandlers: target.handlers,
        ...(target.retryIntervalOverrides ? { retryIntervalOverrides: target.retryIntervalOverrides } : {}),
        ...(target.waitTimeOverrides ? { waitTimeOverrides: target.waitTimeOverrides } : {}),
      },
    });
    void (async () => {
      for await (const event of run.eventLogs) execution.history.push(event);
    })().catch(() => undefined);
    const finished = run.result.then(
      (output: unknown) =>
        Object.assign(execution, { status: 'SUCCEEDED' as const, output: JSON.stringify(output), stopDate: Date.now() / 1000 }),
      (error: unknown) =>
        Object.assign(execution, {
          status: 'FAILED' as const,
          error: error instanceof Error ? ((error as { error?: string }).error ?? error.name) : 'Error',
          cause: error instanceof Error ? ((error as { cause?: string }).cause ?? error.message) : String(error),
          stopDate: Date.now() / 1000,
        }),
    );
    finishing.set(executionArn, finished);
    return { execution, finished };
  }

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) =>
      send(response, 500, { __type: 'InternalFailure', message: error instanceof Error ? error.message : 'error' }),
    );
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const body = JSON.parse((await readBody(request)) || '{}') as Record<string, string>;
    const action = String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
    if (action === 'StartExecution') {
      try {
        const { execution } = start(body.stateMachineArn ?? '', body.input ?? '{}', body.name);
        return send(response, 200, { executionArn: execution.executionArn, startDate: execution.startDate });
      } catch (error) {
        const name = error instanceof Error ? error.name : 'InternalFailure';
        return send(response, 400, { __type: name, message: error instanceof Error ? error.message : 'error' });
      }
    }
    if (action === 'GetExecutionHistory') {
      const execution = executions.get(body.executionArn ?? '');
      if (!execution) return send(response, 400, { __type: 'ExecutionDoesNotExist', message: 'Execution does not exist' });
      return send(response, 200, { events: execution.history });
    }
    if (action === 'DescribeExecution') {
      const execution = executions.get(body.executionArn ?? '');
      if (!execution) return send(response, 400, { __type: 'ExecutionDoesNotExist', message: 'Execution does not exist' });
      const described: Partial<Execution> = { ...execution };
      delete described.history;
      return send(response, 200, {
        ...described,
        stateMachineArn: execution.executionArn.replace(/:execution:([^:]+):.*$/, ':stateMachine:$1'),
      });
    }
    return send(response, 400, {
      __type: 'UnknownOperationException',
      message: `${action} is not served by the local Step Functions endpoint`,
    });
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  return { endpoint: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`, server, executions };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
