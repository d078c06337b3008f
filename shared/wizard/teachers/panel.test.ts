import { describe, expect, it } from 'vitest';
import { HAND_ENTERED, type HubTeacher, type MisStaff } from '../../domain/records';
import { emptyPlan as emptyTeacherPlan, planProblems, type ReviewPlan as TeacherPlan } from '../review/plan';
import { buildTeachersReview } from './panel';

const now = '2026-01-01T00:00:00.000Z';
const hubTeacher = (teacherId: string, title: string, firstName: string, lastName: string, email: string | null): HubTeacher => ({
  teacherId,
  centreId: 'c',
  title,
  firstName,
  lastName,
  email,
  ...HAND_ENTERED,
  createdAt: now,
  updatedAt: now,
});
const staff = (misId: string, title: string, firstName: string, lastName: string, email: string | null): MisStaff => ({
  misId,
  title,
  firstName,
  lastName,
  email,
  staffCode: null,
  teaching: true,
});

const hub = [
  hubTeacher('h-kate', 'Mrs', 'Kate', 'Pemberton', 'kate.pemberton@oakfield.sch.uk'),
  hubTeacher('h-leaver', 'Mrs', 'Janet', 'Whitmore', 'janet.whitmore@oakfield.sch.uk'),
  hubTeacher('h-cerys', 'Ms', 'Cerys', 'Pryce', null),
];
const mis = [
  staff('m-kate', 'Mrs', 'Katherine', 'Pemberton', 'kpemberton@oakfield.sch.uk'),
  staff('m-cerys', 'Ms', 'Cerys', 'Price', null),
  staff('m-new', 'Mr', 'Dafydd', 'Morgan', 'dmorgan@oakfield.sch.uk'),
  staff('m-office', 'Mrs', 'Ann', 'Hughes', null),
];
const panel = (
  plan: TeacherPlan = emptyTeacherPlan(),
  taken: string[] = hub.flatMap((teacher) => (teacher.email ? [teacher.email] : [])),
) => {
  return buildTeachersReview(hub, mis, plan, taken);
};

describe('the Teachers panel', () => {
  it('lists every teacher once, in review order: Not matched, New, May match, Matched', () => {
    const { rows, counts } = panel();
    expect(rows.map((row) => row.status)).toEqual(['notMatched', 'new', 'new', 'mayMatch', 'matched']);
    expect(counts).toEqual({ notMatched: 1, new: 2, mayMatch: 1, matched: 1, importing: 0 });
  });

  it('makes a May match a match only when the co-ordinator confirms it', () => {
    const confirmed = panel({ ...emptyTeacherPlan(), confirmed: [{ hubId: 'h-cerys', misId: 'm-cerys' }] });
    expect(confirmed.rows.find((row) => 'hub' in row && row.hub.id === 'h-cerys')).toMatchObject({
      status: 'matched',
      source: 'confirmed',
    });
    expect(panel().problems).toEqual(['1 May match pair to confirm or unmatch']);
  });

  it('shows the Hub values the MIS will overwrite', () => {
    const kate = panel().rows.find((row) => row.status === 'matched' && row.hub.id === 'h-kate');
    expect(kate && 'overwritten' in kate ? kate.overwritten : null).toEqual([
      { field: 'firstName', hubValue: 'Kate', misValue: 'Katherine' },
    ]);
  });

  it('applies an unmatch, a manual match and a tick, and checks import emails', () => {
    const plan: TeacherPlan = {
      ...emptyTeacherPlan(),
      unmatched: [{ hubId: 'h-cerys', misId: 'm-cerys' }],
      manualMatches: [{ hubId: 'h-leaver', misId: 'm-office' }],
      imports: ['m-cerys', 'm-new'],
      values: { 'm-new': { email: 'kate.pemberton@oakfield.sch.uk' } },
    };
    const { rows, problems } = panel(plan);
    expect(rows.find((row) => row.status === 'notMatched')).toMatchObject({ hub: { id: 'h-cerys' } });
    expect(rows.find((row) => 'hub' in row && row.hub.id === 'h-leaver')).toMatchObject({ status: 'matched', source: 'you' });
    expect(rows.filter((row) => row.status === 'new').map((row) => row.status === 'new' && [row.mis.id, row.problem])).toEqual([
      ['m-new', 'This email address is already in use'],
      ['m-cerys', 'Enter an email address'],
    ]);
    expect(problems).toEqual(['2 teachers to import need a valid, unique email address']);
  });

  it('refuses a plan that names unknown records or matches one twice', () => {
    const problems = planProblems(
      {
        ...emptyTeacherPlan(),
        imports: ['m-x'],
        manualMatches: [
          { hubId: 'h-kate', misId: 'm-new' },
          { hubId: 'h-kate', misId: 'm-office' },
        ],
        values: { 'm-x': { email: 'nope' } },
      },
      new Set(hub.map((teacher) => teacher.teacherId)),
      new Set(mis.map((member) => member.misId)),
      { hub: 'teacher', mis: 'member of staff' },
    );
    expect(problems).toEqual({
      'imports.0': 'This member of staff is not in your MIS',
      'manualMatches.1': 'A teacher can be matched only once',
      'values.m-x': 'This member of staff is not in your MIS',
    });
  });

  it('gives Not matched and New rows a reason', () => {
    const { rows } = panel();
    expect(rows.find((row) => row.status === 'notMatched')).toMatchObject({
      reason: 'Nobody in your MIS has the same or a similar name',
    });
    expect(rows.find((row) => row.status === 'new')).toMatchObject({ reason: expect.stringMatching(/Nobody in the Admin Hub/) });
  });

  it('warns about a match by hand of two very different names', () => {
    const { rows } = panel({ ...emptyTeacherPlan(), manualMatches: [{ hubId: 'h-leaver', misId: 'm-office' }] });
    expect(rows.find((row) => 'hub' in row && row.hub.id === 'h-leaver')).toMatchObject({
      source: 'you',
      warning: expect.stringMatching(/very different/),
    });
    const close = panel({ ...emptyTeacherPlan(), manualMatches: [{ hubId: 'h-cerys', misId: 'm-cerys' }] });
    expect(close.rows.find((row) => 'hub' in row && row.hub.id === 'h-cerys')).toMatchObject({ source: 'you', warning: null });
  });

  it('shows a link to someone who has left the MIS as Out of sync, never pairs it, and blocks nothing', () => {
    const linkedToLeaver: HubTeacher = { ...hub[1]!, misId: 'm-gone', syncStatus: 'synced' };
    const { rows, problems } = buildTeachersReview([hub[0]!, linkedToLeaver, hub[2]!], mis, emptyTeacherPlan(), []);
    expect(rows.find((row) => 'hub' in row && row.hub.id === 'h-leaver')).toMatchObject({
      status: 'notMatched',
      outOfSync: 'left_mis',
      reason: expect.stringMatching(/^Left your MIS/),
    });
    expect(problems).toEqual(['1 May match pair to confirm or unmatch']);
  });

  it('treats a record made Out of sync by deauthorising as Matched by its link again', () => {
    const deauthorised: HubTeacher = { ...hub[0]!, misId: 'm-new', syncStatus: 'out_of_sync', syncReason: 'deauthorised' };
    const { rows } = buildTeachersReview([deauthorised], mis, emptyTeacherPlan(), []);
    expect(rows.find((row) => 'hub' in row && row.hub.id === 'h-kate')).toMatchObject({ status: 'matched', source: 'linked' });
  });
});
