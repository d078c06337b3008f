import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';

type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };
import { syncPipelineDefinition, syncPipelineTasks } from '../pipeline/syncPipeline';

const FUNCTIONS_DIR = resolve(import.meta.dirname, '../../functions');
export const LOCAL_SYNC_STATE_MACHINE_ARN = 'arn:aws:states:eu-west-2:000000000000:stateMachine:SyncPipeline';

interface Execution {
  executionArn: string;
  name: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
}

/**
 * A local Step Functions endpoint (the AWS JSON protocol's StartExecution and
 * DescribeExecution) that runs the very ASL definition the CDK app deploys, in
 * aws-local-stepfunctions, with each task calling the same handler module its Lambda runs.
 * Handlers reach it through AWS_ENDPOINT_URL_SFN, exactly as they reach AWS.
 */
export async function startLocalStepFunctions(
  port: number,
): Promise<{ endpoint: string; server: Server; executions: Map<string, Execution> }> {
  const substitutions = Object.fromEntries(
    Object.entries(syncPipelineTasks).map(([state, task]) => [
      task.substitution,
      `arn:aws:lambda:eu-west-2:000000000000:function:${state}`,
    ]),
  );
  const machine = new StateMachine(JSON.parse(syncPipelineDefinition(substitutions)));
  const handlers = Object.fromEntries(
    Object.entries(syncPipelineTasks).map(([state, task]) => [
      state,
      async (input: JSONValue): Promise<JSONValue> => {
        const module = (await import(join(FUNCTIONS_DIR, `${task.handler}.ts`))) as {
          handler: (event: unknown) => Promise<JSONValue | undefined>;
        };
        return (await module.handler(input)) ?? {};
      },
    ]),
  );
  const executions = new Map<string, Execution>();

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) =>
      send(response, 500, { __type: 'InternalFailure', message: error instanceof Error ? error.message : 'error' }),
    );
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const body = JSON.parse((await readBody(request)) || '{}') as Record<string, string>;
    const action = String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
    if (action === 'StartExecution') {
      if (body.stateMachineArn !== LOCAL_SYNC_STATE_MACHINE_ARN)
        return send(response, 400, { __type: 'StateMachineDoesNotExist', message: 'State machine does not exist' });
      const name = body.name ?? randomUUID();
      const executionArn = `${LOCAL_SYNC_STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`;
      if (executions.has(executionArn))
        return send(response, 400, { __type: 'ExecutionAlreadyExists', message: `Execution already exists: '${executionArn}'` });
      const execution: Execution = {
        executionArn,
        name,
        input: body.input ?? '{}',
        status: 'RUNNING',
        startDate: Date.now() / 1000,
      };
      executions.set(executionArn, execution);
      const run = machine.run(JSON.parse(execution.input), { overrides: { taskResourceLocalHandlers: handlers } });
      run.result.then(
        (output: unknown) =>
          Object.assign(execution, { status: 'SUCCEEDED', output: JSON.stringify(output), stopDate: Date.now() / 1000 }),
        (error: unknown) =>
          Object.assign(execution, {
            status: 'FAILED',
            error: error instanceof Error ? ((error as { error?: string }).error ?? error.name) : 'Error',
            cause: error instanceof Error ? ((error as { cause?: string }).cause ?? error.message) : String(error),
            stopDate: Date.now() / 1000,
          }),
      );
      return send(response, 200, { executionArn, startDate: execution.startDate });
    }
    if (action === 'DescribeExecution') {
      const execution = executions.get(body.executionArn ?? '');
      if (!execution) return send(response, 400, { __type: 'ExecutionDoesNotExist', message: 'Execution does not exist' });
      return send(response, 200, { ...execution, stateMachineArn: LOCAL_SYNC_STATE_MACHINE_ARN });
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
