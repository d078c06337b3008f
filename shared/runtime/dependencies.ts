import { systemClock, type Clock } from '../auth/signIn';
import type { HubStore } from '../store/hubStore';
import { createDocumentClient, DynamoHubStore } from '../store/dynamo/dynamoHubStore';

/** What handlers need, built once per Lambda container (or per local process) from configuration. */
export interface Dependencies {
  store: HubStore;
  clock: Clock;
}

let cached: Dependencies | undefined;

export function dependencies(): Dependencies {
  cached ??= {
    store: new DynamoHubStore(createDocumentClient(), requiredEnv('TABLE_NAME')),
    clock: systemClock,
  };
  return cached;
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing configuration: ${name}`);
  return value;
}
