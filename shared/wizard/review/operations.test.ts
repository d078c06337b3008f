import { describe, expect, it } from 'vitest';
import { emptyPlan } from './plan';
import { confirmPairs, matchByHand, tickImports, unmatchPair, withValue } from './operations';

const pair = { hubId: 'h-1', misId: 'm-1' };

describe('plan operations', () => {
  it('ticks and unticks imports, all at once or one by one, without duplicates', () => {
    const ticked = tickImports(tickImports(emptyPlan(), ['m-1', 'm-2'], true), ['m-2', 'm-3'], true);
    expect(ticked.imports).toEqual(['m-1', 'm-2', 'm-3']);
    expect(tickImports(ticked, ['m-1', 'm-3'], false).imports).toEqual(['m-2']);
  });

  it('confirms a May match once', () => {
    expect(confirmPairs(confirmPairs(emptyPlan(), [pair]), [pair]).confirmed).toEqual([pair]);
  });

  it('drops a match made by hand on unmatch, and keeps a proposed pair apart', () => {
    const matched = matchByHand(emptyPlan(), pair);
    expect(unmatchPair(matched, pair, true)).toMatchObject({ manualMatches: [], unmatched: [] });
    const proposed = confirmPairs(emptyPlan(), [pair]);
    expect(unmatchPair(proposed, pair, false)).toMatchObject({ confirmed: [], unmatched: [pair] });
    expect(matchByHand(unmatchPair(proposed, pair, false), pair)).toMatchObject({ unmatched: [], manualMatches: [pair] });
  });

  it('keeps values per MIS record and field, and keeps the version it came with', () => {
    const plan = withValue(
      withValue({ ...emptyPlan(), version: 7 }, 'm-1', 'email', 'a@school.example'),
      'm-1',
      'email',
      'b@school.example',
    );
    expect(plan).toMatchObject({ version: 7, values: { 'm-1': { email: 'b@school.example' } } });
  });
});
