import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ensureHubTable, localDynamoClient } from '../../infra/local/dynamoLocal';

/** Runs before each integration test file: the real SDK clients, pointed at DynamoDB Local, and a table of its own. */
const endpoint = inject('dynamoEndpoint');
const tableName = `HubTable-${randomUUID()}`;
Object.assign(process.env, {
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  TABLE_NAME: tableName,
  // Where links in emails point; test/support/assembly.ts sets the same.
  APP_URL: 'https://hub.example.org',
  // What CloudFront adds to every request; apiEvent (test/support/hub.ts) sends it.
  ORIGIN_SECRET: randomUUID() + randomUUID(),
});
await ensureHubTable(localDynamoClient(endpoint), tableName);
