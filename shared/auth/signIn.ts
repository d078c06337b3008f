import { z } from 'zod';
import type { Account, Session, SignInThrottle } from '../domain/records';
import { TooManyRequestsError, UnauthenticatedError } from '../core/errors';
import type { HubStore } from '../store/hubStore';
import { systemClock, type Clock } from '../core/clock';
import { hashPassword, UNKNOWN_ACCOUNT_HASH, verifyPassword } from './passwords';
import { hashToken, newToken } from './tokens';

export const SESSION_SECONDS = 8 * 60 * 60;
/** Failures allowed before each further attempt has to wait, doubling from 30 s up to 15 min. */
const FREE_FAILURES = 5;
const FIRST_LOCK_SECONDS = 30;
const MAX_LOCK_SECONDS = 15 * 60;
const THROTTLE_MEMORY_SECONDS = 60 * 60;

export const signInBody = z.object({
  email: z.string({ error: 'Enter your email address' }).trim().email('Enter a valid email address').max(254),
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(200),
});
export type SignInBody = z.infer<typeof signInBody>;

export interface SignedIn {
  token: string;
  session: Session;
  account: Account;
}

const WRONG_CREDENTIALS = 'The email or password is not right';

/** Signs an Access Co-ordinator or teacher in; repeated failures for one email are slowed down. */
export async function signIn(store: HubStore, body: SignInBody, clock: Clock = systemClock): Promise<SignedIn> {
  const nowSeconds = Math.floor(clock.now().getTime() / 1000);
  const throttle = await store.getSignInThrottle(body.email);
  if (throttle && throttle.lockedUntil > nowSeconds) throw new TooManyRequestsError(throttle.lockedUntil - nowSeconds);

  const account = await store.findAccountByEmail(body.email);
  const passwordMatches = await verifyPassword(body.password, account?.passwordHash ?? UNKNOWN_ACCOUNT_HASH);
  if (!account || !account.passwordHash || !passwordMatches) {
    await store.putSignInThrottle(body.email, nextThrottle(throttle, nowSeconds));
    throw new UnauthenticatedError(WRONG_CREDENTIALS);
  }

  if (throttle) await store.clearSignInThrottle(body.email);
  const token = newToken();
  const session: Session = {
    userId: account.userId,
    centreId: account.centreId,
    role: account.role,
    expiresAt: nowSeconds + SESSION_SECONDS,
  };
  await store.putSession(hashToken(token), session);
  return { token, session, account };
}

function nextThrottle(previous: SignInThrottle | null, nowSeconds: number): SignInThrottle {
  const failures = (previous?.failures ?? 0) + 1;
  const over = failures - FREE_FAILURES;
  const lockSeconds = over >= 0 ? Math.min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** over) : 0;
  return { failures, lockedUntil: nowSeconds + lockSeconds, expiresAt: nowSeconds + THROTTLE_MEMORY_SECONDS };
}

/** The session behind a cookie token, or null when it is unknown or has expired. */
export async function resolveSession(store: HubStore, token: string, clock: Clock = systemClock): Promise<Session | null> {
  const session = await store.getSession(hashToken(token));
  if (!session) return null;
  return session.expiresAt > Math.floor(clock.now().getTime() / 1000) ? session : null;
}

export async function signOut(store: HubStore, token: string): Promise<void> {
  await store.deleteSession(hashToken(token));
}

/** Creates an account with a password (used by the demo seed and tests). */
export async function createAccountWithPassword(
  store: HubStore,
  account: Omit<Account, 'passwordHash'>,
  password: string | null,
): Promise<Account> {
  const created: Account = { ...account, passwordHash: password ? await hashPassword(password) : null };
  await store.createAccount(created);
  return created;
}
