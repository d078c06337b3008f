import { describe, expect, it } from 'vitest';
import { nextNightlyRun } from './schedule';

describe('the nightly schedule', () => {
  it('fires at 02:30 London time in winter (GMT) and in summer (BST)', () => {
    expect(nextNightlyRun(new Date('2026-12-03T10:00:00Z')).toISOString()).toBe('2026-12-04T02:30:00.000Z');
    expect(nextNightlyRun(new Date('2026-07-01T10:00:00Z')).toISOString()).toBe('2026-07-02T01:30:00.000Z');
  });

  it('fires later the same night when asked before it', () => {
    expect(nextNightlyRun(new Date('2026-12-03T01:00:00Z')).toISOString()).toBe('2026-12-03T02:30:00.000Z');
  });
});
