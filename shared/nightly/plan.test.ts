import { describe, expect, it } from 'vitest';
import type { HubClass, HubPupil, HubTeacher, HubYearGroup, MisStaff } from '../domain/records';
import type { MisPupilFields } from '../wizard/pupils/useCases';
import type { MisMirror } from './mirror';
import { planNight, type HubState, type Known } from './plan';

const at = '2026-12-01T00:00:00.000Z';
const year5: HubYearGroup = {
  yearGroupId: 'yg-5',
  centreId: 'c1',
  name: 'Year 5',
  yearCode: '5',
  intakeYear: 2021,
  misId: '5',
  syncStatus: 'synced',
  syncReason: null,
  version: 1,
  lastRunId: null,
} as HubYearGroup;
const hubClass = (id: string, misId: string | null): HubClass =>
  ({
    classId: id,
    centreId: 'c1',
    name: id,
    description: null,
    yearGroupId: 'yg-5',
    kind: 'registration',
    subject: null,
    teacherIds: [],
    mixedYears: null,
    misId,
    syncStatus: misId ? 'synced' : 'none',
    syncReason: null,
    version: 1,
    lastRunId: null,
  }) as HubClass;

let n = 0;
const misPupil = (first: string, last: string, dob: string, extra: Partial<MisPupilFields> = {}): MisPupilFields => ({
  misId: String(100 + ++n),
  upn: null,
  firstName: first,
  middleName: null,
  lastName: last,
  otherFirstNames: [],
  otherLastNames: [],
  dob,
  gender: 'F',
  pupilPremium: null,
  yearCode: '5',
  ...extra,
});
const hubPupil = (mis: MisPupilFields | null, classIds: string[], extra: Partial<HubPupil> = {}): HubPupil => ({
  pupilId: `p-${mis?.misId ?? ++n}`,
  centreId: 'c1',
  upn: mis?.upn ?? null,
  firstName: mis?.firstName ?? 'Hub',
  middleName: null,
  lastName: mis?.lastName ?? 'Only',
  dob: mis?.dob ?? null,
  gender: 'F',
  pupilPremium: null,
  intakeYear: 2021,
  homeLanguage: null,
  username: `u${n}`,
  markAccess: true,
  yearGroupId: 'yg-5',
  classIds,
  misId: mis?.misId ?? null,
  syncStatus: mis ? 'synced' : 'none',
  syncReason: null,
  version: 3,
  lastRunId: null,
  createdAt: at,
  updatedAt: at,
  ...extra,
});

function mirrorOf(students: MisPupilFields[], classes: Record<string, MisPupilFields[]>, staff: MisStaff[] = []): MisMirror {
  return {
    fetchedAt: at,
    fullAt: at,
    lastChangesAt: at,
    watermarks: {},
    students,
    leftStudentIds: [],
    staff,
    leftStaffIds: [],
    yearGroups: [{ misId: '5', name: 'Year 5', studentIds: students.map((pupil) => pupil.misId) }],
    classes: Object.entries(classes).map(([misId, members]) => ({
      misId,
      name: misId,
      studentIds: members.map((pupil) => pupil.misId),
    })),
  };
}
const knownOf = (mirror: MisMirror): Known => ({
  students: new Set(mirror.students.map((pupil) => pupil.misId)),
  staff: new Set(mirror.staff.map((member) => member.misId)),
  classes: new Set(mirror.classes.map((group) => group.misId)),
});
const hubOf = (pupils: HubPupil[], teachers: HubTeacher[] = []): HubState => ({
  pupils,
  teachers,
  yearGroups: [year5],
  classes: [hubClass('5A', 'reg-1'), hubClass('5B', 'reg-2')],
  startYear: 2026,
});

describe('a night’s plan', () => {
  const ada = misPupil('Ada', 'Lovelace', '2016-03-04');
  const ben = misPupil('Ben', 'Okafor', '2016-07-08');
  const before = mirrorOf([ada, ben], { 'reg-1': [ada, ben] });

  it('changes nothing when the MIS and the Hub agree', () => {
    const plan = planNight(hubOf([hubPupil(ada, ['5A']), hubPupil(ben, ['5A'])]), before, knownOf(before));
    expect(plan.entries).toEqual([]);
  });

  it('writes the MIS’s name and class to a synced pupil, backed by the version it saw', () => {
    const renamed = { ...ada, firstName: 'Adah' };
    const tonight = mirrorOf([renamed, ben], { 'reg-1': [ben], 'reg-2': [renamed] });
    const plan = planNight(hubOf([hubPupil(ada, ['5A']), hubPupil(ben, ['5A'])]), tonight, knownOf(before));
    expect(plan.entries).toEqual([
      {
        target: 'pupil',
        entry: expect.objectContaining({ op: 'link', hubId: `p-${ada.misId}`, firstName: 'Adah', classIds: ['5B'], version: 3 }),
      },
    ]);
  });

  it('makes a leaver Out of sync (never deleted), and one outside what is synced Out of sync with that reason', () => {
    const outside = { ...ben };
    const tonight = {
      ...mirrorOf([outside], { 'reg-9': [outside] }),
      yearGroups: [{ misId: '6', name: 'Year 6', studentIds: [ben.misId] }],
    };
    const plan = planNight(hubOf([hubPupil(ada, ['5A']), hubPupil(ben, ['5A'])]), tonight, knownOf(before));
    expect(
      plan.entries.map((entry) => [
        entry.target,
        'hubId' in entry.entry && entry.entry.hubId,
        'reason' in entry.entry && entry.entry.reason,
      ]),
    ).toEqual([
      ['outOfSync', `p-${ada.misId}`, 'left_mis'],
      ['outOfSync', `p-${ben.misId}`, 'outside_synced_groups'],
    ]);
  });

  it('imports a new pupil of a synced class, and lists one of a class that is not synced', () => {
    const cara = misPupil('Cara', 'Nwosu', '2016-01-02');
    const dev = misPupil('Dev', 'Patel', '2016-02-03');
    const tonight = mirrorOf([ada, ben, cara, dev], { 'reg-1': [ada, ben, cara], 'teach-7': [dev] });
    const plan = planNight(hubOf([hubPupil(ada, ['5A']), hubPupil(ben, ['5A'])]), tonight, knownOf(before));
    expect(plan.entries).toEqual([
      {
        target: 'pupil',
        entry: expect.objectContaining({ op: 'import', misId: cara.misId, classIds: ['5A'], yearGroupId: 'yg-5' }),
      },
    ]);
    expect(plan.waiting.pupils).toEqual([dev.misId]);
    expect(plan.waiting.classes).toEqual(['teach-7']);
  });

  it('does not import a MIS pupil the co-ordinator already saw and left out', () => {
    const eve = misPupil('Eve', 'Adeyemi', '2016-04-05');
    const seen = mirrorOf([ada, ben, eve], { 'reg-1': [ada, ben, eve] });
    const plan = planNight(hubOf([hubPupil(ada, ['5A']), hubPupil(ben, ['5A'])]), seen, knownOf(seen));
    expect(plan.entries).toEqual([]);
  });

  it('links a new MIS pupil the engine is sure of to the unsynced Hub pupil, instead of importing a second one', () => {
    const fay = misPupil('Fay', 'Quennell', '2016-05-06', { upn: 'A123456789012' });
    const tonight = mirrorOf([ada, ben, fay], { 'reg-1': [ada, ben, fay] });
    const hubFay = hubPupil(null, [], { firstName: 'Fay', lastName: 'Quennell', dob: '2016-05-06', upn: 'A123456789012' });
    const plan = planNight(hubOf([hubPupil(ada, ['5A']), hubPupil(ben, ['5A']), hubFay]), tonight, knownOf(before));
    expect(plan.entries).toEqual([
      { target: 'pupil', entry: expect.objectContaining({ op: 'link', hubId: hubFay.pupilId, misId: fay.misId }) },
    ]);
    expect(plan.counts).toMatchObject({ linked: 1, imported: 0 });
  });

  it('never links a new twin to the Hub’s other twin: the May match waits for the co-ordinator, nothing is written', () => {
    // Twins: same surname, date of birth and class; the Hub has only Gil, unsynced; the MIS adds Gwen tonight.
    const gil = misPupil('Gil', 'Marchetti', '2016-09-10', { gender: 'M' });
    const gwen = misPupil('Gwen', 'Marchetti', '2016-09-10');
    const seen = mirrorOf([ada, ben, gil], { 'reg-1': [ada, ben, gil] });
    const tonight = mirrorOf([ada, ben, gil, gwen], { 'reg-1': [ada, ben, gil, gwen] });
    const hubGil = hubPupil(null, [], { firstName: 'Gil', lastName: 'Marchetti', dob: '2016-09-10', gender: 'M' });
    const plan = planNight(hubOf([hubPupil(ada, ['5A']), hubPupil(ben, ['5A']), hubGil]), tonight, knownOf(seen));
    const written = plan.entries.filter((entry) => entry.target === 'pupil' && entry.entry.op === 'link');
    expect(written.some((entry) => 'hubId' in entry.entry && entry.entry.hubId === hubGil.pupilId)).toBe(false);
    // Gwen is either imported as herself or waits as a May match, but is never Gil.
    expect(plan.waiting.mayMatches.every((pair) => pair.misId === gwen.misId)).toBe(true);
  });

  it('lists new MIS teachers and never imports them; a synced teacher takes the MIS’s name', () => {
    const staff: MisStaff[] = [
      { misId: 's1', title: 'Mrs', firstName: 'Jo', lastName: 'Griffiths-Hart', email: null, staffCode: null, teaching: true },
      { misId: 's2', title: 'Mr', firstName: 'Sam', lastName: 'Watson', email: null, staffCode: null, teaching: true },
    ];
    const teacher = {
      teacherId: 't1',
      centreId: 'c1',
      title: 'Mrs',
      firstName: 'Jo',
      lastName: 'Griffiths',
      email: 'jg@school.example',
      misId: 's1',
      syncStatus: 'synced',
      syncReason: null,
      version: 2,
      lastRunId: null,
      createdAt: at,
      updatedAt: at,
    } as HubTeacher;
    const seen = mirrorOf([ada, ben], { 'reg-1': [ada, ben] }, [staff[0]!]);
    const tonight = mirrorOf([ada, ben], { 'reg-1': [ada, ben] }, staff);
    const plan = planNight(hubOf([hubPupil(ada, ['5A']), hubPupil(ben, ['5A'])], [teacher]), tonight, knownOf(seen));
    expect(plan.entries).toEqual([
      { target: 'teacher', entry: expect.objectContaining({ hubId: 't1', lastName: 'Griffiths-Hart', version: 2 }) },
    ]);
    expect(plan.waiting.teachers).toEqual(['s2']);
  });
});
