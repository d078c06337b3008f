import { exampleHub, exampleSchool } from '../support/examples';
import { describe, expect, it } from 'vitest';
import { demoCentre, seedDemoCentre } from '../../shared/demo/seedDemo';
import { dependencies } from '../../shared/runtime/dependencies';

/** The demo centre seeded from SCHOOL.json and HUB.json (a table of its own: the demo centre's id is fixed). */

describe('seeding the demo centre from SCHOOL.json and HUB.json', () => {
  it('writes the Hub file’s records, each link with its guard', async () => {
    const { store } = dependencies();
    expect((await seedDemoCentre(store, { school: exampleSchool(), hub: exampleHub() })).seeded).toBe(true);
    const centreId = demoCentre.centreId;
    expect((await store.listTeachers(centreId)).map((teacher) => [teacher.teacherId, teacher.syncStatus])).toEqual([
      ['t-1', 'synced'],
      ['t-2', 'none'],
      ['t-3', 'none'],
    ]);
    expect((await store.listPupils(centreId)).map((pupil) => [pupil.pupilId, pupil.yearGroupId, pupil.classIds])).toEqual([
      ['p-1', 'yg-r', ['c-maple']],
      ['p-2', 'yg-r', ['c-maple']],
      ['p-3', 'yg-1', []],
    ]);
    expect(await store.getLinkHolder(centreId, 'teacher', '11')).toBe('t-1');
    expect(await store.getLinkHolder(centreId, 'pupil', '7001')).toBe('p-1');
    expect(await store.getLinkHolder(centreId, 'pupil', '7002')).toBeNull();
  });
});
