import { AssemblyClient } from '../assembly/client';
import { SesMailer, type Mailer } from '../mail/mailer';
import { StepFunctionsWorkflow, type Workflow } from '../workflow/workflow';
import { systemClock, type Clock } from '../core/clock';
import {
  Expiring,
  loadOriginSecrets,
  LocalFileSecretSource,
  SecretsManagerSecretSource,
  type AppSecrets,
  type SecretSource,
} from '../secrets/secretSource';
import { KmsTokenCipher, LocalKeyTokenCipher, type TokenCipher } from '../secrets/tokenCipher';
import type { HubStore } from '../store/hubStore';
import { createDocumentClient, DynamoHubStore } from '../store/dynamo/dynamoHubStore';

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
}

/** How long a container keeps a secret before reading it again: a rotation is picked up within this. */
export const SECRET_TTL_MS = 5 * 60 * 1000;

let cached: Dependencies | undefined;

export function dependencies(): Dependencies {
  cached ??= buildDependencies();
  return cached;
}

function buildDependencies(): Dependencies {
  const secrets = new Expiring<AppSecrets>(() => secretSource().load(), SECRET_TTL_MS);
  const loadSecrets = () => secrets.get();
  const originSecrets = new Expiring<readonly string[]>(async () => {
    if (process.env.ORIGIN_SECRET_ARN) return loadOriginSecrets(process.env.ORIGIN_SECRET_ARN);
    return [requiredEnv('ORIGIN_SECRET')];
  }, SECRET_TTL_MS);
  let assembly: { client: AssemblyClient; secret: string } | undefined;
  let cipher: Promise<TokenCipher> | undefined;
  const appUrl = () => requiredEnv('APP_URL').replace(/\/$/, '');
  let mailer: Mailer | undefined;
  let workflow: Workflow | undefined;
  return {
    store: new DynamoHubStore(createDocumentClient(), requiredEnv('TABLE_NAME')),
    clock: systemClock,
    appUrl,
    mailer: () => (mailer ??= new SesMailer(requiredEnv('MAIL_FROM'))),
    workflow: () =>
      (workflow ??= new StepFunctionsWorkflow(
        process.env.SYNC_STATE_MACHINE_ARN ?? '',
        undefined,
        process.env.LOAD_STATE_MACHINE_ARN ?? '',
      )),
    // A new client whenever the client secret has changed (a rotation), the same one otherwise.
    assembly: async () => {
      const { assemblyClientSecret } = await loadSecrets();
      if (assembly?.secret !== assemblyClientSecret)
        assembly = {
          secret: assemblyClientSecret,
          client: new AssemblyClient({
            apiBaseUrl: requiredEnv('ASSEMBLY_API_URL'),
            oauthBaseUrl: requiredEnv('ASSEMBLY_OAUTH_URL'),
            clientId: requiredEnv('ASSEMBLY_CLIENT_ID'),
            clientSecret: assemblyClientSecret,
            redirectUri: `${appUrl()}${AUTHORISATION_CALLBACK_PATH}`,
          }),
        };
      return assembly.client;
    },
    originSecrets: () => originSecrets.get(),
    refreshAppSecrets: () => secrets.refresh(),
    tokenCipher: () =>
      (cipher ??= process.env.TOKEN_KMS_KEY_ID
        ? Promise.resolve(new KmsTokenCipher(process.env.TOKEN_KMS_KEY_ID))
        : loadSecrets().then((loaded) => {
            if (!loaded.localTokenKey) throw new Error('Missing configuration: TOKEN_KMS_KEY_ID or a local token key');
            return new LocalKeyTokenCipher(loaded.localTokenKey);
          })),
  };
}

/** The wizard page Assembly sends the school back to. */
export const AUTHORISATION_CALLBACK_PATH = '/school/mis-data-sync/authorisation/callback';

function secretSource(): SecretSource {
  if (process.env.APP_SECRETS_ARN) return new SecretsManagerSecretSource(process.env.APP_SECRETS_ARN);
  return new LocalFileSecretSource(requiredEnv('APP_SECRETS_FILE'));
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing configuration: ${name}`);
  return value;
}
