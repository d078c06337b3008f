import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatePupilScenario } from '../demo/matchingScenario';
import { generateSchool } from '../demo/school';
import { misPupilRecord } from '../demo/matchingScenario';
import { matchPupils } from './pupils';
import type { MatchResult } from './types';

const scenario = fc.integer({ min: 1, max: 10_000 }).map((seed) => generatePupilScenario(seed, 70));

function ids(result: MatchResult) {
  return {
    hub: [...result.matched, ...result.mayMatch].map((pair) => pair.hubId).concat(result.notMatched),
    mis: [...result.matched, ...result.mayMatch].map((pair) => pair.misId).concat(result.new),
  };
}

function shuffled<T>(items: T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('matching pupils: properties', () => {
  it('gives every record exactly one outcome, one to one', () => {
    fc.assert(
      fc.property(scenario, ({ hub, mis }) => {
        const result = ids(matchPupils(hub, mis));
        expect([...result.hub].sort()).toEqual(hub.map((record) => record.id).sort());
        expect([...result.mis].sort()).toEqual(mis.map((record) => record.id).sort());
      }),
      { numRuns: 25, seed: 20261128 },
    );
  });

  it('gives the same result for the same records in any order, every time', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 1000 }), ({ hub, mis }, seed) => {
        const first = matchPupils(hub, mis);
        expect(matchPupils(shuffled(hub, seed), shuffled(mis, seed + 1))).toEqual(first);
        expect(matchPupils(hub, mis)).toEqual(first);
      }),
      { numRuns: 25, seed: 20261128 },
    );
  });

  it('makes no wrong automatic match on generated schools', () => {
    fc.assert(
      fc.property(scenario, ({ hub, mis, truth }) => {
        for (const pair of matchPupils(hub, mis).matched) expect(truth.get(pair.hubId)).toBe(pair.misId);
      }),
      { numRuns: 25, seed: 20261128 },
    );
  });

  it('never turns a May match into a wrong Matched when an unrelated pupil is added', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 10_000 }), ({ hub, mis, truth }, otherSeed) => {
        const before = matchPupils(hub, mis);
        const stranger = generateSchool({ seed: `stranger-${otherSeed}`, pupils: 8 }).pupils.map(misPupilRecord)[0]!;
        const after = matchPupils(hub, [...mis, { ...stranger, id: 'stranger' }]);
        const wasMay = new Set(before.mayMatch.map((pair) => `${pair.hubId}|${pair.misId}`));
        for (const pair of after.matched) {
          if (wasMay.has(`${pair.hubId}|${pair.misId}`)) expect(truth.get(pair.hubId)).toBe(pair.misId);
        }
      }),
      { numRuns: 25, seed: 20261128 },
    );
  });
});
