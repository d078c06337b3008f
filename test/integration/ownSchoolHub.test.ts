import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/localStack';
import { demoCentre, seedDemoCentre } from '../../shared/demo/seedDemo';
import { hubFileSchema } from '../../shared/files/hubFile';
import { parseJsonFile } from '../../shared/files/jsonFile';
import { schoolFileSchema } from '../../shared/files/schoolFile';
import { dependencies } from '../../shared/runtime/dependencies';

/** The demo centre seeded from SCHOOL.json and HUB.json (a table of its own: the demo centre's id is fixed). */
const example = (name: string) => readFileSync(join(REPO_ROOT, 'docs/examples', name), 'utf8');

describe('seeding the demo centre from SCHOOL.json and HUB.json', () => {
  it('writes the Hub file’s records, each link with its guard', async () => {
    const { store } = dependencies();
    const school = parseJsonFile(schoolFileSchema, example('school.json'), 'school.json');
    const hub = parseJsonFile(hubFileSchema, example('hub.json'), 'hub.json');
    expect((await seedDemoCentre(store, { school, hub })).seeded).toBe(true);
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
