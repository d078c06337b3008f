import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { tracer } from '../runtime/observability';

/**
 * Encrypts Assembly tokens before they are stored. The centre id is bound in as context, so a
 * ciphertext copied to another centre's record does not decrypt.
 */
export interface TokenCipher {
  encrypt(plaintext: string, centreId: string): Promise<string>;
  decrypt(ciphertext: string, centreId: string): Promise<string>;
}

/** On AWS: KMS with an encryption context. */
export class KmsTokenCipher implements TokenCipher {
  constructor(
    private readonly keyId: string,
    private readonly client = tracer.captureAWSv3Client(new KMSClient({})),
  ) {}

  async encrypt(plaintext: string, centreId: string): Promise<string> {
    const { CiphertextBlob } = await this.client.send(
      new EncryptCommand({ KeyId: this.keyId, Plaintext: Buffer.from(plaintext, 'utf8'), EncryptionContext: { centreId } }),
    );
    return `kms:${Buffer.from(CiphertextBlob!).toString('base64')}`;
  }

  async decrypt(ciphertext: string, centreId: string): Promise<string> {
    const { Plaintext } = await this.client.send(
      new DecryptCommand({
        CiphertextBlob: Buffer.from(ciphertext.replace(/^kms:/, ''), 'base64'),
        EncryptionContext: { centreId },
      }),
    );
    return Buffer.from(Plaintext!).toString('utf8');
  }
}

/** Locally: AES-256-GCM with a key kept under .data/ (there is no local KMS). */
export class LocalKeyTokenCipher implements TokenCipher {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    this.key = Buffer.from(base64Key, 'base64');
    if (this.key.length !== 32) throw new Error('The local token key must be 32 bytes');
  }

  async encrypt(plaintext: string, centreId: string): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(centreId));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `gcm:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  async decrypt(ciphertext: string, centreId: string): Promise<string> {
    const raw = Buffer.from(ciphertext.replace(/^gcm:/, ''), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(centreId));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
