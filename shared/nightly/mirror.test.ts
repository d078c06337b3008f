import { describe, expect, it } from 'vitest';
import { disagrees } from './mirror';

const pupil = (misId: string) => ({ misId }) as never;
const mirror = (held: string[], years: string[][]) => ({
  students: held.map(pupil),
  yearGroups: years.map((studentIds, index) => ({ misId: `year-${index}`, name: `Year ${index}`, studentIds })),
});

describe('when the conditional listings disagree', () => {
  const lastNight = mirror(['1', '2', '3'], [['1', '2'], ['3']]);

  it('agrees when the year groups list exactly the pupils held', () => {
    expect(disagrees(lastNight, mirror(['1', '2', '3', '4'], [['1', '2', '4'], ['3']]))).toBe(false);
  });

  it('disagrees when a pupil left every year group without leaving (deleted in the MIS)', () => {
    expect(disagrees(lastNight, mirror(['1', '2', '3'], [['1'], ['3']]))).toBe(true);
  });

  it('disagrees when a year group lists a pupil the mirror does not hold', () => {
    expect(disagrees(lastNight, mirror(['1', '2', '3'], [['1', '2', '9'], ['3']]))).toBe(true);
  });

  it('does not list a school in full every night for a pupil that was never in a year group', () => {
    const always = mirror(['1', '2', '3', 'nursery'], [['1', '2'], ['3']]);
    expect(disagrees(always, mirror(['1', '2', '3', 'nursery'], [['1', '2'], ['3']]))).toBe(false);
    expect(disagrees(always, mirror(['1', '2', 'nursery'], [['1', '2'], []]))).toBe(false);
  });
});
