import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { handler as teachersHandler } from '../../functions/users/teachers';
import { hubTeacherSchema, type DeletedTeacher, type HubTeacher, type HubTeacherInput } from '../../shared/domain/records';
import { handEnteredUserId, possibleUserIds } from '../../shared/wizard/teachers/ids';
import { dependencies } from '../../shared/runtime/dependencies';
import { sweepErasures } from '../../shared/users/eraseSweep';
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

  it('deletes a teacher who left, signing them out; Recently deleted lists them, and Restore brings them back as they were', async () => {
    const { store } = dependencies();
    const coordinator = await givenAccount('centre-u8', 'access_coordinator', 'the co-ordinator’s password', 'coord-8');
    const leaver = await givenAccount('centre-u8', 'teacher', 'the teacher’s own password', 'left-8');
    await store.putTeachers([
      {
        ...teacher('centre-u8', 'left-8', 'synced'),
        misId: 'mis-8',
        email: leaver.email,
        syncStatus: 'out_of_sync',
        syncReason: 'left_mis',
      },
      teacher('centre-u8', 'synced-8', 'synced'),
      { ...teacher('centre-u8', 'coord-8', 'none'), email: coordinator.email },
    ]);
    const cookie = sessionCookieFrom((await signIn(coordinator.email, 'the co-ordinator’s password')).cookies);
    const theirs = sessionCookieFrom((await signIn(leaver.email, 'the teacher’s own password')).cookies);
    const remove = (teachers: unknown) =>
      call(teachersHandler, apiEvent('POST /api/users/teachers/delete', { cookies: [cookie], body: { teachers } }));
    const bin = async () =>
      (await call(teachersHandler, apiEvent('GET /api/users/teachers/deleted', { cookies: [cookie] }))).body as {
        teachers: { teacherId: string; deletedAt: string; hasAccount: boolean }[];
      };
    const listed = async () =>
      (
        (await call(teachersHandler, apiEvent('GET /api/users/teachers', { cookies: [cookie] }))).body as {
          rows: { teacherId: string }[];
        }
      ).rows.map((row) => row.teacherId);

    const before = await tableSnapshot();
    expect(
      await remove([
        { teacherId: 'synced-8', version: 0 },
        { teacherId: 'left-8', version: 0 },
      ]),
    ).toMatchObject({
      status: 409,
      body: { error: 'teacher_synced' },
    });
    expect(await remove([{ teacherId: 'coord-8', version: 0 }])).toMatchObject({ status: 409, body: { error: 'own_account' } });
    expect(await tableSnapshot()).toEqual(before);

    expect(await remove([{ teacherId: 'left-8', version: 0 }])).toMatchObject({ status: 200, body: { deleted: 1 } });
    // Sent again (a double click): counted, nothing more done.
    expect(await remove([{ teacherId: 'left-8', version: 0 }])).toMatchObject({ status: 200, body: { deleted: 1 } });
    expect(await listed()).not.toContain('left-8');
    expect((await bin()).teachers).toEqual([expect.objectContaining({ teacherId: 'left-8', hasAccount: true })]);
    // Signed out, and cannot sign in while deleted.
    expect((await call(teachersHandler, apiEvent('GET /api/users/teachers', { cookies: [theirs] }))).status).toBe(401);
    expect((await signIn(leaver.email, 'the teacher’s own password')).status).toBe(401);

    const { deletedAt } = (await bin()).teachers[0]!;
    const restore = () =>
      call(
        teachersHandler,
        apiEvent('POST /api/users/teachers/deleted/{teacherId}/restore', {
          cookies: [cookie],
          pathParameters: { teacherId: 'left-8' },
          body: { deletedAt },
        }),
      );
    expect(await restore()).toMatchObject({ status: 200, body: { restored: 'left-8' } });
    expect(await restore()).toMatchObject({ status: 200, body: { restored: 'left-8' } });
    expect(await listed()).toContain('left-8');
    expect((await bin()).teachers).toEqual([]);
    expect(await store.getTeacher('centre-u8', 'left-8')).toMatchObject({
      syncStatus: 'out_of_sync',
      email: leaver.email,
      version: 1,
    });
    expect((await signIn(leaver.email, 'the teacher’s own password')).status).toBe(200);
    const audit = (await store.listAudit('centre-u8')).map((entry) => entry.action);
    expect(audit).toEqual(expect.arrayContaining(['teacher.deleted', 'teacher.restored']));
  });

  it('erases a deleted teacher six months on with their account, and an account whose access was removed six months ago', async () => {
    const deps = dependencies();
    const { store } = deps;
    const deletedOne = await givenAccount('centre-u9', 'teacher', 'password one', 'left-9');
    const removedOne = await givenAccount('centre-u9', 'teacher', 'password two', 'left-10');
    await store.putTeachers([
      {
        ...teacher('centre-u9', 'left-9', 'synced'),
        misId: 'mis-9',
        email: deletedOne.email,
        syncStatus: 'out_of_sync',
        syncReason: 'left_mis',
      },
      {
        ...teacher('centre-u9', 'left-10', 'synced'),
        misId: 'mis-10',
        email: removedOne.email,
        syncStatus: 'out_of_sync',
        syncReason: 'left_mis',
      },
    ]);
    await store.putBackupIfAbsent({
      centreId: 'centre-u9',
      runId: '20261101000000-run-1',
      recordKind: 'teacher',
      recordId: 'left-9',
      record: { ...(await store.getTeacher('centre-u9', 'left-9'))! },
      takenAt: now,
    });
    const cookie = await signedInAs('centre-u9');
    expect(
      (
        await call(
          teachersHandler,
          apiEvent('POST /api/users/teachers/delete', {
            cookies: [cookie],
            body: { teachers: [{ teacherId: 'left-9', version: 0 }] },
          }),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await call(
          teachersHandler,
          apiEvent('POST /api/users/teachers/{teacherId}/access', {
            cookies: [cookie],
            pathParameters: { teacherId: 'left-10' },
            body: { access: 'removed' },
          }),
        )
      ).status,
    ).toBe(200);

    const clock = deps.clock;
    try {
      deps.clock = { now: () => new Date(Date.now() + 180 * 24 * 60 * 60 * 1000) };
      expect(await sweepErasures(deps)).toEqual({ erased: 0, more: false });
      deps.clock = { now: () => new Date(Date.now() + 186 * 24 * 60 * 60 * 1000) };
      expect(await sweepErasures(deps)).toEqual({ erased: 2, more: false });
      expect(await sweepErasures(deps)).toEqual({ erased: 0, more: false });
    } finally {
      deps.clock = clock;
    }
    // Nothing of the deleted teacher is left but the audit log's ids; the other keeps their record, with no account.
    const traces = (await tableSnapshot()).filter(
      (item) =>
        (item.includes('left-9') || item.includes(deletedOne.email) || item.includes('mis-9')) && !item.includes('AUDIT#'),
    );
    expect(traces).toEqual([]);
    expect(await store.emailHolder(deletedOne.email)).toBeNull();
    expect(await store.emailHolder(removedOne.email)).toBeNull();
    expect(await store.getAccount('centre-u9', removedOne.userId)).toBeNull();
    expect(await store.getTeacher('centre-u9', 'left-10')).toMatchObject({ teacherId: 'left-10' });
    const rows = (
      (await call(teachersHandler, apiEvent('GET /api/users/teachers', { cookies: [cookie] }))).body as {
        rows: { teacherId: string; account: string }[];
      }
    ).rows;
    expect(rows).toEqual([expect.objectContaining({ teacherId: 'left-10', account: 'none' })]);
    const audit = (await store.listAudit('centre-u9')).map((entry) => entry.action);
    expect(audit).toEqual(expect.arrayContaining(['teacher.erased', 'account.erased']));
  });

  it('never deletes a teacher over an account changed or made since it was read, nor changes access of one deleted', async () => {
    const { store } = dependencies();
    const account = await givenAccount('centre-u10', 'teacher', 'a password', 'left-11');
    await store.putTeachers([
      { ...teacher('centre-u10', 'left-11', 'none'), email: account.email },
      teacher('centre-u10', 'hand-12', 'none'),
    ]);
    const audit = (action: string) => ({
      auditId: `${action}-${Math.random()}`,
      centreId: 'centre-u10',
      actorUserId: 'someone',
      action,
      subject: 'x',
      at: now,
      detail: {},
    });
    const deletion = (teacherId: string, read: DeletedTeacher['account']): DeletedTeacher => ({
      centreId: 'centre-u10',
      teacherId,
      teacher: hubTeacherSchema.parse(teacher('centre-u10', teacherId, 'none')),
      account: read,
      deletedAt: now,
      deletedBy: 'someone',
      erasesAt: now,
      expiresAt: 0,
    });
    // Read with its access removed; restored before the delete is written: refused, and the account keeps its access.
    await store.setAccountAccess('centre-u10', account.userId, 'left-11', { at: now, erasesAt: now }, audit('removed'));
    const readRemoved = deletion('left-11', { userId: account.userId, deactivatedAt: now });
    await store.setAccountAccess('centre-u10', account.userId, 'left-11', null, audit('restored'));
    const left = { ...readRemoved, teacher: { ...readRemoved.teacher, email: account.email } };
    expect(await store.deleteTeacher(left, audit('deleted'), possibleUserIds('centre-u10', left.teacher))).toBe('stale');
    expect(await store.getTeacher('centre-u10', 'left-11')).not.toBeNull();

    // Read with no account; a welcome email made one before the delete is written: refused.
    const readNone = deletion('hand-12', null);
    await store.createAccount({
      ...(await givenAccount('centre-u10b', 'teacher')),
      userId: handEnteredUserId('hand-12'),
      centreId: 'centre-u10',
      email: 'hand-12@school.example',
      teacherId: 'hand-12',
    });
    expect(await store.deleteTeacher(readNone, audit('deleted'), possibleUserIds('centre-u10', readNone.teacher))).toBe('stale');
    expect(await store.getTeacher('centre-u10', 'hand-12')).not.toBeNull();

    // Deleted as read: then an access change that was checked before the delete is refused.
    const current = deletion('left-11', { userId: account.userId, deactivatedAt: null });
    const asRead = { ...current, teacher: { ...current.teacher, email: account.email } };
    expect(await store.deleteTeacher(asRead, audit('deleted'), [])).toBe('deleted');
    expect(await store.setAccountAccess('centre-u10', account.userId, 'left-11', null, audit('restored'))).toBe(false);
    expect(await store.getAccount('centre-u10', account.userId)).toMatchObject({ deactivatedAt: now });
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
