import * as z from 'zod';
import { FULL_ACCESS, type Account, type Session, type SignInThrottle } from '../domain/records';
import { TooManyRequestsError, UnauthenticatedError } from '../core/errors';
import type { HubStore } from '../store/hubStore';
import { systemClock, type Clock } from '../core/clock';
import { hashPassword, UNKNOWN_ACCOUNT_HASH, verifyPassword } from './passwords';
import { hashToken, newToken } from './tokens';

export const SESSION_SECONDS = 8 * 60 * 60;
/**
 * Throttling, remembered for an hour after the last failure:
 * - for one email from one source address: 5 failures free, then each further attempt from that
 *   address waits, from 30 s doubling up to 15 min;
 * - for one email from anywhere (guessing spread over many addresses): 50 failures free, then
 *   15 min. A correct password from an address with no failures gets in unless this is hit.
 */
const FREE_FAILURES = 5;
const FIRST_LOCK_SECONDS = 30;
const MAX_LOCK_SECONDS = 15 * 60;
export const EMAIL_FREE_FAILURES = 50;
const EMAIL_LOCK_SECONDS = 15 * 60;
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

/**
 * Signs an Access Co-ordinator or teacher in. Failures are counted per email and source address
 * and per email (see the limits above), atomically, so parallel guesses are each counted.
 */
export async function signIn(
  store: HubStore,
  body: SignInBody,
  clock: Clock = systemClock,
  sourceAddress = 'unknown',
): Promise<SignedIn> {
  const nowSeconds = Math.floor(clock.now().getTime() / 1000);
  // The TTL deletes late: a throttle past its memory counts for nothing.
  const live = (throttle: SignInThrottle | null) => (throttle && throttle.expiresAt > nowSeconds ? throttle : null);
  const [fromHere, fromAnywhere] = (
    await Promise.all([store.getSignInThrottle(body.email, sourceAddress), store.getSignInThrottle(body.email)])
  ).map(live);
  const lockedUntil = Math.max(fromHere?.lockedUntil ?? 0, fromAnywhere?.lockedUntil ?? 0);
  if (lockedUntil > nowSeconds) throw new TooManyRequestsError(lockedUntil - nowSeconds);

  const account = await store.findAccountByEmail(body.email);
  const passwordMatches = await verifyPassword(body.password, account?.passwordHash ?? UNKNOWN_ACCOUNT_HASH);
  if (!account || !account.passwordHash || !passwordMatches) {
    const [here, anywhere] = await Promise.all([
      store.recordSignInFailure(body.email, sourceAddress, nowSeconds, THROTTLE_MEMORY_SECONDS),
      store.recordSignInFailure(body.email, undefined, nowSeconds, THROTTLE_MEMORY_SECONDS),
    ]);
    const hereLock = lockSeconds(here);
    if (hereLock > 0) await store.lockSignIn(body.email, sourceAddress, here, nowSeconds + hereLock);
    if (anywhere > EMAIL_FREE_FAILURES) await store.lockSignIn(body.email, undefined, anywhere, nowSeconds + EMAIL_LOCK_SECONDS);
    throw new UnauthenticatedError(WRONG_CREDENTIALS);
  }

  // Only told to someone who knows the password.
  if (account.deactivatedAt)
    throw new UnauthenticatedError('Your access to the Admin Hub has been removed by your school’s Access Co-ordinator.');
  if (fromHere) await store.clearSignInThrottle(body.email, sourceAddress);
  const token = newToken();
  const session: Session = {
    userId: account.userId,
    centreId: account.centreId,
    role: account.role,
    expiresAt: nowSeconds + SESSION_SECONDS,
    sessionVersion: account.sessionVersion,
  };
  await store.putSession(hashToken(token), session);
  return { token, session, account };
}

/** How long the next attempt from an address must wait after its n-th failure for an email. */
export function lockSeconds(failures: number): number {
  const over = failures - FREE_FAILURES;
  return over >= 0 ? Math.min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** over) : 0;
}

/**
 * The session behind a cookie token, or null when it is unknown, has expired, or was signed in
 * before the account's password, role or email changed (or the account was removed).
 */
export async function resolveSession(store: HubStore, token: string, clock: Clock = systemClock): Promise<Session | null> {
  const session = await store.getSession(hashToken(token));
  if (!session || session.expiresAt <= Math.floor(clock.now().getTime() / 1000)) return null;
  const account = await store.getAccount(session.centreId, session.userId);
  if (!account || account.sessionVersion !== session.sessionVersion || account.role !== session.role) return null;
  if (account.deactivatedAt) return null;
  return session;
}

export async function signOut(store: HubStore, token: string): Promise<void> {
  await store.deleteSession(hashToken(token));
}

/** An account as created: no password, link or sessions yet. */
export type NewAccount = Omit<Account, 'passwordHash' | 'sessionVersion' | 'liveLinkHash' | keyof typeof FULL_ACCESS>;

/** Creates an account with a password (used by the demo seed and tests). */
export async function createAccountWithPassword(store: HubStore, account: NewAccount, password: string | null): Promise<Account> {
  const created: Account = {
    ...account,
    passwordHash: password ? await hashPassword(password) : null,
    sessionVersion: 0,
    liveLinkHash: null,
    ...FULL_ACCESS,
  };
  await store.createAccount(created);
  return created;
}
