import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSchool } from '../demo/school';
import { schoolFileFor } from '../../infra/local/assembly/schoolData';
import { hubFileSchema, hubRecordsFrom, unknownLinks } from './hubFile';
import { JsonFileError, parseJsonFile, parseJsonValue } from './jsonFile';
import { schoolFileSchema } from './schoolFile';

const example = (name: string) => readFileSync(new URL(`../../docs/examples/${name}`, import.meta.url), 'utf8');
const problemsOf = (run: () => unknown): readonly string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof JsonFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be refused');
};

describe('SCHOOL.json', () => {
  it('takes what the stand-in serves for the generated school, and the documented example', () => {
    const generated = generateSchool({ seed: 'files', pupils: 90, academicYearStart: 2026 });
    const file = schoolFileSchema.parse(schoolFileFor(generated));
    expect(file.students).toHaveLength(generated.pupils.length);
    expect(file.school.name).toBe(generated.name);
    const documented = parseJsonFile(schoolFileSchema, example('school.json'), 'school.json');
    expect(documented.staff_members).toHaveLength(5);
    // Fields the app does not read are kept, as Assembly sends them.
    expect(documented.school.mis_provider).toBe('SIMS');
  });

  it('names the JSON path of each problem', () => {
    const file = JSON.parse(example('school.json')) as Record<string, Record<string, unknown>[]>;
    file.students![1]!.id = '7002';
    file.students![2]!.dob = '2020-02-30';
    file.teaching_groups![0]!.student_ids = [7001, 9999];
    expect(problemsOf(() => parseJsonValue(schoolFileSchema, file, 'school.json'))).toEqual([
      'students[1].id: expected the record’s Assembly id, a whole number',
      'students[2].dob: expected a date as YYYY-MM-DD',
    ]);
    // Memberships are checked once every record has the right shape.
    file.students![1]!.id = 7002;
    file.students![2]!.dob = '2020-02-28';
    expect(problemsOf(() => parseJsonValue(schoolFileSchema, file, 'school.json'))).toEqual([
      'teaching_groups[0].student_ids[1]: no student with id 9999 in students',
    ]);
  });

  it('refuses a file that is not JSON, or is missing the school, or has a key Assembly has no path for', () => {
    expect(problemsOf(() => parseJsonFile(schoolFileSchema, '{"school": ', 'school.json'))[0]).toMatch(/^\$: not valid JSON/);
    expect(problemsOf(() => parseJsonValue(schoolFileSchema, { students: [] }, 'school.json'))).toEqual([
      'school: expected the object Assembly returns for /school',
    ]);
    expect(problemsOf(() => parseJsonValue(schoolFileSchema, { school: { name: 'A' }, pupils: [] }, 'school.json'))[0]).toMatch(
      /pupils/,
    );
  });

  it('finds an id used twice, and a pupil both on roll and a leaver', () => {
    const file = JSON.parse(example('school.json')) as Record<string, unknown[]>;
    file.staff_members!.push(file.staff_members![0]);
    file.students_left = [file.students![0]];
    expect(problemsOf(() => parseJsonValue(schoolFileSchema, file, 'school.json'))).toEqual([
      'staff_members[5].id: id 11 is used twice (first at staff_members[0])',
      'students_left: student 7001 is both on roll and a leaver',
    ]);
  });
});

describe('HUB.json', () => {
  it('becomes the centre’s Hub records: linked where mis_id says so, year groups and classes by code and id', () => {
    const hub = parseJsonFile(hubFileSchema, example('hub.json'), 'hub.json');
    const school = parseJsonFile(schoolFileSchema, example('school.json'), 'school.json');
    expect(unknownLinks(hub, school)).toEqual([]);
    const records = hubRecordsFrom(hub, 'centre-x', '2020-01-01T00:00:00.000Z');
    expect(records.teachers[0]).toMatchObject({ teacherId: 't-1', misId: '11', syncStatus: 'synced', centreId: 'centre-x' });
    expect(records.teachers[1]).toMatchObject({ teacherId: 't-2', misId: null, syncStatus: 'none', lastName: 'Shaw' });
    expect(records.pupils.map((pupil) => [pupil.yearGroupId, pupil.classIds, pupil.username])).toEqual([
      ['yg-r', ['c-maple'], 'ahughes'],
      ['yg-r', ['c-maple'], 'nhughes'],
      ['yg-1', [], 'owright'],
    ]);
    expect(records.classes[0]).toMatchObject({ classId: 'c-maple', yearGroupId: 'yg-r' });
  });

  it('names the JSON path of each problem, including links to records SCHOOL.json does not have', () => {
    const file = JSON.parse(example('hub.json')) as Record<string, Record<string, unknown>[]>;
    delete file.teachers![2]!.first_name;
    file.pupils![1]!.dob = '14/03/2021';
    file.pupils![1]!.classes = ['c-maple', 'c-birch'];
    file.pupils![2]!.year_code = '2';
    file.pupils![2]!.mis_id = 7001;
    expect(problemsOf(() => parseJsonValue(hubFileSchema, file, 'hub.json'))).toEqual([
      'teachers[2].first_name: the Hub needs a first name',
      'pupils[1].dob: expected a date as YYYY-MM-DD',
    ]);
    file.teachers![2]!.first_name = 'Grace';
    file.pupils![1]!.dob = '2021-03-14';
    expect(problemsOf(() => parseJsonValue(hubFileSchema, file, 'hub.json'))).toEqual([
      'pupils[2].mis_id: MIS record 7001 is already linked to pupils[0]',
      'pupils[1].classes[1]: no class with id "c-birch" in classes',
      'pupils[2].year_code: no year group in year_groups has code "2"',
    ]);

    const school = parseJsonFile(schoolFileSchema, example('school.json'), 'school.json');
    const linked = parseJsonFile(hubFileSchema, example('hub.json'), 'hub.json');
    linked.teachers[1]!.mis_id = '99';
    expect(unknownLinks(linked, school)).toEqual([
      "teachers[1].mis_id: no record with id 99 in SCHOOL.json's staff_members or staff_members_left",
    ]);
  });
});
