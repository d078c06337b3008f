import { describe, expect, it } from 'vitest';
import { handler as sessionHandler } from '../../functions/auth/session';
import { handler as setPasswordHandler } from '../../functions/auth/setPassword';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { handler as signOutHandler } from '../../functions/auth/signOut';
import { handler as overviewHandler } from '../../functions/sync/overview';
import { handler as teachersHandler } from '../../functions/users/teachers';
import { dependencies } from '../../shared/runtime/dependencies';
import { EMAIL_FREE_FAILURES } from '../../shared/auth/signIn';
import { apiEvent, call, givenAccount, issueSetPasswordToken, sessionCookieFrom, tableSnapshot } from '../support/hub';

const SIGN_IN = 'POST /api/auth/sign-in';

describe('sign-in', () => {
  it('refuses a malformed body with a message for each field and writes nothing', async () => {
    await givenAccount('centre-a', 'access_coordinator');
    const before = await tableSnapshot();

    const response = await call(signInHandler, apiEvent(SIGN_IN, { body: { email: 'not-an-email', password: '' } }));

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      fields: { email: 'Enter a valid email address', password: 'Enter your password' },
    });
    expect(response.cookies).toEqual([]);
    expect(await tableSnapshot()).toEqual(before);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await call(signInHandler, apiEvent(SIGN_IN, { rawBody: '{email:' }));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ fields: { body: 'Send a JSON object' } });
  });

  it('gives the same 401 for a wrong password and an unknown email, and creates no session', async () => {
    const account = await givenAccount('centre-a', 'teacher');
    const before = await tableSnapshot();

    const wrongPassword = await call(
      signInHandler,
      apiEvent(SIGN_IN, { body: { email: account.email, password: 'not the password' } }),
    );
    const unknownEmail = await call(
      signInHandler,
      apiEvent(SIGN_IN, { body: { email: 'nobody@school.example', password: 'whatever it is' } }),
    );

    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body?.message).toBe(unknownEmail.body?.message);
    expect(wrongPassword.cookies).toEqual([]);
    // Only the failure counter that slows down guessing is written; no session, no account change.
    const withoutThrottle = (items: string[]) => items.filter((item) => !item.includes('SIGNIN#'));
    expect(withoutThrottle(await tableSnapshot())).toEqual(withoutThrottle(before));
  });

  it('slows down repeated failures for one email, even with the right password', async () => {
    const account = await givenAccount('centre-a', 'teacher');
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await call(
        signInHandler,
        apiEvent(SIGN_IN, { body: { email: account.email, password: `guess ${attempt}` } }),
      );
      expect(response.status).toBe(401);
    }

    const locked = await call(signInHandler, apiEvent(SIGN_IN, { body: { email: account.email, password: account.password } }));

    expect(locked.status).toBe(429);
    expect(locked.body?.retryAfterSeconds).toBeGreaterThan(0);
    expect(locked.cookies).toEqual([]);
  });

  it('lets the right password in from an address with no failures, while the guessing address waits', async () => {
    const account = await givenAccount('centre-a', 'teacher');
    for (let attempt = 0; attempt < 6; attempt++)
      await call(
        signInHandler,
        apiEvent(SIGN_IN, { sourceIp: '203.0.113.9', body: { email: account.email, password: `guess ${attempt}` } }),
      );

    const fromGuesser = await call(
      signInHandler,
      apiEvent(SIGN_IN, { sourceIp: '203.0.113.9', body: { email: account.email, password: account.password } }),
    );
    const fromSchool = await call(
      signInHandler,
      apiEvent(SIGN_IN, { sourceIp: '198.51.100.20', body: { email: account.email, password: account.password } }),
    );

    expect(fromGuesser.status).toBe(429);
    expect(fromSchool.status).toBe(200);
  });

  it('counts parallel guesses one by one', async () => {
    const account = await givenAccount('centre-a', 'teacher');
    const guesses = Array.from({ length: 8 }, (_, attempt) =>
      call(
        signInHandler,
        apiEvent(SIGN_IN, { sourceIp: '203.0.113.50', body: { email: account.email, password: `parallel ${attempt}` } }),
      ),
    );
    expect((await Promise.all(guesses)).map((response) => response.status)).toEqual(Array(8).fill(401));

    expect(await dependencies().store.getSignInThrottle(account.email, '203.0.113.50')).toMatchObject({ failures: 8 });
    expect(await dependencies().store.getSignInThrottle(account.email)).toMatchObject({ failures: 8 });
  });

  it(
    `stops guessing spread over many addresses after ${EMAIL_FREE_FAILURES} failures for one email`,
    { timeout: 120_000 },
    async () => {
      const account = await givenAccount('centre-a', 'teacher');
      for (let attempt = 0; attempt <= EMAIL_FREE_FAILURES; attempt++)
        await call(
          signInHandler,
          apiEvent(SIGN_IN, {
            sourceIp: `192.0.2.${attempt + 1}`,
            body: { email: account.email, password: `spread ${attempt}` },
          }),
        );

      const fromNewAddress = await call(
        signInHandler,
        apiEvent(SIGN_IN, { sourceIp: '198.51.100.99', body: { email: account.email, password: account.password } }),
      );

      expect(fromNewAddress.status).toBe(429);
    },
  );

  it('sets an HttpOnly, SameSite=Strict, Secure session cookie that opens the session', async () => {
    const account = await givenAccount('centre-a', 'access_coordinator');

    const response = await call(
      signInHandler,
      apiEvent(SIGN_IN, { body: { email: account.email.toUpperCase(), password: account.password } }),
    );

    expect(response.status).toBe(200);
    const [cookie] = response.cookies;
    expect(cookie).toMatch(/^hub_session=[\w-]{40,}; Path=\/; Max-Age=28800; HttpOnly; SameSite=Strict; Secure$/);
    const session = await call(
      sessionHandler,
      apiEvent('GET /api/auth/session', { cookies: [sessionCookieFrom(response.cookies)] }),
    );
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ user: { email: account.email, role: 'access_coordinator' } });
  });

  it('takes Secure from the configured address, never from a client-sent host', async () => {
    const account = await givenAccount('centre-a', 'teacher');
    const signInWith = (host: string) =>
      call(
        signInHandler,
        apiEvent(SIGN_IN, {
          host,
          headers: { 'x-forwarded-host': host },
          body: { email: account.email, password: account.password },
        }),
      );

    expect((await signInWith('localhost')).cookies[0]).toMatch(/; Secure$/);
    const configured = process.env.APP_URL;
    process.env.APP_URL = 'http://localhost:3000';
    try {
      // Only the local stack, configured on plain HTTP, leaves it out.
      expect((await signInWith('hub.example.org')).cookies[0]).not.toContain('Secure');
    } finally {
      process.env.APP_URL = configured;
    }
  });

  it('answers a malformed cookie with a 400 that says what to do, not a 500', async () => {
    const response = await call(sessionHandler, apiEvent('GET /api/auth/session', { cookies: ['hub_session=%E0%A4%A'] }));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ fields: { cookie: expect.stringMatching(/Clear this site’s cookies/) } });
  });

  it('ends the session on sign out', async () => {
    const account = await givenAccount('centre-a', 'teacher');
    const signedIn = await call(signInHandler, apiEvent(SIGN_IN, { body: { email: account.email, password: account.password } }));
    const cookie = sessionCookieFrom(signedIn.cookies);

    const signedOut = await call(signOutHandler, apiEvent('POST /api/auth/sign-out', { cookies: [cookie] }));

    expect(signedOut.status).toBe(204);
    expect(signedOut.cookies[0]).toContain('Max-Age=0');
    expect((await call(sessionHandler, apiEvent('GET /api/auth/session', { cookies: [cookie] }))).status).toBe(401);
  });
});

describe('roles', () => {
  it('lets the Access Co-ordinator open MIS data sync and answers 403 to a teacher', async () => {
    const coordinator = await givenAccount('centre-b', 'access_coordinator');
    const teacher = await givenAccount('centre-b', 'teacher');
    const cookieOf = async (account: { email: string; password: string }) =>
      sessionCookieFrom(
        (await call(signInHandler, apiEvent(SIGN_IN, { body: { email: account.email, password: account.password } }))).cookies,
      );

    const asCoordinator = await call(
      overviewHandler,
      apiEvent('GET /api/sync/overview', { cookies: [await cookieOf(coordinator)] }),
    );
    const asTeacher = await call(overviewHandler, apiEvent('GET /api/sync/overview', { cookies: [await cookieOf(teacher)] }));
    const anonymous = await call(overviewHandler, apiEvent('GET /api/sync/overview'));

    expect(asCoordinator.status).toBe(200);
    expect(asCoordinator.body).toMatchObject({ connection: { status: 'not_connected' } });
    expect(asTeacher.status).toBe(403);
    expect(anonymous.status).toBe(401);
  });

  it('lists only the signed-in centre’s teachers, whatever the request says', async () => {
    const { store } = dependencies();
    const now = new Date().toISOString();
    const teacher = (centreId: string, teacherId: string, lastName: string) => ({
      teacherId,
      centreId,
      title: 'Ms',
      firstName: 'Ada',
      lastName,
      email: null,
      misId: null,
      syncStatus: 'none' as const,
      createdAt: now,
      updatedAt: now,
    });
    await store.putTeachers([teacher('centre-c', 't-1', 'Ours'), teacher('centre-d', 't-1', 'Theirs')]);
    const account = await givenAccount('centre-c', 'teacher');
    const cookie = sessionCookieFrom(
      (await call(signInHandler, apiEvent(SIGN_IN, { body: { email: account.email, password: account.password } }))).cookies,
    );

    const response = await call(teachersHandler, apiEvent('GET /api/users/teachers', { cookies: [cookie] }));

    expect(response.body).toMatchObject({ rows: [expect.objectContaining({ lastName: 'Ours' })], total: 1 });
  });
});

describe('set password', () => {
  it('works once, after which the teacher signs in with the new password', async () => {
    const account = await givenAccount('centre-e', 'teacher');
    const token = await issueSetPasswordToken(dependencies().store, account);

    const check = await call(setPasswordHandler, apiEvent('POST /api/auth/set-password/check', { body: { token } }));
    const first = await call(
      setPasswordHandler,
      apiEvent('POST /api/auth/set-password', { body: { token, password: 'a brand new password' } }),
    );
    const replay = await call(
      setPasswordHandler,
      apiEvent('POST /api/auth/set-password', { body: { token, password: 'another new password' } }),
    );
    const signIn = await call(
      signInHandler,
      apiEvent(SIGN_IN, { body: { email: account.email, password: 'a brand new password' } }),
    );

    expect(check).toMatchObject({ status: 200, body: { email: account.email } });
    expect(first.status).toBe(204);
    expect(replay.status).toBe(422);
    expect(replay.body?.message).toMatch(/already been used/);
    expect(signIn.status).toBe(200);
  });

  it('refuses an expired link and a short password, changing nothing', async () => {
    const account = await givenAccount('centre-e', 'teacher');
    const eightDaysAgo = { now: () => new Date(Date.now() - 8 * 24 * 60 * 60 * 1000) };
    const expired = await issueSetPasswordToken(dependencies().store, account, eightDaysAgo);
    const fresh = await issueSetPasswordToken(dependencies().store, account);
    const before = await tableSnapshot();

    const expiredResponse = await call(
      setPasswordHandler,
      apiEvent('POST /api/auth/set-password', { body: { token: expired, password: 'long enough password' } }),
    );
    const shortResponse = await call(
      setPasswordHandler,
      apiEvent('POST /api/auth/set-password', { body: { token: fresh, password: 'short' } }),
    );

    expect(expiredResponse.status).toBe(422);
    expect(expiredResponse.body?.message).toMatch(/expired/);
    expect(shortResponse).toMatchObject({ status: 400, body: { fields: { password: 'Use at least 10 characters' } } });
    expect(await tableSnapshot()).toEqual(before);
  });

  it('says clearly when a link is unknown', async () => {
    const response = await call(
      setPasswordHandler,
      apiEvent('POST /api/auth/set-password/check', { body: { token: 'x'.repeat(43) } }),
    );
    expect(response.status).toBe(404);
    expect(response.body?.message).toMatch(/not valid/);
  });
});
