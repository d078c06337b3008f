import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import sesModule from 'aws-ses-v2-local';
import { demoCentre, seedDemoCentre, type OwnSchool, type SeedOutcome } from '../../shared/demo/seedDemo';
import { AUTHORISATION_CALLBACK_PATH } from '../../shared/runtime/dependencies';
import { ensureLocalSecrets } from '../../shared/secrets/secretSource';
import { startAssemblyStandIn, type AssemblyStandIn } from './assembly/standIn';
import { localStateMachineEnvironment, startLocalStepFunctions, type Execution } from './stepFunctions';
import { createDocumentClient, DynamoHubStore } from '../../shared/store/dynamo/dynamoHubStore';
import { createLocalApiGateway } from './apiGateway';
import { ensureHubTable, localDynamoClient, startDynamoLocal, type DynamoLocal } from './dynamoLocal';
import { assertPortFree } from './ports';
import { QUEUES, startLocalResults, type LocalResults } from './resultsStream';

// aws-ses-v2-local is CommonJS with an `exports.default`; Node's ESM loader wraps it once more.
const sesLocal: typeof sesModule = (sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule;

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const TABLE_NAME = 'HubTable';
const LOCAL_ASSEMBLY_CLIENT_ID = 'admin-hub-local';

export interface LocalStackOptions {
  port: number;
  dynamoPort: number;
  sesPort: number;
  assemblyPort: number;
  stepFunctionsPort: number;
  /** The local queue engine (parking queue and dead letters of the results sender). */
  sqsPort: number;
  /** Where DynamoDB Local keeps its data; null keeps it in memory (tests). */
  dataDir: string | null;
  fresh: boolean;
  webDir: string;
  /** A school given as files (`--school`, `--hub`); without it, the generated demo school. */
  ownSchool?: OwnSchool | null;
}

export interface LocalStack {
  url: string;
  sesInboxUrl: string;
  assembly: AssemblyStandIn;
  seed: SeedOutcome;
  /** Every Step Functions execution so far, with its history (for the tests' log checks). */
  executions(): Execution[];
  /** The results stream poller and its queues. */
  results: LocalResults;
  stop(): Promise<void>;
}

export const defaultLocalOptions: LocalStackOptions = {
  port: 3000,
  dynamoPort: 8100,
  sesPort: 8005,
  assemblyPort: 8200,
  stepFunctionsPort: 8083,
  sqsPort: 8084,
  dataDir: join(REPO_ROOT, '.data'),
  fresh: false,
  webDir: join(REPO_ROOT, 'web/dist'),
};

/**
 * The whole system on real local engines: DynamoDB Local, SES v2 local and the local API
 * gateway in front of the deployed handler modules. AWS SDK clients find the engines through
 * AWS_ENDPOINT_URL_<SERVICE>, exactly as they would find AWS without them.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  await assertPortFree(options.port, 'web app and API');
  await assertPortFree(options.dynamoPort, 'DynamoDB Local');
  await assertPortFree(options.sesPort, 'SES local');
  await assertPortFree(options.assemblyPort, 'Assembly stand-in');
  await assertPortFree(options.stepFunctionsPort, 'local Step Functions');
  await assertPortFree(options.sqsPort, 'local queues');
  if (options.fresh && options.dataDir) rmSync(options.dataDir, { recursive: true, force: true });

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const dynamo: DynamoLocal = await startDynamoLocal(
      options.dynamoPort,
      options.dataDir ? join(options.dataDir, 'dynamodb') : null,
    );
    stops.push(dynamo.stop);
    const ses: Server = await sesLocal({ host: '127.0.0.1', port: options.sesPort });
    stops.push(() => closeServer(ses));

    const appUrl = `http://localhost:${options.port}`;
    // Secrets live under .data/ locally (in a temporary folder when data is kept in memory).
    const secretsFile = join(options.dataDir ?? mkdtempSync(join(tmpdir(), 'hub-secrets-')), 'secrets.json');
    const secrets = ensureLocalSecrets(secretsFile);
    const assembly = await startAssemblyStandIn({
      port: options.assemblyPort,
      seed: demoCentre.seed,
      pupils: 224,
      ...(options.ownSchool ? { school: options.ownSchool.school } : {}),
      clients: [
        {
          clientId: LOCAL_ASSEMBLY_CLIENT_ID,
          clientSecret: secrets.assemblyClientSecret,
          redirectUris: [`${appUrl}${AUTHORISATION_CALLBACK_PATH}`],
          name: 'Hodder Education Group Admin Hub',
        },
      ],
    });
    stops.push(assembly.stop);

    const stepFunctions = await startLocalStepFunctions(options.stepFunctionsPort);
    stops.push(() => closeServer(stepFunctions.server));

    Object.assign(process.env, {
      APP_URL: appUrl,
      MAIL_FROM: 'Admin Hub <no-reply@admin-hub.local>',
      ...localStateMachineEnvironment,
      AWS_ENDPOINT_URL_SFN: stepFunctions.endpoint,
      APP_SECRETS_FILE: secretsFile,
      // The local gateway adds it to every request, as CloudFront does on AWS.
      ORIGIN_SECRET: secrets.originSecret,
      ASSEMBLY_API_URL: assembly.url,
      ASSEMBLY_OAUTH_URL: assembly.url,
      ASSEMBLY_CLIENT_ID: LOCAL_ASSEMBLY_CLIENT_ID,
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${options.sesPort}`,
      TABLE_NAME,
    });
    const client = localDynamoClient(dynamo.endpoint);
    await ensureHubTable(client, TABLE_NAME);
    const results = await startLocalResults({
      dynamo: client,
      dynamoEndpoint: dynamo.endpoint,
      tableName: TABLE_NAME,
      sqsPort: options.sqsPort,
      loadHandler: async () => (await import('../../functions/results/send')).handler,
    });
    stops.push(results.stop);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SQS: results.sqsEndpoint,
      RESULTS_PARKING_QUEUE_URL: results.queueUrl(QUEUES.parked),
    });
    const seed = await seedDemoCentre(
      new DynamoHubStore(createDocumentClient(client), TABLE_NAME),
      options.ownSchool ?? undefined,
    );

    const gateway = createLocalApiGateway(options.webDir);
    await new Promise<void>((resolveListen, reject) => {
      gateway.once('error', reject);
      gateway.listen(options.port, '127.0.0.1', () => resolveListen());
    });
    stops.push(() => closeServer(gateway));
    return {
      url: appUrl,
      sesInboxUrl: `http://127.0.0.1:${options.sesPort}/`,
      assembly,
      seed,
      executions: () => [...stepFunctions.executions.values()],
      results,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}
