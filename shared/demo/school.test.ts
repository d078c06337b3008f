import { describe, expect, it } from 'vitest';
import { isValidUpn } from '../domain/upn';
import { generateSchool } from './school';

describe('generated UK primary school', () => {
  const school = generateSchool({ seed: 'unit', pupils: 224 });

  it('is the same school every time for the same seed, and another for another seed', () => {
    expect(generateSchool({ seed: 'unit', pupils: 224 })).toEqual(school);
    expect(generateSchool({ seed: 'other', pupils: 224 }).pupils[0]).not.toEqual(school.pupils[0]);
  });

  it('runs from Nursery to Year 6', () => {
    expect(school.yearGroups.map((yearGroup) => yearGroup.code)).toEqual(['N2', 'R', '1', '2', '3', '4', '5', '6']);
    for (const yearGroup of school.yearGroups) expect(yearGroup.studentIds.length).toBeGreaterThan(20);
  });

  it('has a mixed-year class', () => {
    const mixed = school.registrationGroups.filter((group) => group.yearCodes.length > 1);
    expect(mixed).toHaveLength(1);
    const years = new Set(mixed[0]!.studentIds.map((id) => school.pupils.find((pupil) => pupil.id === id)!.yearCode));
    expect([...years].sort()).toEqual(['1', '2']);
  });

  it('has twins: same surname, same birthday, same year, different first names', () => {
    const twins = school.pupils.filter((pupil) => pupil.twinOf !== null);
    expect(twins.length).toBeGreaterThanOrEqual(4);
    for (const twin of twins) {
      const other = school.pupils.find((pupil) => pupil.id === twin.twinOf)!;
      expect(other.twinOf).toBe(twin.id);
      expect([other.lastName, other.dob, other.yearCode]).toEqual([twin.lastName, twin.dob, twin.yearCode]);
    }
  });

  it('has children who share a very common name', () => {
    const names = school.pupils.map((pupil) => `${pupil.firstName} ${pupil.lastName}`);
    const repeated = names.filter((name, index) => names.indexOf(name) !== index);
    expect(repeated).toEqual(expect.arrayContaining(['Mohammed Khan', 'Oliver Smith', 'Amelia Jones']));
  });

  it('gives every pupil a valid, unique UPN and a birthday that fits their year', () => {
    expect(school.pupils.every((pupil) => isValidUpn(pupil.upn))).toBe(true);
    expect(new Set(school.pupils.map((pupil) => pupil.upn)).size).toBe(school.pupils.length);
    const year1 = school.pupils.filter((pupil) => pupil.yearCode === '1');
    for (const pupil of year1) expect(pupil.dob >= '2020-09-01' && pupil.dob <= '2021-08-31').toBe(true);
  });

  it('has teaching and non-teaching staff, some without an email in the MIS', () => {
    expect(school.staff.some((member) => member.isTeachingStaff)).toBe(true);
    expect(school.staff.some((member) => !member.isTeachingStaff)).toBe(true);
    const emails = school.staff.flatMap((member) => (member.email ? [member.email] : []));
    expect(new Set(emails).size).toBe(emails.length);
  });

  it('draws names from many communities, with their accents and apostrophes', () => {
    const allNames = school.pupils.flatMap((pupil) => [pupil.firstName, pupil.lastName]).join(' ');
    expect(allNames).toMatch(/[À-ž]/);
    expect(new Set(school.pupils.map((pupil) => pupil.lastName)).size).toBeGreaterThan(60);
  });

  it('scales to benchmark sizes with unique ids', () => {
    const large = generateSchool({ seed: 'large', pupils: 5000 });
    expect(large.pupils.length).toBeGreaterThanOrEqual(5000);
    expect(new Set(large.pupils.map((pupil) => pupil.id)).size).toBe(large.pupils.length);
    expect(new Set(large.pupils.map((pupil) => pupil.upn)).size).toBe(large.pupils.length);
  });
});
