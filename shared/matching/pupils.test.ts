import { describe, expect, it } from 'vitest';
import { makeUpn } from '../domain/upn';
import { matchPupils } from './pupils';
import type { MatchResult, PupilRecord } from './types';

/** A small MIS for context (frequencies come from the MIS), plus the records under test. */
let serial = 0;
function pupil(fields: Partial<PupilRecord> & { id: string }): PupilRecord {
  return {
    upn: null,
    misId: null,
    firstName: null,
    middleName: null,
    lastName: null,
    dob: null,
    gender: null,
    yearCode: null,
    ...fields,
  };
}
function classmates(count: number): PupilRecord[] {
  const names = [
    'Freya Hughes',
    'Yusuf Iqbal',
    'Zofia Nowak',
    'Chidi Okafor',
    'Cerys Price',
    'Oisín Byrne',
    'Mei Chen',
    'Dev Patel',
  ];
  return Array.from({ length: count }, (_, index) => {
    const [firstName, lastName] = names[index % names.length]!.split(' ');
    return pupil({
      id: `mis-classmate-${index}`,
      upn: makeUpn(335, 2041, 19, 500 + index),
      firstName,
      lastName: `${lastName}${index >= names.length ? index : ''}`,
      dob: `2019-0${(index % 9) + 1}-1${index % 10}`,
      gender: index % 2 ? 'M' : 'F',
      yearCode: '2',
    });
  });
}
const upn = () => makeUpn(335, 2041, 19, serial++);

function statusOf(result: MatchResult, hubId: string): { status: string; misId?: string; reasons?: string[] } {
  const matched = result.matched.find((pair) => pair.hubId === hubId);
  if (matched) return { status: 'matched', misId: matched.misId, reasons: matched.reasons };
  const may = result.mayMatch.find((pair) => pair.hubId === hubId);
  if (may) return { status: 'mayMatch', misId: may.misId, reasons: may.reasons };
  return { status: 'notMatched' };
}

const aisha = { firstName: 'Aisha', lastName: 'Khan', dob: '2019-03-14', gender: 'F' as const, yearCode: '2' };

describe('matching pupils: the hard cases schools really have', () => {
  it('matches on a shared UPN and says so', () => {
    const code = upn();
    const result = matchPupils(
      [pupil({ id: 'h', upn: code, ...aisha })],
      [pupil({ id: 'm', upn: code, ...aisha }), ...classmates(20)],
    );
    expect(statusOf(result, 'h')).toMatchObject({ status: 'matched', misId: 'm' });
    expect(statusOf(result, 'h').reasons).toContain('Same UPN');
  });

  it('treats a UPN with a wrong check letter as no UPN at all', () => {
    const code = upn();
    const wrongLetter = (code[0] === 'A' ? 'B' : 'A') + code.slice(1);
    const result = matchPupils(
      [pupil({ id: 'h', upn: wrongLetter, ...aisha })],
      [pupil({ id: 'm', upn: code, ...aisha }), ...classmates(20)],
    );
    expect(statusOf(result, 'h').reasons).not.toContain('Different UPNs');
    expect(statusOf(result, 'h')).toMatchObject({ status: 'matched', misId: 'm' });
  });

  it('matches each twin to the right twin', () => {
    const hub = [pupil({ id: 'h-aisha', ...aisha }), pupil({ id: 'h-amina', ...aisha, firstName: 'Amina' })];
    const mis = [
      pupil({ id: 'm-amina', upn: upn(), ...aisha, firstName: 'Amina' }),
      pupil({ id: 'm-aisha', upn: upn(), ...aisha }),
      ...classmates(20),
    ];
    const result = matchPupils(hub, mis);
    expect(statusOf(result, 'h-aisha')).toMatchObject({ status: 'matched', misId: 'm-aisha' });
    expect(statusOf(result, 'h-amina')).toMatchObject({ status: 'matched', misId: 'm-amina' });
  });

  it('never auto-matches a twin to the other twin when only one is in the MIS', () => {
    const result = matchPupils(
      [pupil({ id: 'h-aisha', ...aisha })],
      [pupil({ id: 'm-amina', upn: upn(), ...aisha, firstName: 'Amina' }), ...classmates(20)],
    );
    expect(statusOf(result, 'h-aisha').status).not.toBe('matched');
  });

  it('never auto-matches twins whose names are a letter or two apart (Emily and Emilia)', () => {
    const emily = { firstName: 'Emily', lastName: 'Ashworth', dob: '2019-03-14', gender: 'F' as const, yearCode: '2' };
    const result = matchPupils(
      [pupil({ id: 'h-emily', ...emily })],
      [pupil({ id: 'm-emilia', upn: upn(), ...emily, firstName: 'Emilia' }), ...classmates(20)],
    );
    expect(statusOf(result, 'h-emily')).toMatchObject({ status: 'mayMatch', misId: 'm-emilia' });
    expect(statusOf(result, 'h-emily').reasons).toContain(
      'Different first names with the same surname and date of birth (twins?)',
    );
  });

  it('does not doubt a shared UPN because another pupil merely shares the surname', () => {
    const code = upn();
    const result = matchPupils(
      [pupil({ id: 'h', upn: code, ...aisha, firstName: 'Aysha', dob: '2019-03-15' })],
      [
        pupil({ id: 'm', upn: code, ...aisha }),
        pupil({ id: 'm-sibling', upn: upn(), ...aisha, firstName: 'Yusuf', gender: 'M', dob: '2017-06-01' }),
        ...classmates(20),
      ],
    );
    expect(statusOf(result, 'h')).toMatchObject({ status: 'matched', misId: 'm' });
  });

  it('refuses a UPN typed onto the other twin’s record', () => {
    const aishaUpn = upn();
    const aminaUpn = upn();
    const hub = [pupil({ id: 'h', ...aisha, upn: aminaUpn })];
    const mis = [
      pupil({ id: 'm-aisha', ...aisha, upn: aishaUpn }),
      pupil({ id: 'm-amina', ...aisha, firstName: 'Amina', upn: aminaUpn }),
      ...classmates(20),
    ];
    const result = matchPupils(hub, mis);
    expect(statusOf(result, 'h').status).not.toBe('matched');
  });

  it('leaves same-name, same-birthday children for the user to decide', () => {
    const oliver = { firstName: 'Oliver', lastName: 'Smith', dob: '2019-01-01', gender: 'M' as const, yearCode: '2' };
    const result = matchPupils(
      [pupil({ id: 'h', ...oliver })],
      [pupil({ id: 'm1', upn: upn(), ...oliver }), pupil({ id: 'm2', upn: upn(), ...oliver }), ...classmates(20)],
    );
    expect(statusOf(result, 'h').status).toBe('mayMatch');
    expect(statusOf(result, 'h').reasons).toContain('Another pupil is almost as close: check carefully');
  });

  it('leaves same-name children whose birthdays are each other’s day and month swapped for the user', () => {
    const yaw = { firstName: 'Yaw', lastName: 'Asante', gender: 'M' as const, yearCode: '2' };
    const result = matchPupils(
      [pupil({ id: 'h', ...yaw, yearCode: null, dob: '2020-06-02' })],
      [
        pupil({ id: 'm-june', upn: upn(), ...yaw, dob: '2020-06-02' }),
        pupil({ id: 'm-feb', upn: upn(), ...yaw, dob: '2020-02-06' }),
        ...classmates(20),
      ],
    );
    expect(statusOf(result, 'h').status).toBe('mayMatch');
    expect(statusOf(result, 'h').reasons).toContain('Another pupil is almost as close: check carefully');
  });

  it.each([
    [
      'a known short form',
      { firstName: 'Kate', lastName: 'Hargreaves', dob: '2018-05-02' },
      { firstName: 'Katherine', lastName: 'Hargreaves', dob: '2018-05-02' },
      'First name a known short form of the same name',
    ],
    [
      'first and last names swapped',
      { firstName: 'Okonkwo', lastName: 'Chidi', dob: '2018-05-02' },
      { firstName: 'Chidi', lastName: 'Okonkwo', dob: '2018-05-02' },
      'First and last names swapped',
    ],
    [
      'a double-barrelled surname',
      { firstName: 'Rosie', lastName: 'Smith', dob: '2018-05-02' },
      { firstName: 'Rosie', lastName: 'Smith-Jones', dob: '2018-05-02' },
      'Last name sharing a part',
    ],
    [
      'day and month transposed',
      { firstName: 'Rosie', lastName: 'Ashworth', dob: '2018-02-05' },
      { firstName: 'Rosie', lastName: 'Ashworth', dob: '2018-05-02' },
      'Date of birth with day and month swapped',
    ],
    [
      'a typo in the surname',
      { firstName: 'Rosie', lastName: 'Ashwroth', dob: '2018-05-02' },
      { firstName: 'Rosie', lastName: 'Ashworth', dob: '2018-05-02' },
      'Last name spelled almost the same',
    ],
    [
      'accents, apostrophes, case and spacing',
      { firstName: 'ZOE', lastName: ' obrien ', dob: '2018-05-02' },
      { firstName: 'Zoë', lastName: 'O’Brien', dob: '2018-05-02' },
      'Last name same',
    ],
    [
      'no gender recorded on the Hub',
      { firstName: 'Rosie', lastName: 'Ashworth', dob: '2018-05-02', gender: null },
      { firstName: 'Rosie', lastName: 'Ashworth', dob: '2018-05-02' },
      'Same date of birth',
    ],
    [
      'a changed surname (same first name, birthday and gender)',
      { firstName: 'Aisha', lastName: 'Begum', dob: '2018-05-02' },
      { firstName: 'Aisha', lastName: 'Khan', dob: '2018-05-02' },
      'Last name different',
    ],
    [
      'a middle name in the first-name field',
      { firstName: 'Grace', lastName: 'Ashworth', dob: '2018-05-02' },
      { firstName: 'Ella', middleName: 'Grace', lastName: 'Ashworth', dob: '2018-05-02' },
      'A middle name is in the first-name field',
    ],
  ])('matches through %s', (_, hubFields, misFields, reason) => {
    const result = matchPupils(
      [pupil({ id: 'h', gender: 'F', ...hubFields })],
      [pupil({ id: 'm', upn: upn(), gender: 'F', ...misFields }), ...classmates(20)],
    );
    expect(statusOf(result, 'h')).toMatchObject({ status: 'matched', misId: 'm' });
    expect(statusOf(result, 'h').reasons).toContain(reason);
  });

  it.each([
    ['a different gender', { gender: 'M' as const }, 'Different gender'],
    ['a birthday eight days out (two children of one name)', { dob: '2019-03-22' }, 'Dates of birth differ slightly'],
    ['a different valid UPN', { upn: makeUpn(335, 2041, 19, 990) }, 'Different UPNs'],
    ['a different surname and gender', { lastName: 'Begum', gender: 'M' as const }, 'Last names do not agree'],
  ])('proposes but does not auto-match a pupil with %s', (_, change, conflict) => {
    const result = matchPupils(
      [pupil({ id: 'h', ...aisha, ...change })],
      [pupil({ id: 'm', upn: upn(), ...aisha }), ...classmates(20)],
    );
    expect(statusOf(result, 'h')).toMatchObject({ status: 'mayMatch', misId: 'm' });
    expect(statusOf(result, 'h').reasons).toContain(conflict);
  });

  it('takes a missing date of birth as no evidence, not as a conflict: a unique name and year in a small school match', () => {
    const result = matchPupils(
      [pupil({ id: 'h', ...aisha, dob: null })],
      [pupil({ id: 'm', upn: upn(), ...aisha }), ...classmates(20)],
    );
    expect(statusOf(result, 'h')).toMatchObject({ status: 'matched', misId: 'm' });
    expect(statusOf(result, 'h').reasons).toContain('Date of birth missing on one side');
  });

  it('matches a pupil with no date of birth in a 2,000-pupil school when the full name is rare and the year agrees', () => {
    const school = classmates(2000);
    const hub = [pupil({ id: 'h', firstName: 'Tamsin', lastName: 'Quillfeather', gender: 'F', yearCode: '2' })];
    const mis = [
      pupil({
        id: 'm',
        upn: upn(),
        firstName: 'Tamsin',
        lastName: 'Quillfeather',
        dob: '2019-04-04',
        gender: 'F',
        yearCode: '2',
      }),
    ];
    expect(statusOf(matchPupils(hub, [...mis, ...school]), 'h')).toMatchObject({ status: 'matched', misId: 'm' });
    // A name the school has twice is common here: without a date, the user decides.
    const twice = [...mis, { ...mis[0]!, id: 'm2', upn: upn(), yearCode: '5', dob: '2016-01-09' }];
    expect(statusOf(matchPupils(hub, [...twice, ...school]), 'h').status).toBe('mayMatch');
  });

  it('does not hold a Hub year group one behind the MIS against a pair (a Hub not yet promoted)', () => {
    const result = matchPupils(
      [pupil({ id: 'h', ...aisha, lastName: 'Khan-Ahmed', dob: '2019-03-14', yearCode: '1' })],
      [pupil({ id: 'm', upn: upn(), ...aisha, lastName: 'Khan-Ahmed' }), ...classmates(20)],
    );
    expect(statusOf(result, 'h')).toMatchObject({ status: 'matched', misId: 'm' });
    expect(statusOf(result, 'h').reasons).toContain('Year group one behind the MIS (not yet promoted?)');
    const twoBehind = matchPupils(
      [pupil({ id: 'h', ...aisha, lastName: 'Khan-Ahmed', yearCode: 'R' })],
      [pupil({ id: 'm', upn: upn(), ...aisha, lastName: 'Khan-Ahmed' }), ...classmates(20)],
    );
    expect(statusOf(twoBehind, 'h').reasons).toContain('Different year group');
  });

  it('matches a date of birth one day out when both names agree, but never for twins', () => {
    const rosie = { firstName: 'Rosie', lastName: 'Ashworth', gender: 'F' as const, yearCode: '2' };
    const dayOut = matchPupils(
      [pupil({ id: 'h', ...rosie, dob: '2019-03-01' })],
      [pupil({ id: 'm', upn: upn(), ...rosie, dob: '2019-02-28' }), ...classmates(20)],
    );
    expect(statusOf(dayOut, 'h')).toMatchObject({ status: 'matched', misId: 'm' });
    expect(statusOf(dayOut, 'h').reasons).toContain('Date of birth one day apart');
    // A twin born after midnight, typed under the other twin's first name's neighbour: the user decides.
    const twin = matchPupils(
      [pupil({ id: 'h', ...rosie, firstName: 'Ruby', dob: '2019-03-01' })],
      [pupil({ id: 'm', upn: upn(), ...rosie, dob: '2019-02-28' }), ...classmates(20)],
    );
    expect(statusOf(twin, 'h').status).not.toBe('matched');
  });

  it('does not auto-match a pupil with no date of birth when another pupil has the same name', () => {
    const result = matchPupils(
      [pupil({ id: 'h', ...aisha, dob: null })],
      [pupil({ id: 'm', upn: upn(), ...aisha }), pupil({ id: 'm2', upn: upn(), ...aisha, dob: '2019-11-02' }), ...classmates(20)],
    );
    expect(statusOf(result, 'h').status).toBe('mayMatch');
    expect(statusOf(result, 'h').reasons).toContain('Another pupil is almost as close: check carefully');
  });

  it('does not auto-match a pupil with only a surname to go on', () => {
    const result = matchPupils(
      [pupil({ id: 'h', lastName: 'Khan', gender: 'F', yearCode: '2' })],
      [pupil({ id: 'm', upn: upn(), ...aisha }), ...classmates(20)],
    );
    expect(statusOf(result, 'h').status).not.toBe('matched');
  });

  it.each([
    ['both twins are in the MIS', true, 'F' as const],
    ['only the other twin is in the MIS, of the other gender', false, 'M' as const],
  ])('never auto-matches a record with no first name to a twin when %s', (_, bothTwins, hubGender) => {
    const twin = { lastName: 'Kowalczyk', dob: '2019-06-21', yearCode: '2' };
    const result = matchPupils(
      [pupil({ id: 'h', ...twin, gender: hubGender })],
      [
        pupil({ id: 'm-ola', upn: upn(), ...twin, firstName: 'Ola', gender: 'F' }),
        ...(bothTwins ? [pupil({ id: 'm-ewa', upn: upn(), ...twin, firstName: 'Ewa', gender: 'F' })] : []),
        ...classmates(20),
      ],
    );
    expect(statusOf(result, 'h').status).toBe('mayMatch');
  });

  it('weighs a shared birthday by how widely the MIS birthdays are spread (one day in ten years says more than one in ten weeks)', () => {
    const scoreWith = (dob: (index: number) => string) => {
      const others = Array.from({ length: 40 }, (_, index) =>
        pupil({
          id: `mis-${index}`,
          upn: upn(),
          firstName: `Name${index}`,
          lastName: `Other${index}`,
          dob: dob(index),
          yearCode: '2',
        }),
      );
      const result = matchPupils([pupil({ id: 'h', ...aisha })], [pupil({ id: 'm', upn: upn(), ...aisha }), ...others]);
      return result.matched.find((pair) => pair.hubId === 'h')!.score;
    };
    const spread = scoreWith((index) => `${2010 + (index % 10)}-0${(index % 9) + 1}-1${index % 10}`);
    const dense = scoreWith((index) => `2019-05-${String((index % 28) + 1).padStart(2, '0')}`);
    expect(spread - dense).toBeGreaterThan(1);
  });

  it('still finds a pupil with two slips at once (a surname typo and a wrong birthday), for the user to confirm', () => {
    const result = matchPupils(
      [pupil({ id: 'h', ...aisha, lastName: 'Kahn', dob: '2019-07-02' })],
      [pupil({ id: 'm', upn: upn(), ...aisha }), ...classmates(20)],
    );
    expect(statusOf(result, 'h')).toMatchObject({ status: 'mayMatch', misId: 'm' });
  });

  it('keeps a link from an earlier sync, whatever the names say now', () => {
    const result = matchPupils(
      [pupil({ id: 'h', misId: 'm', firstName: 'Old', lastName: 'Name' })],
      [pupil({ id: 'm', ...aisha }), ...classmates(5)],
    );
    expect(result.matched).toEqual([expect.objectContaining({ hubId: 'h', misId: 'm' })]);
    expect(result.matched[0]!.reasons).toEqual(expect.arrayContaining(['Linked by an earlier sync', 'First name different']));
  });

  it('reports Hub pupils with no counterpart as Not matched and MIS pupils with none as New', () => {
    const result = matchPupils(
      [pupil({ id: 'h-leaver', firstName: 'Janet', lastName: 'Whitmore', dob: '2008-01-01' })],
      classmates(3),
    );
    expect(result.notMatched).toEqual(['h-leaver']);
    expect(result.new).toEqual(['mis-classmate-0', 'mis-classmate-1', 'mis-classmate-2']);
  });

  it('refuses duplicate ids', () => {
    expect(() => matchPupils([pupil({ id: 'h' }), pupil({ id: 'h' })], [])).toThrow(/Duplicate Hub id h/);
  });
});
