import { describe, expect, it } from 'vitest';
import { matchTeachers } from './teachers';
import type { TeacherRecord } from './types';

const teacher = (fields: Partial<TeacherRecord> & { id: string }): TeacherRecord => ({
  title: null,
  firstName: null,
  lastName: null,
  email: null,
  misId: null,
  ...fields,
});
const staff = [
  teacher({ id: 'm-1', title: 'Mrs', firstName: 'Katherine', lastName: 'Pemberton', email: 'kpemberton@oakfield.sch.uk' }),
  teacher({ id: 'm-2', title: 'Mr', firstName: 'Yusuf', lastName: 'Iqbal', email: 'yiqbal@oakfield.sch.uk' }),
  teacher({ id: 'm-3', title: 'Ms', firstName: 'Cerys', lastName: 'Price', email: null }),
  teacher({ id: 'm-4', title: 'Mr', firstName: 'Dafydd', lastName: 'Morgan', email: 'dmorgan@oakfield.sch.uk' }),
];

describe('matching teachers', () => {
  it('matches an exact email and a known short form; a married name alone is left to the user', () => {
    const result = matchTeachers(
      [
        teacher({ id: 'h-kate', title: 'Mrs', firstName: 'Kate', lastName: 'Pemberton', email: 'kate.pemberton@gmail.com' }),
        teacher({ id: 'h-yusuf', title: 'Mr', firstName: 'Yusuf', lastName: 'Iqbal', email: 'yiqbal@oakfield.sch.uk' }),
        teacher({ id: 'h-cerys', title: 'Mrs', firstName: 'Cerys', lastName: 'Hughes', email: null }),
      ],
      staff,
    );
    expect(result.matched.map((pair) => [pair.hubId, pair.misId])).toEqual([
      ['h-kate', 'm-1'],
      ['h-yusuf', 'm-2'],
    ]);
    expect(result.notMatched).toEqual(['h-cerys']);
    expect(result.matched[1]!.reasons).toContain('Same email address');
  });

  it('does not auto-match across a Mr / Mrs title', () => {
    const result = matchTeachers([teacher({ id: 'h', title: 'Mrs', firstName: 'Dafydd', lastName: 'Morgan' })], staff);
    expect(result.matched).toEqual([]);
    expect(result.mayMatch[0]?.reasons).toContain('Titles suggest different people');
  });

  it('lists leavers as Not matched and staff with no Hub account as New', () => {
    const result = matchTeachers(
      [teacher({ id: 'h-leaver', title: 'Mrs', firstName: 'Janet', lastName: 'Whitmore', email: 'jw@old.example' })],
      staff,
    );
    expect(result.notMatched).toEqual(['h-leaver']);
    expect(result.new).toEqual(['m-1', 'm-2', 'm-3', 'm-4']);
  });

  it('does not auto-match on a shared mailbox alone', () => {
    const result = matchTeachers(
      [teacher({ id: 'h', firstName: 'Office', lastName: 'Admin', email: 'dmorgan@oakfield.sch.uk' })],
      staff,
    );
    expect(result.matched).toEqual([]);
  });
});
