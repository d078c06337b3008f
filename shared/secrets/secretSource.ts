import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/** The application's secrets: the Assembly client secret and, locally, the token encryption key. */
export const appSecretsSchema = z.object({
  assemblyClientSecret: z.string().min(1),
  /** Base64 AES-256 key; only the local runtime has one (on AWS tokens are encrypted with KMS). */
  localTokenKey: z.string().optional(),
});
export type AppSecrets = z.infer<typeof appSecretsSchema>;

export interface SecretSource {
  load(): Promise<AppSecrets>;
}

/** On AWS: one JSON secret in Secrets Manager. */
export class SecretsManagerSecretSource implements SecretSource {
  constructor(
    private readonly secretId: string,
    private readonly client = new SecretsManagerClient({}),
  ) {}

  async load(): Promise<AppSecrets> {
    const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    return appSecretsSchema.parse(JSON.parse(SecretString ?? '{}'));
  }
}

/** Locally: a file under .data/, created with fresh random values on first use, never committed. */
export class LocalFileSecretSource implements SecretSource {
  constructor(private readonly path: string) {}

  async load(): Promise<AppSecrets> {
    return ensureLocalSecrets(this.path);
  }
}

export function ensureLocalSecrets(path: string): AppSecrets {
  if (existsSync(path)) return appSecretsSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const secrets: AppSecrets = {
    assemblyClientSecret: randomBytes(24).toString('base64url'),
    localTokenKey: randomBytes(32).toString('base64'),
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
