import { describe, expect, it } from 'vitest';
import { handler as teachersHandler } from '../../functions/users/teachers';
import type { HubTeacher, HubTeacherInput } from '../../shared/domain/records';
import { dependencies } from '../../shared/runtime/dependencies';
import { apiEvent, call, signedInAs, tableSnapshot } from '../support/hub';

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

describe('Users › Teachers editing', () => {
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
