import { describe, expect, it } from 'vitest';
import type { ResultDelivery } from '../domain/records';
import { deliveryState } from './deliveryStatus';

const now = new Date('2026-12-03T12:00:00.000Z');
const delivery = (status: ResultDelivery['status'], version: number, reason: string | null = null): ResultDelivery => ({
  centreId: 'c',
  resultId: 'r',
  status,
  version,
  assemblyResultId: status === 'sent' ? 7 : null,
  gradeId: null,
  resultDate: null,
  reason,
  claimId: null,
  at: '2026-12-03T11:00:00.000Z',
  revision: 1,
});
const facts = (overrides: Partial<Parameters<typeof deliveryState>[0]> = {}) => ({
  result: { version: 2 },
  pupil: { syncStatus: 'synced' as const },
  delivery: null,
  parked: null,
  sends: true,
  now,
  ...overrides,
});

describe('a result’s state in Assembly', () => {
  it('is sent or failed only for the version it is about', () => {
    expect(deliveryState(facts({ delivery: delivery('sent', 2) }))).toMatchObject({ state: 'sent' });
    expect(deliveryState(facts({ delivery: delivery('failed', 2, 'No grade for 142') }))).toEqual({
      state: 'failed',
      reason: 'No grade for 142',
      at: '2026-12-03T11:00:00.000Z',
    });
    // Marked again since: on its way again.
    expect(deliveryState(facts({ delivery: delivery('failed', 1, 'No grade') }))).toMatchObject({ state: 'waiting' });
    expect(deliveryState(facts({ delivery: delivery('sending', 2) }))).toEqual({
      state: 'waiting',
      reason: 'Being sent',
      at: null,
    });
  });

  it('is not for Assembly while sharing is off or the pupil is not synced, and says if it went before', () => {
    expect(deliveryState(facts({ sends: false })).reason).toBe('Sharing with Assembly is off.');
    expect(deliveryState(facts({ pupil: { syncStatus: 'out_of_sync' }, delivery: delivery('sent', 1) }))).toEqual({
      state: 'not_sent',
      reason: 'The pupil is not synced with your MIS. It was sent before this change.',
      at: null,
    });
  });

  it('is parked until the time the sender gave, then waiting', () => {
    const parked = { centreId: 'c', resultId: 'r', until: '2026-12-03T12:05:00.000Z', reason: 'Assembly asked us to wait' };
    expect(deliveryState(facts({ parked }))).toEqual({ state: 'parked', reason: 'Assembly asked us to wait', at: parked.until });
    expect(deliveryState(facts({ parked, now: new Date('2026-12-03T12:06:00.000Z') }))).toMatchObject({ state: 'waiting' });
  });
});
