import { isValidUpn } from '../domain/upn';
import { runMatching, type Comparison, type MatcherSpec, type Thresholds } from './engine';
import {
  compareNames,
  Frequencies,
  isAgreement,
  nameFeatures,
  NAME_LEVEL_WORDS,
  sharesExactName,
  type NameFeatures,
  type NameLevel,
} from './names';
import type { MatchResult, PupilRecord } from './types';

interface PupilFeatures {
  upn: string | null;
  first: NameFeatures;
  middle: NameFeatures;
  last: NameFeatures;
  dob: {
    text: string;
    swapped: string | null;
    year: number;
    month: number;
    day: number;
    dayNumber: number;
    swappedDayNumber: number;
  } | null;
  gender: 'F' | 'M' | null;
  yearCode: string | null;
  /** Weights of exact agreement on this record's values, from their frequency in the MIS. */
  firstWeight: number;
  lastWeight: number;
  /** Weight of agreeing on first and last name together: names run in families and communities, so not the sum. */
  fullNameWeight: number;
  dobWeight: number;
  /** Initials of first and last name (1-26, 0 for none), for keys that survive typos after the first letter. */
  firstInitial: number;
  lastInitial: number;
}

type DateLevel = 'exact' | 'swapped' | 'near' | 'differ' | 'missing';

/**
 * Evidence weights in bits, Fellegi-Sunter style: log2(m/u), where m is how often a level is
 * seen in true pairs and u in chance pairs. Exact agreements on names and dates of birth take
 * their u from how common the value is in the MIS; the rest are fixed.
 */
const WEIGHTS = {
  upnSame: 30,
  /** Enough to sink a chance look-alike; the conflict, not the weight, stops an automatic match. */
  upnDiffer: -8,
  first: { knownAs: 4, part: 3.5, jw92: 3.5, jw88: 2, jw70: -2, differ: -5, missing: 0 },
  secondNameAgrees: 3,
  middleAsFirst: 2.5,
  middleSame: 2,
  middleDiffer: -1.5,
  last: { knownAs: 3.5, part: 3.5, jw92: 3.5, jw88: 2, jw70: 0, differ: -4, missing: 0 },
  swappedNamesPenalty: 1,
  /** Day and month swapped: rarer in true pairs than an exact date, about 2^4 times. */
  swappedDatePenalty: 4,
  dobNear: 1.5,
  dobDiffer: -6,
  genderSame: 1,
  genderDiffer: -4,
  yearSame: 0.5,
  yearDiffer: -2.5,
} as const;

const POPULATION_FLOOR = 1000;

export interface PupilMatchSettings {
  /**
   * How sure an automatic match must be: the expected number of other MIS pupils that would
   * agree this well by chance must stay below 2^-certaintyBits. The threshold is therefore
   * log2(MIS size) + certaintyBits, so a bigger MIS, with more chance look-alikes (same name,
   * same birthday), needs more evidence before the system decides alone.
   */
  certaintyBits: number;
  mayMatch: number;
  margin: number;
}

/** Tuned on one half of the benchmark data sets, reported on the other (npm run bench:match). */
export const PUPIL_SETTINGS: PupilMatchSettings = { certaintyBits: 8, mayMatch: 4, margin: 3 };

export function pupilThresholds(settings: PupilMatchSettings, misCount: number): Thresholds {
  return {
    match: Math.log2(Math.max(misCount, 64)) + settings.certaintyBits,
    mayMatch: settings.mayMatch,
    margin: settings.margin,
  };
}

const DATES: Record<DateLevel, string> = {
  exact: 'Same date of birth',
  swapped: 'Date of birth with day and month swapped',
  near: 'Date of birth nearly the same',
  differ: 'Different date of birth',
  missing: 'Date of birth missing on one side',
};

function prepare(hub: readonly PupilRecord[], mis: readonly PupilRecord[]): { hub: PupilFeatures[]; mis: PupilFeatures[] } {
  const base = (record: PupilRecord) => ({
    upn: isValidUpn(record.upn) ? record.upn!.trim().toUpperCase() : null,
    first: nameFeatures(record.firstName, record.otherFirstNames),
    middle: nameFeatures(record.middleName),
    last: nameFeatures(record.lastName, record.otherLastNames),
    dob: parseDate(record.dob),
    gender: record.gender,
    yearCode: record.yearCode?.trim().toUpperCase() || null,
  });
  const misBase = mis.map(base);
  const firsts = new Frequencies();
  const lasts = new Frequencies();
  const fullNames = new Frequencies();
  const dobs = new Frequencies();
  const fullName = (features: ReturnType<typeof base>) => `${features.first.full[0] ?? ''}|${features.last.full[0] ?? ''}`;
  for (const features of misBase) {
    firsts.add(features.first.full[0]);
    lasts.add(features.last.full[0]);
    fullNames.add(fullName(features));
    dobs.add(features.dob?.text);
  }
  // A small school says little about how common a name is in the population: below
  // POPULATION_FLOOR records, a value seen once is taken as one in POPULATION_FLOOR.
  const withWeights = (features: ReturnType<typeof base>): PupilFeatures => ({
    ...features,
    firstWeight: firsts.weight(features.first.full[0], 3, 10, POPULATION_FLOOR),
    lastWeight: lasts.weight(features.last.full[0], 3, 12, POPULATION_FLOOR),
    fullNameWeight: fullNames.weight(fullName(features), 4, 18, POPULATION_FLOOR),
    dobWeight: dobs.weight(features.dob?.text, 5, 14, POPULATION_FLOOR),
    firstInitial: initial(features.first),
    lastInitial: initial(features.last),
  });
  return { hub: hub.map((record) => withWeights(base(record))), mis: misBase.map(withWeights) };
}

/**
 * Cheap keys that bring true pairs together: the UPN; date of birth with a surname sound or
 * any given-name form (catches changed surnames and nicknames); the date with day and month
 * swapped; and the two name sounds in either order, with and without the birth year (catches
 * wrong dates and swapped first and last names).
 */
function blockingKeys(
  features: PupilFeatures,
  side: 'hub' | 'mis',
  emit: (a: number, b: number, maxBlock?: number) => void,
): void {
  if (features.upn) emit(KEY.upn + 16 * upnHead(features.upn), Number(features.upn.slice(7)));
  const dob = features.dob;
  if (dob) {
    const day = KEY.dobSound + 16 * dob.dayNumber;
    const swappedDay = KEY.dobSound + 16 * dob.swappedDayNumber;
    for (const sound of features.last.tokenSoundIds) {
      emit(day, sound);
      if (dob.swappedDayNumber) emit(swappedDay, sound);
    }
    for (const sound of features.first.canonicalSoundIds) emit(day, sound);
    for (const sound of features.middle.tokenSoundIds) emit(day, sound);
    emit(KEY.dobInitial + 16 * dob.dayNumber, features.firstInitial, NAME_ONLY_MAX_BLOCK);
    emit(KEY.dobInitial + 16 * dob.dayNumber, 32 + features.lastInitial, NAME_ONLY_MAX_BLOCK);
  }
  // Name sounds in either order (swapped names), with the birth year, with the NC year, or
  // alone: a Hub record looks up by the best it has, so large same-name blocks are only
  // searched for records with no date of birth and no year.
  const first = features.first.soundId;
  const last = features.last.soundId;
  if (first || last) {
    const [low, high] = first < last ? [first, last] : [last, first];
    // With a date of birth the date keys find the pair; these are for a wrong or missing date.
    if (dob) emit(KEY.namesYear + 16 * low, high * 256 + (dob.year % 256), NAME_ONLY_MAX_BLOCK);
    if (features.yearCode && (side === 'mis' || !dob))
      emit(KEY.namesNcYear + 16 * low, high * 32 + ncYearNumber(features.yearCode));
    // Name sounds alone, for wrong or missing dates: searched only where few MIS pupils share them.
    emit(KEY.names + 16 * low, high, !dob && !features.yearCode ? undefined : NAME_ONLY_MAX_BLOCK);
    // One name's sound with the other's initial: a typo in either name and a wrong date at once.
    if (first) emit(KEY.soundInitial + 16 * first, 32 + features.lastInitial, NAME_ONLY_MAX_BLOCK);
    if (last) emit(KEY.soundInitial + 16 * last, features.firstInitial, NAME_ONLY_MAX_BLOCK);
  }
}

const NC_YEARS = ['N1', 'N2', 'R', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14'];
function ncYearNumber(yearCode: string): number {
  return NC_YEARS.indexOf(yearCode) + 1;
}

/** Key kinds, in the low four bits of a key's first integer. */
const KEY = { upn: 1, dobSound: 2, names: 3, namesYear: 4, namesNcYear: 5, dobInitial: 6, soundInitial: 7 } as const;
const NAME_ONLY_MAX_BLOCK = 20;

function initial(name: NameFeatures): number {
  const code = name.full[0]?.charCodeAt(0) ?? 96;
  return code >= 97 && code <= 122 ? code - 96 : 0;
}

/** A UPN's check letter and first six digits as one number below 2^27. */
function upnHead(upn: string): number {
  return (upn.charCodeAt(0) - 65) * 1e6 + Number(upn.slice(1, 7));
}

const dates = new Map<string, PupilFeatures['dob']>();
function parseDate(text: string | null): PupilFeatures['dob'] {
  if (!text) return null;
  let parsed = dates.get(text);
  if (parsed === undefined) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
    const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
    const swapped = day <= 12 && day !== month;
    parsed = match
      ? {
          text: `${year}-${month}-${day}`,
          swapped: swapped ? `${year}-${day}-${month}` : null,
          year,
          month,
          day,
          dayNumber: dayNumber(year, month, day),
          swappedDayNumber: swapped ? dayNumber(year, day, month) : 0,
        }
      : null;
    if (dates.size > 100_000) dates.clear();
    dates.set(text, parsed);
  }
  return parsed;
}

/** Days since 1 January 1800 (any date to 2150 fits in 17 bits). */
function dayNumber(year: number, month: number, day: number): number {
  return Math.max(0, Math.round((Date.UTC(year, month - 1, day) - Date.UTC(1800, 0, 1)) / 86_400_000));
}

function compareDates(a: PupilFeatures['dob'], b: PupilFeatures['dob']): DateLevel {
  if (!a || !b) return 'missing';
  if (a.text === b.text) return 'exact';
  if (a.swapped === b.text) return 'swapped';
  const sameParts = Number(a.year === b.year) + Number(a.month === b.month) + Number(a.day === b.day);
  if (sameParts !== 2) return 'differ';
  const close =
    a.year !== b.year ? Math.abs(a.year - b.year) <= 1 : Math.abs(a.day - b.day) <= 9 || Math.abs(a.month - b.month) <= 1;
  return close ? 'near' : 'differ';
}

/**
 * A name spelled almost the same, or a known short form, says nearly as much as the exact name
 * when that name is rare: its weight follows the MIS value's frequency, a few bits lower (there
 * are more near spellings of a name than exact copies), never below the level's fixed weight.
 */
const NEAR_NAME_DISCOUNT: Partial<Record<NameLevel, number>> = { knownAs: 3, jw92: 2, jw88: 4 };

function nameWeight(level: NameLevel, exactWeight: number, table: Record<Exclude<NameLevel, 'exact'>, number>): number {
  if (level === 'exact') return exactWeight;
  const discount = NEAR_NAME_DISCOUNT[level];
  return discount === undefined ? table[level] : Math.max(table[level], exactWeight - discount);
}

/** The level of agreement of each field of one pair, and the evidence score they add up to. */
interface Assessment {
  score: number;
  /** The part of the score that comes from the UPN. */
  idScore: number;
  upnSame: boolean;
  upnDiffer: boolean;
  first: NameLevel;
  last: NameLevel;
  middle: NameLevel;
  namesSwapped: boolean;
  middleAsFirst: boolean;
  dob: DateLevel;
  genderDiffer: boolean;
  genderKnown: boolean;
  yearKnown: boolean;
  yearSame: boolean;
}

function blankAssessment(): Assessment {
  return {
    score: 0,
    idScore: 0,
    upnSame: false,
    upnDiffer: false,
    first: 'missing',
    last: 'missing',
    middle: 'missing',
    namesSwapped: false,
    middleAsFirst: false,
    dob: 'missing',
    genderDiffer: false,
    genderKnown: false,
    yearKnown: false,
    yearSame: false,
  };
}

/** Reused for every candidate pair on the hot path, so scoring allocates nothing. */
const scratch = blankAssessment();

function assess(hub: PupilFeatures, mis: PupilFeatures, into: Assessment): number {
  let score = 0;
  into.upnSame = hub.upn !== null && hub.upn === mis.upn;
  into.upnDiffer = hub.upn !== null && mis.upn !== null && hub.upn !== mis.upn;
  into.idScore = into.upnSame ? WEIGHTS.upnSame : into.upnDiffer ? WEIGHTS.upnDiffer : 0;
  score += into.idScore;

  // Names as entered, or with first and last swapped, whichever agrees better.
  let first = compareNames(hub.first, mis.first);
  let last = compareNames(hub.last, mis.last);
  // Both names together are rarer than either alone, and no rarer than both by chance.
  let nameScore =
    first === 'exact' && last === 'exact'
      ? Math.min(
          Math.max(mis.fullNameWeight, Math.max(mis.firstWeight, mis.lastWeight) + WEIGHTS.secondNameAgrees),
          mis.firstWeight + mis.lastWeight,
        )
      : nameWeight(first, mis.firstWeight, WEIGHTS.first) + nameWeight(last, mis.lastWeight, WEIGHTS.last);
  into.namesSwapped = false;
  if ((!isAgreement(first) || !isAgreement(last)) && couldBeSwapped(hub, mis)) {
    const swappedFirst = compareNames(hub.first, mis.last);
    const swappedLast = compareNames(hub.last, mis.first);
    if (isAgreement(swappedFirst) && isAgreement(swappedLast)) {
      const swappedScore =
        nameWeight(swappedFirst, mis.lastWeight, WEIGHTS.first) +
        nameWeight(swappedLast, mis.firstWeight, WEIGHTS.last) -
        WEIGHTS.swappedNamesPenalty;
      if (swappedScore > nameScore) {
        [first, last, nameScore] = [swappedFirst, swappedLast, swappedScore];
        into.namesSwapped = true;
      }
    }
  }
  // A middle name typed into the first-name field.
  into.middleAsFirst =
    !into.namesSwapped &&
    !isAgreement(first) &&
    (sharesExactName(hub.first, mis.middle) || sharesExactName(hub.middle, mis.first));
  if (into.middleAsFirst) nameScore += WEIGHTS.middleAsFirst - nameWeight(first, mis.firstWeight, WEIGHTS.first);
  into.first = first;
  into.last = last;
  score += nameScore;
  // Middle names tell apart children who share everything else; many records lack one, so absence says nothing.
  into.middle =
    hub.middle.full.length && mis.middle.full.length && !into.middleAsFirst ? compareNames(hub.middle, mis.middle) : 'missing';
  if (into.middle !== 'missing') score += isAgreement(into.middle) ? WEIGHTS.middleSame : WEIGHTS.middleDiffer;

  into.dob = compareDates(hub.dob, mis.dob);
  if (into.dob === 'exact') score += mis.dobWeight;
  else if (into.dob === 'swapped') score += mis.dobWeight - WEIGHTS.swappedDatePenalty;
  else if (into.dob === 'near') score += WEIGHTS.dobNear;
  else if (into.dob === 'differ') score += WEIGHTS.dobDiffer;
  into.genderKnown = hub.gender !== null && mis.gender !== null;
  into.genderDiffer = into.genderKnown && hub.gender !== mis.gender;
  if (into.genderKnown) score += into.genderDiffer ? WEIGHTS.genderDiffer : WEIGHTS.genderSame;
  into.yearKnown = hub.yearCode !== null && mis.yearCode !== null;
  into.yearSame = into.yearKnown && hub.yearCode === mis.yearCode;
  if (into.yearKnown) score += into.yearSame ? WEIGHTS.yearSame : WEIGHTS.yearDiffer;
  into.score = score;
  return score;
}

/** Swapped names sound alike crosswise; checking that first keeps the hot path cheap. */
function couldBeSwapped(hub: PupilFeatures, mis: PupilFeatures): boolean {
  return hub.first.phonetic === mis.last.phonetic || hub.last.phonetic === mis.first.phonetic;
}

function explain(hub: PupilFeatures, mis: PupilFeatures): Comparison {
  const pair = blankAssessment();
  const score = assess(hub, mis, pair);
  const { first, last, middle, dob } = pair;
  const reasons: string[] = [];
  const conflicts: string[] = [];
  if (pair.upnSame) reasons.push('Same UPN');
  if (pair.upnDiffer) conflicts.push('Different UPNs');
  if (pair.namesSwapped) reasons.push('First and last names swapped');
  reasons.push(pair.middleAsFirst ? 'A middle name is in the first-name field' : `First name ${NAME_LEVEL_WORDS[first]}`);
  reasons.push(`Last name ${NAME_LEVEL_WORDS[last]}`);
  if (middle !== 'missing') reasons.push(isAgreement(middle) ? 'Middle names agree' : 'Different middle names');
  reasons.push(DATES[dob]);
  if (pair.genderKnown) (pair.genderDiffer ? conflicts : reasons).push(pair.genderDiffer ? 'Different gender' : 'Same gender');
  if (pair.yearKnown) reasons.push(pair.yearSame ? 'Same year group' : 'Different year group');

  // Twins, siblings and same-name children: without firm agreement on who the child is, no automatic match.
  // A middle name typed as the first name still names the child; the margin guards against a sibling of that name.
  const firstAgrees = isAgreement(first) || pair.middleAsFirst;
  const lastAgrees = isAgreement(last);
  const dobAgrees = dob === 'exact' || dob === 'swapped';
  if (!firstAgrees && first !== 'missing' && lastAgrees && dob === 'exact' && !pair.upnSame) {
    conflicts.push('Different first names with the same surname and date of birth (twins?)');
  } else if (pair.upnSame) {
    // The UPN is the child's national id: with one more field it is enough, unless another
    // pupil has this one's name and birthday (the engine's rival check: a typed-over UPN).
    if (!dobAgrees && dob !== 'near' && !firstAgrees && !lastAgrees) conflicts.push('Little but the UPN agrees');
  } else {
    // A new surname (parents marry or part) with the same first name and birthday is a common
    // story, and no sibling shares both; the score must still clear the threshold on its own.
    const changedSurname = firstAgrees && !pair.middleAsFirst && dob === 'exact' && !pair.genderDiffer && last !== 'missing';
    if (!firstAgrees) conflicts.push('First names do not agree');
    if (!lastAgrees && !changedSurname) conflicts.push('Last names do not agree');
    if (!dobAgrees)
      conflicts.push(
        { near: 'Dates of birth differ slightly', differ: 'Dates of birth do not agree', missing: 'No date of birth to confirm' }[
          dob as 'near' | 'differ' | 'missing'
        ],
      );
  }
  return { score, reasons, conflicts };
}

function pupilMatcher(thresholds: Thresholds): MatcherSpec<PupilRecord, PupilFeatures> {
  return {
    prepare,
    blockingKeys,
    score: (hub, mis, out) => {
      out.total = assess(hub, mis, scratch);
      out.withoutIds = out.total - scratch.idScore;
    },
    compare: explain,
    thresholds,
    allPairsUpTo: 0,
    linkedReason: 'Linked by an earlier sync',
    competitorNoun: 'Another pupil',
  };
}

/** Matches Hub pupils to MIS pupils (the Pupils panel). */
export function matchPupils(
  hub: readonly PupilRecord[],
  mis: readonly PupilRecord[],
  settings: PupilMatchSettings = PUPIL_SETTINGS,
): MatchResult {
  return runMatching(hub, mis, pupilMatcher(pupilThresholds(settings, mis.length)));
}
