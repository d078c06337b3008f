import { z } from 'zod';
import type { Account } from '../domain/records';
import { NotFoundError, UnprocessableError } from '../core/errors';
import { TokenAlreadyUsedError, type HubStore } from '../store/hubStore';
import { hashPassword } from './passwords';
import { systemClock, type Clock } from '../core/clock';
import { hashToken, newToken } from './tokens';

/** Welcome emails carry a set-password link that works once and expires after 7 days. */
export const SET_PASSWORD_SECONDS = 7 * 24 * 60 * 60;

export const passwordRule = z
  .string({ error: 'Choose a password' })
  .min(10, 'Use at least 10 characters')
  .max(200, 'Use at most 200 characters');

export const setPasswordBody = z.object({
  token: z.string({ error: 'The link is incomplete' }).min(20, 'The link is incomplete').max(200),
  password: passwordRule,
});
export type SetPasswordBody = z.infer<typeof setPasswordBody>;

export const checkSetPasswordBody = setPasswordBody.pick({ token: true });

const USED = 'This link has already been used. Sign in, or ask your Access Co-ordinator for a new link.';
const EXPIRED = 'This link has expired. Ask your Access Co-ordinator to send a new one.';
const UNKNOWN = 'This link is not valid. Check that you copied the whole link from your email.';

export async function issueSetPasswordToken(
  store: HubStore,
  account: Pick<Account, 'userId' | 'centreId'>,
  clock: Clock = systemClock,
): Promise<string> {
  const token = newToken();
  const expiresAt = Math.floor(clock.now().getTime() / 1000) + SET_PASSWORD_SECONDS;
  await store.putSetPasswordToken(hashToken(token), {
    userId: account.userId,
    centreId: account.centreId,
    expiresAt,
    usedAt: null,
  });
  return token;
}

/** Tells the set-password page whether its link can still be used, before the user types. */
export async function checkSetPasswordToken(
  store: HubStore,
  token: string,
  clock: Clock = systemClock,
): Promise<{ email: string }> {
  const stored = await store.getSetPasswordToken(hashToken(token));
  if (!stored) throw new NotFoundError(UNKNOWN);
  if (stored.usedAt) throw new UnprocessableError(USED);
  if (stored.expiresAt <= Math.floor(clock.now().getTime() / 1000)) throw new UnprocessableError(EXPIRED);
  const account = await store.getAccount(stored.centreId, stored.userId);
  if (!account) throw new NotFoundError(UNKNOWN);
  return { email: account.email };
}

export async function setPassword(store: HubStore, body: SetPasswordBody, clock: Clock = systemClock): Promise<void> {
  await checkSetPasswordToken(store, body.token, clock);
  const tokenHash = hashToken(body.token);
  const stored = await store.getSetPasswordToken(tokenHash);
  if (!stored) throw new NotFoundError(UNKNOWN);
  try {
    await store.consumeSetPasswordToken(tokenHash, clock.now().toISOString(), await hashPassword(body.password), stored);
  } catch (error) {
    if (error instanceof TokenAlreadyUsedError) throw new UnprocessableError(USED);
    throw error;
  }
}
