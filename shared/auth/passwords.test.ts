import { describe, expect, it } from 'vitest';
import { hashPassword, UNKNOWN_ACCOUNT_HASH, verifyPassword } from './passwords';

describe('password hashing', () => {
  it('verifies the right password and refuses any other', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const stored = await hashPassword('Zoë’s password');
    expect(await verifyPassword('Zoe\u0308’s password', stored)).toBe(true);
  });

  it('refuses everything against the stand-in hash used for unknown emails, and malformed hashes', async () => {
    expect(await verifyPassword('', UNKNOWN_ACCOUNT_HASH)).toBe(false);
    expect(await verifyPassword('anything', 'plain-text')).toBe(false);
  });
});
