import { createHash, randomBytes } from 'node:crypto';

/** An unguessable bearer token; only its hash is stored, so a table leak yields no usable token. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
