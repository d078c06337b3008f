import { describe, expect, it } from 'vitest';
import { emptyPlan } from './plan';
import { confirmPairs, matchByHand, tickImports, tickPairs, unmatchPair, withValue } from './operations';

const pair = { hubId: 'h-1', misId: 'm-1' };

describe('plan operations', () => {
  it('ticks and unticks imports, all at once or one by one, without duplicates', () => {
    const ticked = tickImports(tickImports(emptyPlan(), ['m-1', 'm-2'], true), ['m-2', 'm-3'], true);
    expect(ticked.imports).toEqual(['m-1', 'm-2', 'm-3']);
    expect(tickImports(ticked, ['m-1', 'm-3'], false).imports).toEqual(['m-2']);
  });

  it('unticks pairs once however often, and ticks them back, thousands at a time', () => {
    const other = { hubId: 'h-2', misId: 'm-2' };
    const off = tickPairs(tickPairs(emptyPlan(), [pair], false), [pair, other], false);
    expect(off.skipped).toEqual([pair, other]);
    expect(tickPairs(off, [pair], true).skipped).toEqual([other]);
    const many = Array.from({ length: 5_000 }, (_, index) => ({ hubId: `h-${index}`, misId: `m-${index}` }));
    expect(tickPairs(tickPairs(emptyPlan(), many, false), many, true).skipped).toEqual([]);
    expect(confirmPairs(confirmPairs(emptyPlan(), many), many).confirmed).toHaveLength(5_000);
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
