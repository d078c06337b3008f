import { PairMap } from './pairMap';
import { jaroWinkler } from './similarity';
import { canonicalForms, cleanName, phonetic, tokens } from './standardise';

/** How well two names agree, best first. Thresholds are the standard Jaro-Winkler levels. */
export type NameLevel = 'exact' | 'knownAs' | 'part' | 'jw92' | 'jw88' | 'jw70' | 'differ' | 'missing';

export interface NameFeatures {
  /** Cleaned full names: the main one first, then any other names the record is known by. */
  full: string[];
  tokens: string[];
  /** Each token and the formal names it may be short for. */
  canonical: Set<string>;
  /** True when some token is a known short form or has one, so knownAs checks can be skipped otherwise. */
  hasOtherForms: boolean;
  phonetic: string;
  /** Interned ids of sounds, for numeric blocking keys: the whole name, each token, each canonical form. */
  soundId: number;
  tokenSoundIds: number[];
  canonicalSoundIds: number[];
}

const soundIds = new Map<string, number>();
/** A small integer per Double Metaphone code (0 for none), so blocking keys can be numbers. */
export function soundId(code: string): number {
  if (!code) return 0;
  let id = soundIds.get(code);
  if (id === undefined) soundIds.set(code, (id = soundIds.size + 1));
  return id;
}

const featureCache = new Map<string, NameFeatures>();

/** Features of a name (and any other names the record is known by); shared between records with the same names. */
/** Shared by every record with no other names (a default `[]` would be a new array per call). */
const NO_OTHERS: readonly string[] = [];

export function nameFeatures(
  main: string | null | undefined,
  others: readonly (string | null | undefined)[] = NO_OTHERS,
): NameFeatures {
  const cacheKey = others.length ? [main, ...others].join('\u0000') : (main ?? '');
  let cached = featureCache.get(cacheKey);
  if (!cached) {
    cached = buildNameFeatures(main, others);
    if (featureCache.size > 200_000) featureCache.clear();
    featureCache.set(cacheKey, cached);
  }
  return cached;
}

function buildNameFeatures(main: string | null | undefined, others: readonly (string | null | undefined)[]): NameFeatures {
  const full = [...new Set([main, ...others].map(cleanName).filter(Boolean))];
  const allTokens = [...new Set(full.flatMap(tokens))];
  const canonical = new Set(allTokens.flatMap(canonicalForms));
  const code = phonetic(full[0] ?? '');
  return {
    full,
    tokens: allTokens,
    canonical,
    hasOtherForms: canonical.size > allTokens.length,
    phonetic: code,
    soundId: soundId(code),
    tokenSoundIds: [...new Set(allTokens.map((token) => soundId(phonetic(token))))],
    canonicalSoundIds: [...new Set([...canonical].map((form) => soundId(phonetic(form))))],
  };
}

/**
 * Compares two names: exact (any known name), a known short form ("Kate" / "Katherine"),
 * a shared part (double-barrelled or two-part names), or Jaro-Winkler similarity levels.
 */
export function compareNames(a: NameFeatures, b: NameFeatures): NameLevel {
  if (!a.full.length || !b.full.length) return 'missing';
  if (a.full[0] === b.full[0]) return 'exact';
  const simple = a.full.length === 1 && b.full.length === 1;
  if (!simple) for (const name of a.full) if (b.full.includes(name)) return 'exact';
  if (a.tokens.length > 1 || b.tokens.length > 1) for (const token of a.tokens) if (b.tokens.includes(token)) return 'part';
  if (a.hasOtherForms || b.hasOtherForms) for (const form of a.canonical) if (b.canonical.has(form)) return 'knownAs';
  // Names that neither sound alike nor start alike are not spellings of each other: skip the similarity measure.
  if (simple && a.phonetic !== b.phonetic && a.full[0]!.charCodeAt(0) !== b.full[0]!.charCodeAt(0)) return 'differ';
  let best = 0;
  if (simple) best = jaroWinkler(a.full[0]!, b.full[0]!);
  else for (const x of a.full) for (const y of b.full) best = Math.max(best, jaroWinkler(x, y));
  return best >= 0.92 ? 'jw92' : best >= 0.88 ? 'jw88' : best >= 0.7 ? 'jw70' : 'differ';
}

/** Name levels as small integers, best first, for the matcher's hot path (`NAME_LEVELS[level]` names them). */
export const NAME_LEVELS: readonly NameLevel[] = ['exact', 'knownAs', 'part', 'jw92', 'jw88', 'jw70', 'differ', 'missing'];
export const LEVEL = { exact: 0, knownAs: 1, part: 2, jw92: 3, jw88: 4, jw70: 5, differ: 6, missing: 7 } as const;

/**
 * The distinct names of one matching run, each with a small id (0 for no name), and the level
 * of agreement of every pair of them, worked out once: a school has a few thousand distinct
 * names but a large match compares them millions of times.
 */
export class NameTable {
  readonly features: NameFeatures[] = [nameFeatures(null)];
  /** Per name id: an id of its main cleaned name (for frequencies). */
  readonly mainIds: number[] = [0];
  /** Per name id, for the quick paths: its sound id, its first letter, and 1 when it is one plain word with no other forms. */
  private readonly sounds: number[] = [0];
  private readonly initials: number[] = [0];
  private readonly plain: number[] = [0];
  private readonly byRaw = new Map<string, number>();
  private readonly byCleaned = new Map<string, number>();
  private readonly byMain = new Map<string, number>([['', 0]]);
  private readonly levels = new PairMap(4096);

  /** The id of a name and the other names the record is known by; 0 when there is no name. */
  id(main: string | null | undefined, others: readonly (string | null | undefined)[] = NO_OTHERS): number {
    if (!main && !others.length) return 0;
    const rawKey = others.length ? [main, ...others].join('\u0000') : (main ?? '');
    let id = this.byRaw.get(rawKey);
    if (id !== undefined) return id;
    const features = nameFeatures(main, others);
    const cleanedKey = features.full.join('\u0000');
    id = features.full.length ? this.byCleaned.get(cleanedKey) : 0;
    if (id === undefined) {
      id = this.features.length;
      this.features.push(features);
      this.byCleaned.set(cleanedKey, id);
      const mainName = features.full[0]!;
      let mainId = this.byMain.get(mainName);
      if (mainId === undefined) this.byMain.set(mainName, (mainId = this.byMain.size));
      this.mainIds.push(mainId);
      this.sounds.push(features.soundId);
      this.initials.push(mainName.charCodeAt(0));
      this.plain.push(features.full.length === 1 && features.tokens.length === 1 && !features.hasOtherForms ? 1 : 0);
    }
    this.byRaw.set(rawKey, id);
    return id;
  }

  /** How many distinct main names have ids (for arrays indexed by main id). */
  get mainCount(): number {
    return this.byMain.size;
  }

  /** The name's initial as 1 (a) to 26 (z), or 0 for none or another character. */
  letter(id: number): number {
    const code = this.initials[id]!;
    return code >= 97 && code <= 122 ? code - 96 : 0;
  }

  /** True when both names have the same sound (two missing names count as the same). */
  sameSound(a: number, b: number): boolean {
    return this.sounds[a] === this.sounds[b];
  }

  /** `compareNames` on two name ids, as a `LEVEL` number. */
  level(a: number, b: number): number {
    if (a === 0 || b === 0) return LEVEL.missing;
    if (a === b) return LEVEL.exact;
    // Most pairs are plainly different names: neither alike in sound nor in first letter.
    if (this.plain[a]! & this.plain[b]! && this.sounds[a] !== this.sounds[b] && this.initials[a] !== this.initials[b])
      return LEVEL.differ;
    let level = this.levels.get(a, b);
    if (level < 0) {
      level = LEVEL[compareNames(this.features[a]!, this.features[b]!)];
      this.levels.set(a, b, level);
    }
    return level;
  }
}

/** How a name level reads in a pair's reasons ("First name spelled almost the same"). */
export const NAME_LEVEL_WORDS: Record<NameLevel, string> = {
  exact: 'same',
  knownAs: 'a known short form of the same name',
  part: 'sharing a part',
  jw92: 'spelled almost the same',
  jw88: 'spelled similarly',
  jw70: 'only loosely similar',
  differ: 'different',
  missing: 'missing on one side',
};

/** Levels that count as the same name for an automatic match: exact, a known short form, a shared part or a near spelling. */
export function isAgreement(level: NameLevel): boolean {
  return levelAgrees(LEVEL[level]);
}

/** `isAgreement` for a `LEVEL` number. */
export function levelAgrees(level: number): boolean {
  return level <= LEVEL.jw88;
}
