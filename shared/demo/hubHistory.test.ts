import { describe, expect, it } from 'vitest';
import { demoHubHistory, demoSchool } from './seedDemo';

describe('the demo Hub, entered by hand years ago', () => {
  const school = demoSchool();
  const hub = demoHubHistory();
  const misPupilNames = new Set(school.pupils.map((pupil) => `${pupil.firstName}|${pupil.lastName}|${pupil.dob}`));

  it('starts with an Access Co-ordinator and one teacher account, each with a Hub teacher record', () => {
    expect(hub.accounts.map(({ account }) => account.role)).toEqual(['access_coordinator', 'teacher']);
    for (const { account } of hub.accounts)
      expect(hub.teachers.some((teacher) => teacher.teacherId === account.teacherId)).toBe(true);
  });

  it('has teachers who are exact copies of MIS staff, teachers with slips, and leavers nobody deleted', () => {
    const misNames = new Set(school.staff.map((member) => `${member.firstName} ${member.lastName}`));
    const exact = hub.teachers.filter((teacher) => misNames.has(`${teacher.firstName} ${teacher.lastName}`));
    expect(exact.length).toBeGreaterThan(2);
    expect(hub.teachers.length - exact.length).toBeGreaterThanOrEqual(3);
    expect(hub.teachers.map((teacher) => teacher.lastName)).toEqual(expect.arrayContaining(['Whitmore', 'Pickering']));
  });

  it('has pupils entered exactly, pupils with slips, and leavers', () => {
    const exact = hub.pupils.filter((pupil) => misPupilNames.has(`${pupil.firstName}|${pupil.lastName}|${pupil.dob}`));
    const different = hub.pupils.length - exact.length;
    expect(exact.length).toBeGreaterThan(40);
    expect(different).toBeGreaterThan(10);
    expect(hub.pupils.filter((pupil) => pupil.yearGroupId === null).length).toBeGreaterThanOrEqual(6);
  });

  it('never holds a record linked to the MIS yet, and never a Nursery year group', () => {
    expect([...hub.teachers, ...hub.pupils].every((record) => record.misId === null && record.syncStatus === 'none')).toBe(true);
    expect(hub.yearGroups.some((yearGroup) => yearGroup.yearCode === 'N2')).toBe(false);
  });

  it('split the mixed-year MIS class into two Hub classes, as the guide’s FAQ describes', () => {
    expect(hub.classes.map((hubClass) => hubClass.name)).toEqual(expect.arrayContaining(['1Swans', '2Swans']));
  });

  it('gives every pupil a unique username', () => {
    expect(new Set(hub.pupils.map((pupil) => pupil.username)).size).toBe(hub.pupils.length);
  });
});
