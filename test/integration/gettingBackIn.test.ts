import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as sessionHandler } from '../../functions/auth/session';
import { handler as setPasswordHandler } from '../../functions/auth/setPassword';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { handler as teachersHandler } from '../../functions/users/teachers';
import { FORGOT_PASSWORD_ANSWER, LINK_LIMITS } from '../../shared/auth/gettingBackIn';
import { createAccountWithPassword } from '../../shared/auth/signIn';
import { HAND_ENTERED } from '../../shared/domain/records';
import { dependencies } from '../../shared/runtime/dependencies';
import { emailsTo, linkTokenIn, startLocalSes } from '../support/engines';
import { apiEvent, call, givenAccount, issueSetPasswordToken, sessionCookieFrom, tableSnapshot } from '../support/hub';

let ses: Awaited<ReturnType<typeof startLocalSes>>;
beforeAll(async () => {
  ses = await startLocalSes();
});
afterAll(() => ses?.stop());

const forgot = (email: string, sourceIp = '198.51.100.7') =>
  call(setPasswordHandler, apiEvent('POST /api/auth/forgot-password', { body: { email }, sourceIp }));
const check = (token: string) => call(setPasswordHandler, apiEvent('POST /api/auth/set-password/check', { body: { token } }));
const choose = (token: string, password: string) =>
  call(setPasswordHandler, apiEvent('POST /api/auth/set-password', { body: { token, password } }));
const signIn = (email: string, password: string) =>
  call(signInHandler, apiEvent('POST /api/auth/sign-in', { body: { email, password } }));
const lastLinkTo = async (address: string) => linkTokenIn((await emailsTo(ses.sesUrl, address)).at(-1)!);

describe('forgot password', () => {
  it('emails a 1-hour link that sets a new password, and signs the old sessions out', async () => {
    const account = await givenAccount('centre-back', 'teacher');
    const oldSession = sessionCookieFrom((await signIn(account.email, account.password)).cookies);

    const asked = await forgot(account.email.toUpperCase());

    expect(asked).toMatchObject({ status: 202, body: { message: FORGOT_PASSWORD_ANSWER } });
    const sent = await emailsTo(ses.sesUrl, account.email);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.text).toMatch(/expires in 1 hour/);
    const token = linkTokenIn(sent[0]!);
    expect(await check(token)).toMatchObject({ status: 200, body: { email: account.email, purpose: 'reset' } });
    expect((await choose(token, 'my new long password')).status).toBe(204);
    expect((await signIn(account.email, 'my new long password')).status).toBe(200);
    expect((await signIn(account.email, account.password)).status).toBe(401);
    const stale = await call(sessionHandler, apiEvent('GET /api/auth/session', { cookies: [oldSession] }));
    expect(stale.status).toBe(401);
  });

  it('answers an unknown address the same way, sends nothing and changes no account', async () => {
    const before = (await tableSnapshot()).filter((item) => !item.includes('ATTEMPTS#'));

    const asked = await forgot('nobody.here@school.example');

    expect(asked).toMatchObject({ status: 202, body: { message: FORGOT_PASSWORD_ANSWER } });
    expect(await emailsTo(ses.sesUrl, 'nobody.here@school.example')).toHaveLength(0);
    expect((await tableSnapshot()).filter((item) => !item.includes('ATTEMPTS#'))).toEqual(before);
  });

  it('refuses a malformed address with a field message, writing nothing', async () => {
    const before = await tableSnapshot();
    const asked = await forgot('not an address');
    expect(asked).toMatchObject({ status: 400, body: { fields: { email: 'Enter a valid email address' } } });
    expect(await tableSnapshot()).toEqual(before);
  });

  it('keeps only the newest link working', async () => {
    const account = await givenAccount('centre-back', 'teacher');
    await forgot(account.email);
    const first = await lastLinkTo(account.email);
    await forgot(account.email);
    const second = await lastLinkTo(account.email);

    expect(await check(first)).toMatchObject({ status: 422, body: { message: expect.stringMatching(/newer link/) } });
    expect((await choose(first, 'a password from the old link')).status).toBe(422);
    expect((await choose(second, 'a password from the new link')).status).toBe(204);
    expect((await signIn(account.email, 'a password from the new link')).status).toBe(200);
  });

  it('lets a reset link expire after an hour', async () => {
    const account = await givenAccount('centre-back', 'teacher');
    const twoHoursAgo = { now: () => new Date(Date.now() - 2 * 60 * 60 * 1000) };
    const token = await issueSetPasswordToken(dependencies().store, account, twoHoursAgo, 'reset');

    expect(await check(token)).toMatchObject({ status: 422, body: { message: expect.stringMatching(/expired/) } });
  });

  it(`sends at most ${LINK_LIMITS.toEmail.max} links an hour to one address, from anywhere`, async () => {
    const account = await givenAccount('centre-back', 'teacher');
    for (let request = 0; request < LINK_LIMITS.toEmail.max; request++)
      expect((await forgot(account.email, `192.0.2.${request + 1}`)).status).toBe(202);

    const over = await forgot(account.email, '192.0.2.200');

    expect(over.status).toBe(429);
    expect(over.body?.retryAfterSeconds).toBeGreaterThan(0);
    expect(await emailsTo(ses.sesUrl, account.email)).toHaveLength(LINK_LIMITS.toEmail.max);
  });

  it(`takes at most ${LINK_LIMITS.forgotFromAddress.max} requests an hour from one address`, async () => {
    const statuses: number[] = [];
    for (let request = 0; request <= LINK_LIMITS.forgotFromAddress.max; request++)
      statuses.push((await forgot(`someone.${request}@school.example`, '203.0.113.77')).status);

    expect(statuses.slice(0, -1)).toEqual(Array(LINK_LIMITS.forgotFromAddress.max).fill(202));
    expect(statuses.at(-1)).toBe(429);
  });

  it('counts requests made at the same moment one by one', async () => {
    const account = await givenAccount('centre-back', 'teacher');
    const statuses = (
      await Promise.all(Array.from({ length: 8 }, (_, index) => forgot(account.email, `198.18.0.${index + 1}`)))
    ).map((response) => response.status);

    expect(statuses.filter((status) => status === 202)).toHaveLength(LINK_LIMITS.toEmail.max);
    expect(statuses.filter((status) => status === 429)).toHaveLength(8 - LINK_LIMITS.toEmail.max);
  });
});

describe('sessions end when the account changes', () => {
  it('ends every session when the account’s sessions are ended (a role or email change)', async () => {
    const account = await givenAccount('centre-back', 'access_coordinator');
    const cookie = sessionCookieFrom((await signIn(account.email, account.password)).cookies);
    const session = () => call(sessionHandler, apiEvent('GET /api/auth/session', { cookies: [cookie] }));
    expect((await session()).status).toBe(200);

    await dependencies().store.endSessions(account.centreId, account.userId);

    expect((await session()).status).toBe(401);
    expect((await signIn(account.email, account.password)).status).toBe(200);
  });
});

describe('a co-ordinator sends a set-password link', () => {
  const centreId = 'centre-links';
  let coordinator: string;
  let teacherNumber = 0;

  beforeAll(async () => {
    const account = await givenAccount(centreId, 'access_coordinator');
    coordinator = sessionCookieFrom((await signIn(account.email, account.password)).cookies);
  });

  async function givenTeacher(account: 'none' | 'invited' | 'active') {
    teacherNumber++;
    const now = new Date().toISOString();
    const teacher = {
      teacherId: `links-t${teacherNumber}`,
      centreId,
      title: 'Mr',
      firstName: 'Gethin',
      lastName: `Jones${teacherNumber}`,
      email: `gethin.jones${teacherNumber}@links.example`,
      ...HAND_ENTERED,
      createdAt: now,
      updatedAt: now,
    };
    await dependencies().store.putTeachers([teacher]);
    if (account !== 'none')
      await createAccountWithPassword(
        dependencies().store,
        {
          userId: `links-user-${teacherNumber}`,
          centreId,
          email: teacher.email,
          role: 'teacher',
          displayName: `Gethin Jones${teacherNumber}`,
          teacherId: teacher.teacherId,
          createdAt: now,
        },
        account === 'active' ? 'an old strong password' : null,
      );
    return teacher;
  }

  const send = (teacherId: string, cookie = coordinator) =>
    call(
      teachersHandler,
      apiEvent('POST /api/users/teachers/{teacherId}/set-password-link', { cookies: [cookie], pathParameters: { teacherId } }),
    );

  it('resends a welcome email to a teacher who never set a password: the new link works, the old one is refused', async () => {
    const teacher = await givenTeacher('invited');
    expect((await send(teacher.teacherId)).status).toBe(200);
    const old = await lastLinkTo(teacher.email);

    const resent = await send(teacher.teacherId);

    expect(resent).toMatchObject({ status: 200, body: { sentTo: teacher.email, account: 'existing' } });
    const fresh = await lastLinkTo(teacher.email);
    expect(await check(old)).toMatchObject({ status: 422 });
    expect(await check(fresh)).toMatchObject({ status: 200, body: { purpose: 'welcome' } });
    expect((await choose(fresh, 'chosen at last, long')).status).toBe(204);
    expect((await signIn(teacher.email, 'chosen at last, long')).status).toBe(200);
  });

  it('gives a teacher with no account one, once, however often it is asked', async () => {
    const teacher = await givenTeacher('none');

    const [first, second] = [await send(teacher.teacherId), await send(teacher.teacherId)];

    expect(first).toMatchObject({ status: 200, body: { account: 'created' } });
    expect(second).toMatchObject({ status: 200, body: { account: 'existing' } });
    const accounts = (await dependencies().store.listAccounts(centreId)).filter((a) => a.teacherId === teacher.teacherId);
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ role: 'teacher', email: teacher.email, passwordHash: null });
    const listed = await call(teachersHandler, apiEvent('GET /api/users/teachers', { cookies: [coordinator] }));
    expect(listed.body?.rows).toContainEqual(expect.objectContaining({ teacherId: teacher.teacherId, account: 'invited' }));
    expect((await choose(await lastLinkTo(teacher.email), 'first ever password')).status).toBe(204);
  });

  it('sends nothing when the teacher’s email here is not the address their account signs in with', async () => {
    const teacher = await givenTeacher('invited');
    await dependencies().store.putTeachers([{ ...teacher, email: 'typo.fixed@links.example' }]);

    const response = await send(teacher.teacherId);

    expect(response).toMatchObject({ status: 409, body: { error: 'sign_in_email_differs' } });
    expect(await emailsTo(ses.sesUrl, teacher.email)).toHaveLength(0);
    expect(await emailsTo(ses.sesUrl, 'typo.fixed@links.example')).toHaveLength(0);
  });

  it('refuses a teacher who has set a password, pointing at Forgot your password, sending nothing', async () => {
    const teacher = await givenTeacher('active');
    const response = await send(teacher.teacherId);
    expect(response).toMatchObject({ status: 409, body: { error: 'password_set' } });
    expect(await emailsTo(ses.sesUrl, teacher.email)).toHaveLength(0);
  });

  it('cannot reach another centre’s teacher, and a teacher cannot send links', async () => {
    const theirs = await givenAccount('centre-other', 'access_coordinator');
    const theirCookie = sessionCookieFrom((await signIn(theirs.email, theirs.password)).cookies);
    const teacher = await givenTeacher('invited');
    const teacherAccount = await givenAccount(centreId, 'teacher');
    const teacherCookie = sessionCookieFrom((await signIn(teacherAccount.email, teacherAccount.password)).cookies);

    expect((await send(teacher.teacherId, theirCookie)).status).toBe(404);
    expect((await send(teacher.teacherId, teacherCookie)).status).toBe(403);
    expect(await emailsTo(ses.sesUrl, teacher.email)).toHaveLength(0);
  });
});
