import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '../../infra/local/dynamoLocal';
import { freePort } from '../../infra/local/ports';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** One DynamoDB Local (in memory) for the whole integration run; each test file gets its own table. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoLocal(await freePort(), null);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
