import * as z from 'zod';
import { epochSeconds } from '../core/clock';
import { ConflictError, NotFoundError, TooManyRequestsError, UnprocessableError } from '../core/errors';
import { FULL_ACCESS, type Account, type Session } from '../domain/records';
import { refusedForGood } from '../mail/refusals';
import type { Dependencies } from '../runtime/dependencies';
import { EmailTakenError } from '../store/hubStore';
import { normaliseEmail } from '../store/keys';
import { handEnteredUserId } from '../wizard/teachers/ids';
import { resetEmail, welcomeEmail } from './emails';
import { setPasswordUrl, storeSetPasswordLink } from './setPassword';
import { signInBody } from './signIn';
import { newToken } from './tokens';

type Deps = Pick<Dependencies, 'store' | 'clock' | 'mailer' | 'appUrl' | 'log'>;

/**
 * How many link emails may be asked for, in fixed one-hour windows (documented in the README):
 * - to one email address, whoever asks (forgot-password or the co-ordinator): 5;
 * - forgot-password requests from one source address: 20;
 * - links a co-ordinator sends from one source address: 200 (a whole staff room, resent).
 */
export const LINK_LIMITS = {
  toEmail: { bucket: 'link-to-email', max: 5, windowSeconds: 60 * 60 },
  forgotFromAddress: { bucket: 'forgot-from-address', max: 20, windowSeconds: 60 * 60 },
  sendFromAddress: { bucket: 'send-from-address', max: 200, windowSeconds: 60 * 60 },
} as const;
type Limit = (typeof LINK_LIMITS)[keyof typeof LINK_LIMITS];

/** Counts the request against each limit in turn; the first limit it is over answers 429. */
async function withinLimits(deps: Deps, checks: readonly (readonly [Limit, string])[], what: string): Promise<void> {
  const now = epochSeconds(deps.clock);
  for (const [limit, subject] of checks) {
    const counted = await deps.store.countAttempt(limit.bucket, subject, now, limit.windowSeconds);
    if (counted.count > limit.max) throw new TooManyRequestsError(Math.max(1, counted.windowEndsAt - now), what);
  }
}

export const forgotPasswordBody = z.object({ email: signInBody.shape.email });
export type ForgotPasswordBody = z.infer<typeof forgotPasswordBody>;

/** Said whether or not an account uses the address, so the answer tells nobody who has an account. */
export const FORGOT_PASSWORD_ANSWER =
  'If an Admin Hub account uses this address, we have emailed it a link to choose a new password. The link works once, for 1 hour.';

/**
 * “Forgot your password?”: emails a single-use, 1-hour set-password link to the account with this
 * address, if there is one; the newest link replaces any older one. The answer is the same either
 * way (an address SES refuses included), so it never tells whether an account exists.
 */
export async function requestPasswordReset(deps: Deps, body: ForgotPasswordBody, sourceAddress: string): Promise<void> {
  await withinLimits(
    deps,
    [
      [LINK_LIMITS.forgotFromAddress, sourceAddress],
      [LINK_LIMITS.toEmail, normaliseEmail(body.email)],
    ],
    'Too many requests for a new password.',
  );
  const account = await deps.store.findAccountByEmail(body.email);
  // No link for an account whose access was removed (it could not sign in with it): the same answer as for no account.
  if (!account || account.deactivatedAt) return;
  const token = newToken();
  if (!(await storeSetPasswordLink(deps.store, account, token, 'reset', deps.clock))) return;
  try {
    await deps.mailer().send(resetEmail(account.email, account.displayName, setPasswordUrl(deps.appUrl(), token)));
  } catch (error) {
    // An address SES refuses is answered like any other; an outage or a misconfiguration is a
    // fault to see and fix, not to hide (it tells only that the service is failing).
    if (!refusedForGood(error)) throw error;
    deps.log.error('reset email refused', { userId: account.userId, error: errorName(error) });
  }
}

export interface LinkSent {
  sentTo: string;
  /** Whether the teacher already had an account (a welcome email sent again) or now has one. */
  account: 'existing' | 'created';
}

/**
 * Users › Teachers, for a teacher who has never set a password: a welcome email with a new
 * 7-day set-password link (the old link stops working). A teacher with no account yet (matched
 * to the MIS, say, but never given one) gets one first. Teachers who have set a password use
 * “Forgot your password?” instead.
 */
export async function sendSetPasswordLink(
  deps: Deps,
  session: Session,
  teacherId: string,
  sourceAddress: string,
): Promise<LinkSent> {
  const [teacher, centre, accounts] = await Promise.all([
    deps.store.getTeacher(session.centreId, teacherId),
    deps.store.getCentre(session.centreId),
    deps.store.listAccounts(session.centreId),
  ]);
  if (!teacher) throw new NotFoundError('There is no such teacher in your centre.');
  if (!teacher.email) throw new UnprocessableError('Add an email address for this teacher first.');
  let account = accounts.find((candidate) => candidate.teacherId === teacherId);
  if (account && normaliseEmail(account.email) !== normaliseEmail(teacher.email))
    throw new ConflictError(
      'This teacher’s account signs in with a different email address from the one shown here, so no link was sent. Put the address back, or ask Hodder Education support to change their sign-in address.',
      'sign_in_email_differs',
    );
  if (account?.passwordHash)
    throw new ConflictError(
      'This teacher has already set a password. They can choose a new one with “Forgot your password?” on the sign-in page.',
      'password_set',
    );
  await withinLimits(
    deps,
    [
      [LINK_LIMITS.sendFromAddress, sourceAddress],
      [LINK_LIMITS.toEmail, normaliseEmail(teacher.email)],
    ],
    'Too many emails sent.',
  );
  const created = !account;
  account ??= await createTeacherAccount(deps, session.centreId, teacherId, teacher.email, teacher.firstName, teacher.lastName);
  const token = newToken();
  if (!(await storeSetPasswordLink(deps.store, account, token, 'welcome', deps.clock)))
    throw new NotFoundError('This teacher’s account was removed. Reload the page.');
  try {
    await deps
      .mailer()
      .send(welcomeEmail(account.email, teacher.firstName, centre?.name ?? 'your school', setPasswordUrl(deps.appUrl(), token)));
  } catch (error) {
    if (refusedForGood(error))
      throw new UnprocessableError('The email service refused this address. Check the teacher’s email address.');
    throw error;
  }
  return { sentTo: account.email, account: created ? 'created' : 'existing' };
}

/** The account of a Hub teacher who had none: a deterministic id, so a retried request creates it once. */
async function createTeacherAccount(
  deps: Deps,
  centreId: string,
  teacherId: string,
  email: string,
  firstName: string,
  lastName: string,
): Promise<Account> {
  const account: Account = {
    userId: handEnteredUserId(teacherId),
    centreId,
    email,
    role: 'teacher',
    displayName: `${firstName} ${lastName}`,
    teacherId,
    passwordHash: null,
    createdAt: deps.clock.now().toISOString(),
    sessionVersion: 0,
    liveLinkHash: null,
    ...FULL_ACCESS,
  };
  try {
    await deps.store.createAccount(account);
    return account;
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
    const holder = await deps.store.emailHolder(email);
    const mine = holder?.centreId === centreId && holder.userId === account.userId;
    const existing = mine ? await deps.store.getAccount(centreId, account.userId) : null;
    if (existing) return existing;
    throw new ConflictError(
      'Another account already signs in with this email address. Give this teacher their own address first.',
      'email_taken',
    );
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
