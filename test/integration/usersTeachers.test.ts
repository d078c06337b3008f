import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { handler as teachersHandler } from '../../functions/users/teachers';
import type { HubTeacher, HubTeacherInput } from '../../shared/domain/records';
import { dependencies } from '../../shared/runtime/dependencies';
import { emailsTo, startLocalSes } from '../support/engines';
import { apiEvent, call, givenAccount, sessionCookieFrom, signedInAs, tableSnapshot } from '../support/hub';

const now = new Date().toISOString();
const teacher = (centreId: string, teacherId: string, syncStatus: HubTeacher['syncStatus']): HubTeacherInput => ({
  teacherId,
  centreId,
  title: 'Mrs',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: `${teacherId}@school.example`,
  misId: syncStatus === 'synced' ? 'mis-1' : null,
  syncStatus,
  createdAt: now,
  updatedAt: now,
});

const edit = (cookie: string, teacherId: string, body: unknown) =>
  call(
    teachersHandler,
    apiEvent('PATCH /api/users/teachers/{teacherId}', { cookies: [cookie], pathParameters: { teacherId }, body }),
  );

let ses: Awaited<ReturnType<typeof startLocalSes>>;
beforeAll(async () => {
  ses = await startLocalSes();
});
afterAll(() => ses?.stop());

const signIn = (email: string, password: string) =>
  call(signInHandler, apiEvent('POST /api/auth/sign-in', { body: { email, password } }));

describe('Users › Teachers editing', () => {
  it('changes a synced teacher’s sign-in email with their email, tells both addresses, and keeps emails unique', async () => {
    const { store } = dependencies();
    const account = await givenAccount('centre-u5', 'teacher', 'the teacher’s own password', 'synced-5');
    await store.putTeachers([{ ...teacher('centre-u5', 'synced-5', 'synced'), email: account.email }]);
    const other = await givenAccount('centre-u6', 'teacher');
    const cookie = await signedInAs('centre-u5');

    const before = await tableSnapshot();
    const taken = await edit(cookie, 'synced-5', { email: other.email.toUpperCase() });
    expect(taken).toMatchObject({ status: 409, body: { error: 'email_taken', fields: { email: expect.any(String) } } });
    expect(await tableSnapshot()).toEqual(before);

    const changed = await edit(cookie, 'synced-5', { email: 'ada.king@school.example' });
    expect(changed).toMatchObject({ status: 200, body: { email: 'ada.king@school.example', synced: 'synced' } });
    expect((await signIn('ada.king@school.example', 'the teacher’s own password')).status).toBe(200);
    expect((await signIn(account.email, 'the teacher’s own password')).status).toBe(401);
    for (const address of [account.email, 'ada.king@school.example']) {
      const [told] = await emailsTo(ses.sesUrl, address);
      expect(told?.subject).toBe('Your Admin Hub email address has changed');
      expect(told?.body.text).toContain('ada.king@school.example');
    }
    // The old address is free for someone else.
    expect(await store.emailHolder(account.email)).toBeNull();
  });

  it('removes a teacher’s access once they left the MIS, signing them out, and restores it', async () => {
    const { store } = dependencies();
    const account = await givenAccount('centre-u7', 'teacher', 'the teacher’s own password', 'left-7');
    await store.putTeachers([
      { ...teacher('centre-u7', 'left-7', 'synced'), email: account.email, syncStatus: 'out_of_sync', syncReason: 'left_mis' },
      { ...teacher('centre-u7', 'synced-7', 'synced'), misId: 'mis-2' },
    ]);
    await givenAccount('centre-u7', 'teacher', 'another password', 'synced-7');
    const cookie = await signedInAs('centre-u7');
    const theirs = sessionCookieFrom((await signIn(account.email, 'the teacher’s own password')).cookies);
    const access = (teacherId: string, body: unknown) =>
      call(
        teachersHandler,
        apiEvent('POST /api/users/teachers/{teacherId}/access', { cookies: [cookie], pathParameters: { teacherId }, body }),
      );
    const list = () => call(teachersHandler, apiEvent('GET /api/users/teachers', { cookies: [theirs] }));
    expect((await list()).status).toBe(200);

    expect(await access('synced-7', { access: 'removed' })).toMatchObject({ status: 409, body: { error: 'teacher_synced' } });
    expect((await access('left-7', { access: 'gone' })).status).toBe(400);
    expect(await access('left-7', { access: 'removed' })).toMatchObject({ status: 200, body: { account: 'deactivated' } });
    // Signed out everywhere, and told why when they sign in again.
    expect((await list()).status).toBe(401);
    expect(await signIn(account.email, 'the teacher’s own password')).toMatchObject({
      status: 401,
      body: { message: expect.stringContaining('access to the Admin Hub has been removed') },
    });
    expect(await access('left-7', { access: 'removed' })).toMatchObject({ status: 409, body: { error: 'access_unchanged' } });

    expect(await access('left-7', { access: 'restored' })).toMatchObject({ status: 200, body: { account: 'active' } });
    expect((await signIn(account.email, 'the teacher’s own password')).status).toBe(200);
    const audit = (await store.listAudit('centre-u7')).map((entry) => entry.action);
    expect(audit).toEqual(expect.arrayContaining(['teacher.access_removed', 'teacher.access_restored']));
  });

  it('lets only the email of a synced teacher change, enforced by the API', async () => {
    await dependencies().store.putTeachers([teacher('centre-u1', 'synced-1', 'synced')]);
    const cookie = await signedInAs('centre-u1');
    const before = await tableSnapshot();

    const refused = await edit(cookie, 'synced-1', { firstName: 'Augusta', email: 'ada@school.example' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'managed_by_mis', message: expect.stringContaining('first name') });
    expect(refused.body?.fields).toEqual({ firstName: expect.stringMatching(/change this in your MIS/) });
    expect(await tableSnapshot()).toEqual(before);

    const allowed = await edit(cookie, 'synced-1', { email: 'ada@school.example' });
    expect(allowed.body).toMatchObject({ email: 'ada@school.example', firstName: 'Ada', synced: 'synced' });
  });

  it('lets every detail of an unsynced teacher change, with field messages for bad input', async () => {
    await dependencies().store.putTeachers([teacher('centre-u2', 'hand-1', 'none')]);
    const cookie = await signedInAs('centre-u2');
    expect((await edit(cookie, 'hand-1', { firstName: 'Augusta', lastName: 'King' })).body).toMatchObject({
      firstName: 'Augusta',
      lastName: 'King',
    });
    expect((await edit(cookie, 'hand-1', { email: 'not an email', lastName: '' })).body?.fields).toEqual({
      email: 'Enter a valid email address',
      lastName: 'Enter a last name',
    });
  });

  it('answers 404 for another centre’s teacher and 403 to a teacher', async () => {
    await dependencies().store.putTeachers([teacher('centre-u3', 'theirs', 'none')]);
    expect((await edit(await signedInAs('centre-u4'), 'theirs', { firstName: 'X' })).status).toBe(404);
    expect((await edit(await signedInAs('centre-u3', 'teacher'), 'theirs', { firstName: 'X' })).status).toBe(403);
  });
});
