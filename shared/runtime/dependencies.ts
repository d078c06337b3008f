import type { AssemblyClient } from '../assembly/client';
import type { Mailer } from '../mail/mailer';
import type { Workflow } from '../workflow/workflow';
import { systemClock, type Clock } from '../core/clock';
import { Expiring } from '../secrets/expiring';
import type { AppSecrets, SecretSource } from '../secrets/secretSource';
import type { TokenCipher } from '../secrets/tokenCipher';
import type { HubStore } from '../store/hubStore';
import { createDocumentClient, DynamoHubStore } from '../store/dynamo/dynamoHubStore';
import { counter, log, type Counter, type Log } from './observability';

/**
 * What handlers need, built once per Lambda container (or per local process) from
 * configuration. The same code runs on AWS and locally: only the environment differs
 * (endpoints, which secret store, which key).
 */
export interface Dependencies {
  store: HubStore;
  clock: Clock;
  assembly(): Promise<AssemblyClient>;
  tokenCipher(): Promise<TokenCipher>;
  /** Where the wizard lives, for links in emails and the OAuth redirect. */
  appUrl(): string;
  mailer(): Mailer;
  workflow(): Workflow;
  /** The origin-header values the API accepts (see checkOrigin in shared/http/httpHandler.ts). */
  originSecrets(): Promise<readonly string[]>;
  /** Drops the cached app secrets, so the next use reads them again (after a rotation). */
  refreshAppSecrets(): void;
  /** Logs with ids only (shared/runtime/observability.ts). */
  log: Log;
  metrics: Counter;
}

/** How long a container keeps a secret before reading it again: a rotation is picked up within this. */
export const SECRET_TTL_MS = 5 * 60 * 1000;

let cached: Dependencies | undefined;

export function dependencies(): Dependencies {
  cached ??= buildDependencies();
  return cached;
}

/**
 * A value made on first use and kept; a failure is not kept. Each client's module is imported on
 * first use, so a function loads only the SDK clients it uses (module init is a cold start).
 */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  const kept = new Expiring(make, Number.POSITIVE_INFINITY);
  return () => kept.get();
}

function buildDependencies(): Dependencies {
  const secrets = new Expiring<AppSecrets>(
    () => import('../secrets/secretSource').then((source) => secretSource(source).load()),
    SECRET_TTL_MS,
  );
  const loadSecrets = () => secrets.get();
  const originSecrets = new Expiring<readonly string[]>(async () => {
    if (process.env.ORIGIN_SECRET_ARN)
      return (await import('../secrets/secretSource')).loadOriginSecrets(process.env.ORIGIN_SECRET_ARN);
    return [requiredEnv('ORIGIN_SECRET')];
  }, SECRET_TTL_MS);
  let assembly: { client: AssemblyClient; secret: string } | undefined;
  const appUrl = () => requiredEnv('APP_URL').replace(/\/$/, '');
  const mailer = once(async () => new (await import('../mail/mailer')).SesMailer(requiredEnv('MAIL_FROM')));
  const workflow = once(
    async () =>
      new (await import('../workflow/workflow')).StepFunctionsWorkflow(
        process.env.SYNC_STATE_MACHINE_ARN ?? '',
        undefined,
        process.env.LOAD_STATE_MACHINE_ARN ?? '',
      ),
  );
  const tokenCipher = once(async (): Promise<TokenCipher> => {
    const ciphers = await import('../secrets/tokenCipher');
    if (process.env.TOKEN_KMS_KEY_ID) return new ciphers.KmsTokenCipher(process.env.TOKEN_KMS_KEY_ID);
    const loaded = await loadSecrets();
    if (!loaded.localTokenKey) throw new Error('Missing configuration: TOKEN_KMS_KEY_ID or a local token key');
    return new ciphers.LocalKeyTokenCipher(loaded.localTokenKey);
  });
  // One port object each (callers and tests may hold on to it), loading its client on first use.
  const mailerPort: Mailer = {
    send: async (email) => {
      const sent = await (await mailer()).send(email);
      counter.count('EmailsSent');
      return sent;
    },
  };
  const workflowPort: Workflow = {
    startSync: async (input) => (await workflow()).startSync(input),
    startLoad: async (input) => (await workflow()).startLoad(input),
  };
  return {
    store: new DynamoHubStore(createDocumentClient(), requiredEnv('TABLE_NAME')),
    clock: systemClock,
    appUrl,
    mailer: () => mailerPort,
    workflow: () => workflowPort,
    // A new client whenever the client secret has changed (a rotation), the same one otherwise.
    assembly: async () => {
      const { assemblyClientSecret } = await loadSecrets();
      if (assembly?.secret !== assemblyClientSecret) {
        const { AssemblyClient: Client } = await import('../assembly/client');
        assembly = {
          secret: assemblyClientSecret,
          client: new Client({
            apiBaseUrl: requiredEnv('ASSEMBLY_API_URL'),
            oauthBaseUrl: requiredEnv('ASSEMBLY_OAUTH_URL'),
            clientId: requiredEnv('ASSEMBLY_CLIENT_ID'),
            clientSecret: assemblyClientSecret,
            redirectUri: `${appUrl()}${AUTHORISATION_CALLBACK_PATH}`,
            // How long one request may take (30 s unless configured; tests shorten it).
            ...(Number(process.env.ASSEMBLY_TIMEOUT_MS) > 0 ? { timeoutMs: Number(process.env.ASSEMBLY_TIMEOUT_MS) } : {}),
            // How often a failed request is tried again (4 unless configured: the results sender asks for fewer).
            ...(process.env.ASSEMBLY_MAX_RETRIES ? { maxRetries: Number(process.env.ASSEMBLY_MAX_RETRIES) } : {}),
          }),
        };
      }
      return assembly.client;
    },
    originSecrets: () => originSecrets.get(),
    refreshAppSecrets: () => secrets.refresh(),
    tokenCipher,
    log,
    metrics: counter,
  };
}

/** The wizard page Assembly sends the school back to. */
export const AUTHORISATION_CALLBACK_PATH = '/school/mis-data-sync/authorisation/callback';

function secretSource(source: typeof import('../secrets/secretSource')): SecretSource {
  if (process.env.APP_SECRETS_ARN) return new source.SecretsManagerSecretSource(process.env.APP_SECRETS_ARN);
  return new source.LocalFileSecretSource(requiredEnv('APP_SECRETS_FILE'));
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing configuration: ${name}`);
  return value;
}
