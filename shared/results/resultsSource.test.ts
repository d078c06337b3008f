import { describe, expect, it } from 'vitest';
import { matchesPattern, resultStreamFilter, unavailableWaitSeconds } from './resultsSource';

const record = (eventName: string, type: string | null) => ({
  eventName,
  dynamodb: { Keys: { PK: { S: 'CENTRE#c' } }, ...(type === null ? {} : { NewImage: { type: { S: type } } }) },
});

describe('the results stream filter', () => {
  it('passes a new or changed result item', () => {
    expect(matchesPattern(resultStreamFilter, record('INSERT', 'result'))).toBe(true);
    expect(matchesPattern(resultStreamFilter, record('MODIFY', 'result'))).toBe(true);
  });

  it('keeps out deletions, other items (the sender’s own delivery records among them) and records with no new image', () => {
    expect(matchesPattern(resultStreamFilter, record('REMOVE', 'result'))).toBe(false);
    expect(matchesPattern(resultStreamFilter, record('INSERT', 'resultDelivery'))).toBe(false);
    expect(matchesPattern(resultStreamFilter, record('MODIFY', 'pupil'))).toBe(false);
    expect(matchesPattern(resultStreamFilter, record('INSERT', null))).toBe(false);
    expect(matchesPattern(resultStreamFilter, null)).toBe(false);
  });
});

describe('waiting while Assembly fails', () => {
  it('doubles the wait with each attempt', () => {
    expect([1, 2, 3].map(unavailableWaitSeconds)).toEqual([30, 60, 120]);
  });
});
