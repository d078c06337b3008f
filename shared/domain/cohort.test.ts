import { describe, expect, it } from 'vitest';
import { defaultSchoolYearChoice, intakeCohort, isNursery, schoolYearStart, yearsAfterReception } from './cohort';

describe('the intake cohort', () => {
  it('is the calendar year the year group started Reception', () => {
    expect(intakeCohort('3', 2026)).toBe(2023);
    expect(intakeCohort('R', 2026)).toBe(2026);
    expect(intakeCohort('6', 2026)).toBe(2020);
    expect(intakeCohort('13', 2026)).toBe(2013);
    expect(intakeCohort('Year 4', 2025)).toBe(2021);
    expect(intakeCohort('Yr 2', 2026)).toBe(2024);
    expect(intakeCohort('Reception', 2026)).toBe(2026);
    expect(intakeCohort('Mixed', 2026)).toBeNull();
  });

  it('keeps a pupil’s cohort as they move up a year', () => {
    expect(intakeCohort('3', 2026)).toBe(intakeCohort('4', 2027));
  });

  it('knows Nursery below Reception, and nothing else as Nursery', () => {
    expect(['N1', 'N2', 'n2', 'Nursery'].map(isNursery)).toEqual([true, true, true, true]);
    expect(['R', '1', '13', 'Mixed', null].map(isNursery)).toEqual([false, false, false, false, false]);
    expect(yearsAfterReception('N1')).toBe(-2);
  });

  it('pre-selects the school year from the MIS’s academic year, saying why', () => {
    const december = new Date('2026-12-02T10:00:00Z');
    const july = new Date('2027-07-10T10:00:00Z');
    const year = { name: '2026/27', startDate: '2026-09-01' };
    expect(defaultSchoolYearChoice(year, december)).toEqual({
      choice: 'this',
      why: 'Your MIS’s current school year, 2026/27, started in September 2026.',
    });
    expect(defaultSchoolYearChoice(year, july).choice).toBe('last');
    expect(schoolYearStart('last', july)).toBe(2026);
    expect(schoolYearStart('this', december)).toBe(2026);
    expect(defaultSchoolYearChoice(null, july).choice).toBe('last');
    expect(defaultSchoolYearChoice(null, december).choice).toBe('this');
  });
});
