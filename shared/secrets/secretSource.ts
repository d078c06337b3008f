import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { tracer } from '../runtime/observability';

/** The application's secrets: the Assembly client secret and, locally, the token encryption key. */
export const appSecretsSchema = z.object({
  assemblyClientSecret: z.string().min(1),
  /** Base64 AES-256 key; only the local runtime has one (on AWS tokens are encrypted with KMS). */
  localTokenKey: z.string().optional(),
  /** Locally only: what the local gateway adds as the origin header (on AWS, its own secret). */
  originSecret: z.string().optional(),
});
export type AppSecrets = z.infer<typeof appSecretsSchema>;

export interface SecretSource {
  load(): Promise<AppSecrets>;
}

/** On AWS: one JSON secret in Secrets Manager. */
export class SecretsManagerSecretSource implements SecretSource {
  constructor(
    private readonly secretId: string,
    private readonly client = tracer.captureAWSv3Client(new SecretsManagerClient({})),
  ) {}

  async load(): Promise<AppSecrets> {
    return appSecretsSchema.parse(await readJsonSecret(this.client, this.secretId));
  }
}

/** The origin secret CloudFront sends: `current`, and during a rotation the `previous` one too. */
export const originSecretSchema = z.object({ current: z.string().min(32), previous: z.string().min(32).optional() });

export async function loadOriginSecrets(
  secretId: string,
  client = tracer.captureAWSv3Client(new SecretsManagerClient({})),
): Promise<string[]> {
  const secret = originSecretSchema.parse(await readJsonSecret(client, secretId));
  return secret.previous ? [secret.current, secret.previous] : [secret.current];
}

async function readJsonSecret(client: SecretsManagerClient, secretId: string): Promise<unknown> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  return JSON.parse(SecretString ?? '{}');
}

/** Locally: a file under .data/, created with fresh random values on first use, never committed. */
export class LocalFileSecretSource implements SecretSource {
  constructor(private readonly path: string) {}

  async load(): Promise<AppSecrets> {
    return ensureLocalSecrets(this.path);
  }
}

export function ensureLocalSecrets(path: string): AppSecrets {
  const existing = existsSync(path) ? appSecretsSchema.parse(JSON.parse(readFileSync(path, 'utf8'))) : null;
  // A file from before a secret was added keeps its values and gains the new one.
  if (existing?.localTokenKey && existing.originSecret) return existing;
  const secrets: AppSecrets = {
    assemblyClientSecret: existing?.assemblyClientSecret ?? randomBytes(24).toString('base64url'),
    localTokenKey: existing?.localTokenKey ?? randomBytes(32).toString('base64'),
    originSecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
