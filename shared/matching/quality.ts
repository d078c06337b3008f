import type { MatchResult } from './types';

export interface MatchQuality {
  truePairs: number;
  autoMatched: number;
  wrongAutoMatches: number;
  autoPrecision: number;
  autoRecall: number;
  /** True pairs proposed at all (Matched or May match). */
  candidateRecall: number;
  /** May match pairs the user must review. */
  reviewQueue: number;
}

/** Scores a result against the truth (Hub id → MIS id or null). Linked pairs count like any other. */
export function measureQuality(result: MatchResult, truth: ReadonlyMap<string, string | null>): MatchQuality {
  const truePairs = [...truth.values()].filter((misId) => misId !== null).length;
  const isTrue = (pair: { hubId: string; misId: string }) => truth.get(pair.hubId) === pair.misId;
  const rightAuto = result.matched.filter(isTrue).length;
  const rightMay = result.mayMatch.filter(isTrue).length;
  return {
    truePairs,
    autoMatched: result.matched.length,
    wrongAutoMatches: result.matched.length - rightAuto,
    autoPrecision: result.matched.length ? rightAuto / result.matched.length : 1,
    autoRecall: truePairs ? rightAuto / truePairs : 1,
    candidateRecall: truePairs ? (rightAuto + rightMay) / truePairs : 1,
    reviewQueue: result.mayMatch.length,
  };
}
