import * as z from 'zod';
import type { Account, SetPasswordPurpose } from '../domain/records';
import { NotFoundError, UnprocessableError } from '../core/errors';
import { TokenAlreadyUsedError, TokenReplacedError, type HubStore } from '../store/hubStore';
import { hashPassword } from './passwords';
import { epochSeconds, systemClock, type Clock } from '../core/clock';
import { hashToken } from './tokens';

/**
 * Set-password links work once, and only the newest for an account works. A welcome link
 * lasts 7 days; a forgot-password link 1 hour.
 */
export const LINK_SECONDS: Record<SetPasswordPurpose, number> = { welcome: 7 * 24 * 60 * 60, reset: 60 * 60 };

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

const USED = 'This link has already been used. Sign in, or use “Forgot your password?” on the sign-in page.';
const EXPIRED = 'This link has expired. Use “Forgot your password?” on the sign-in page to get a new one.';
const REPLACED = 'A newer link has been sent to you since this one: use the link in the latest email.';
const UNKNOWN = 'This link is not valid. Check that you copied the whole link from your email.';

/** The link in an email. The token is in the fragment, which browsers never send: it is in no access log. */
export function setPasswordUrl(appUrl: string, token: string): string {
  return `${appUrl}/set-password#token=${encodeURIComponent(token)}`;
}

/**
 * Makes `token` the account's one live set-password link; false when the account does not
 * exist. The caller makes the token (newToken) so that it can record its hash first.
 */
export async function storeSetPasswordLink(
  store: HubStore,
  account: Pick<Account, 'userId' | 'centreId'>,
  token: string,
  purpose: SetPasswordPurpose,
  clock: Clock = systemClock,
): Promise<boolean> {
  return store.issueSetPasswordLink(hashToken(token), {
    userId: account.userId,
    centreId: account.centreId,
    purpose,
    expiresAt: epochSeconds(clock) + LINK_SECONDS[purpose],
    usedAt: null,
  });
}

/** The stored link behind a token and its account, if the link can still be used. */
async function usableLink(store: HubStore, tokenHash: string, clock: Clock) {
  const stored = await store.getSetPasswordToken(tokenHash);
  if (!stored) throw new NotFoundError(UNKNOWN);
  if (stored.usedAt) throw new UnprocessableError(USED);
  if (stored.expiresAt <= epochSeconds(clock)) throw new UnprocessableError(EXPIRED);
  const account = await store.getAccount(stored.centreId, stored.userId);
  if (!account) throw new NotFoundError(UNKNOWN);
  if (account.liveLinkHash !== undefined && account.liveLinkHash !== tokenHash) throw new UnprocessableError(REPLACED);
  return { stored, account };
}

/** Tells the set-password page whether its link can still be used, before the user types. */
export async function checkSetPasswordToken(
  store: HubStore,
  token: string,
  clock: Clock = systemClock,
): Promise<{ email: string; purpose: SetPasswordPurpose }> {
  const { stored, account } = await usableLink(store, hashToken(token), clock);
  return { email: account.email, purpose: stored.purpose };
}

/** Sets the password, uses up the link and ends every session the account had. */
export async function setPassword(store: HubStore, body: SetPasswordBody, clock: Clock = systemClock): Promise<void> {
  const tokenHash = hashToken(body.token);
  const { stored } = await usableLink(store, tokenHash, clock);
  try {
    await store.consumeSetPasswordToken(tokenHash, clock.now().toISOString(), await hashPassword(body.password), stored);
  } catch (error) {
    if (error instanceof TokenAlreadyUsedError) throw new UnprocessableError(USED);
    if (error instanceof TokenReplacedError) throw new UnprocessableError(REPLACED);
    throw error;
  }
}
