import { describe, expect, it } from 'vitest';
import { batchCreateEmails, isValidEmail } from './emails';

const people = [
  { misId: 's1', firstName: 'Siobhán', lastName: "O'Brien" },
  { misId: 's2', firstName: 'Mary Ann', lastName: 'Smith-Jones' },
  { misId: 's3', firstName: 'Sam', lastName: 'Smith-Jones' },
];

describe('batch-creating teachers’ email addresses', () => {
  it.each([
    [
      '{first}.{last}',
      ['siobhan.obrien@oakfield.sch.uk', 'maryann.smith-jones@oakfield.sch.uk', 'sam.smith-jones@oakfield.sch.uk'],
    ],
    ['{f}{last}', ['sobrien@oakfield.sch.uk', 'msmith-jones@oakfield.sch.uk', 'ssmith-jones@oakfield.sch.uk']],
    ['{first}{l}', ['siobhano@oakfield.sch.uk', 'maryanns@oakfield.sch.uk', 'sams@oakfield.sch.uk']],
    [
      '{last}.{first}',
      ['obrien.siobhan@oakfield.sch.uk', 'smith-jones.maryann@oakfield.sch.uk', 'smith-jones.sam@oakfield.sch.uk'],
    ],
  ])('follows %s, without accents, apostrophes or spaces', (pattern, expected) => {
    expect([...batchCreateEmails(people, pattern, 'oakfield.sch.uk', []).values()]).toEqual(expected);
  });

  it('resolves collisions with Hub users and within the batch, the same way every time', () => {
    const taken = ['SSMITH-JONES@oakfield.sch.uk'];
    const twins = [
      { misId: 'b', firstName: 'Sara', lastName: 'Smith-Jones' },
      { misId: 'a', firstName: 'Sam', lastName: 'Smith-Jones' },
    ];
    const created = batchCreateEmails(twins, '{f}{last}', '@Oakfield.sch.uk', taken);
    expect(Object.fromEntries(created)).toEqual({ a: 'ssmith-jones2@oakfield.sch.uk', b: 'ssmith-jones3@oakfield.sch.uk' });
    expect(batchCreateEmails([...twins].reverse(), '{f}{last}', 'oakfield.sch.uk', taken)).toEqual(created);
  });

  it('validates addresses', () => {
    expect(isValidEmail('maryann.smith-jones@oakfield.sch.uk')).toBe(true);
    expect(isValidEmail('no-at-sign.oakfield.sch.uk')).toBe(false);
    expect(isValidEmail('two@@oakfield.sch.uk')).toBe(false);
    expect(isValidEmail('space in@oakfield.sch.uk')).toBe(false);
  });
});
