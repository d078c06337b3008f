import { upnNumber } from '../domain/upn';
import { runMatching, type Comparison, type KeySet, type MatcherSpec, type MatchStats, type Thresholds } from './engine';
import type { KeySink } from './keyJoin';
import { LEVEL, levelAgrees, NAME_LEVEL_WORDS, NAME_LEVELS, NameTable, type NameFeatures, type NameLevel } from './names';
import { orderByKey } from './order';
import { scratchFloat64, scratchInt32, scratchUint8 } from './scratch';
import { PairMap } from './pairMap';
import type { MatchResult, PupilRecord } from './types';

type DateLevel = 'exact' | 'swapped' | 'nextDay' | 'near' | 'differ' | 'missing';

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
  /** A day out: a slip on the keyboard, or a birth either side of midnight; rarer still. */
  nextDayPenalty: 5,
  dobNear: 1.5,
  dobDiffer: -6,
  genderSame: 1,
  genderDiffer: -4,
  yearSame: 1.5,
  /**
   * The Hub one NC year behind the MIS: a Hub not yet promoted for the new school year, which
   * the seed's checklist warns about. Not evidence against the pair, nor for it.
   */
  yearBehind: 0,
  yearDiffer: -2.5,
} as const;

const POPULATION_FLOOR = 1000;
/**
 * A full name seen once in the MIS is rarer than one school can show: its weight is the first
 * and last names' frequencies in the MIS together, less this many bits because names run in
 * families and communities (a surname's children share a pool of first names). One seen more
 * than once keeps its observed frequency, which already says how common it is here.
 */
const FULL_NAME_CORRELATION = 2;

export interface PupilMatchSettings {
  /**
   * How sure an automatic match must be: the expected number of other MIS pupils that would
   * agree this well by chance must stay below 2^-certaintyBits. The threshold is therefore
   * log2(MIS size) + certaintyBits, so a bigger MIS, with more chance look-alikes (same name,
   * same birthday), needs more evidence before the system decides alone.
   */
  certaintyBits: number;
  /** At or above: proposed as May match. */
  mayMatch: number;
  /**
   * How many bits a Matched pair must lead any other candidate of either record by. Scores are
   * log-odds, so a lead of 6 bits leaves the other candidate at most 1 chance in 64 of being the
   * right child: two same-name children whose birthdays are each other's day and month swapped
   * (4 bits apart) stay with the user.
   */
  margin: number;
}

/**
 * Chosen against the bench's tuning halves (npm run bench:match): no wrong automatic match on
 * any of them, then the most automatic matches; the bench reports them on the test halves.
 */
export const PUPIL_SETTINGS: PupilMatchSettings = { certaintyBits: 8, mayMatch: 4, margin: 6 };

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
  nextDay: 'Date of birth one day apart',
  near: 'Date of birth nearly the same',
  differ: 'Different date of birth',
  missing: 'Date of birth missing on one side',
};

const GENDER = { F: 1, M: 2 } as const;
const NO_DATE = -1;

/** Fields of a table row, at these offsets in a stride of ROW numbers. */
const ROW = 8;
const UPN_HEAD = 0;
const UPN_TAIL = 1;
const FIRST = 2;
const MIDDLE = 3;
const LAST = 4;
/** Date of birth as YYYYMMDD, and with day and month swapped when that is another date; NO_DATE when missing. */
const DOB = 5;
const SWAPPED_DOB = 6;
/** Year code id × 4 + gender (0 unknown, 1 F, 2 M). */
const YEAR_GENDER = 7;
/** Weights of exact agreement on an MIS row's values, at these offsets in a stride of WEIGHTS_PER_ROW. */
const WEIGHTS_PER_ROW = 4;
const FIRST_WEIGHT = 0;
const LAST_WEIGHT = 1;
/** Agreeing on first and last name together: names run in families and communities, so not the sum. */
const FULL_NAME_WEIGHT = 2;
const DOB_WEIGHT = 3;

/**
 * The features of every record of one run in flat typed arrays: Hub records are rows 0 to
 * hubCount - 1 and MIS records follow. A row's fields lie side by side, so scoring a pair reads
 * a cache line or two per record, where objects per record would cost a miss at every step.
 */
class PupilTable {
  readonly names = new NameTable();
  readonly rows: Int32Array;
  readonly weights: Float64Array;
  /** Blocking-key parts, read once per record: days since 1800 (also swapped), NC year number. */
  readonly day: Int32Array;
  readonly swappedDay: Int32Array;
  readonly ncYear: Uint8Array;

  /** The table row of each Hub record and of each MIS record, by their index in the input. */
  readonly hubRows: number[];
  readonly misRows: number[];

  /**
   * Rows are laid out by date of birth within each side (see `localityKey`): records that share
   * blocks then share cache lines too.
   */
  constructor(
    hub: readonly PupilRecord[],
    mis: readonly PupilRecord[],
    readonly hubCount = hub.length,
  ) {
    const count = hub.length + mis.length;
    this.rows = scratchInt32('pupils: rows', count * ROW);
    this.weights = scratchFloat64('pupils: weights', count * WEIGHTS_PER_ROW);
    this.day = scratchInt32('pupils: day', count);
    this.swappedDay = scratchInt32('pupils: swapped day', count);
    this.ncYear = scratchUint8('pupils: NC year', count);
    const hubDates = hub.map((record) => parseDate(record.dob));
    const misDates = mis.map((record) => parseDate(record.dob));
    this.hubRows = rowsByDate(hubDates, 0);
    this.misRows = rowsByDate(misDates, hub.length);
    const yearCodeOf = yearCodeInterner();
    hub.forEach((record, index) => this.fill(this.hubRows[index]!, record, hubDates[index] ?? null, yearCodeOf));
    mis.forEach((record, index) => this.fill(this.misRows[index]!, record, misDates[index] ?? null, yearCodeOf));
    this.weighMisValues();
  }

  private fill(row: number, record: PupilRecord, date: ParsedDate | null, yearCodeOf: (raw: string | null) => number): void {
    const at = row * ROW;
    const upn = upnNumber(record.upn);
    if (upn >= 0) {
      // Head (letter and six digits, plus one so that 0 means none) and tail (six digits).
      this.rows[at + UPN_HEAD] = Math.floor(upn / 1e6) + 1;
      this.rows[at + UPN_TAIL] = upn % 1e6;
    }
    this.rows[at + FIRST] = this.names.id(record.firstName, record.otherFirstNames);
    this.rows[at + MIDDLE] = this.names.id(record.middleName);
    this.rows[at + LAST] = this.names.id(record.lastName, record.otherLastNames);
    this.rows[at + DOB] = date ? date.ymd : NO_DATE;
    this.rows[at + SWAPPED_DOB] = date ? date.swappedYmd : NO_DATE;
    this.day[row] = date ? date.day : 0;
    this.swappedDay[row] = date ? date.swappedDay : 0;
    const yearCode = yearCodeOf(record.yearCode);
    this.ncYear[row] = yearCode % 32;
    this.rows[at + YEAR_GENDER] = (yearCode >> 5) * 4 + (record.gender ? GENDER[record.gender] : 0);
  }

  field(row: number, field: number): number {
    return this.rows[row * ROW + field]!;
  }

  nameFeatures(id: number): NameFeatures {
    return this.names.features[id]!;
  }

  /**
   * log2(1 / frequency) of each MIS row's first name, last name, full name and date of birth
   * in the MIS, clamped. A small school says little about how common a name is in the
   * population: below POPULATION_FLOOR records, a value seen once is taken as one in that many;
   * a value seen more than once is evidently common here, and its observed frequency stands.
   * A birthday seen once is taken as one day in the span of the MIS's birthdays when that span
   * is wider still: two children share a birthday by chance about once in that many days (FEBRL's
   * century of birthdays makes an exact date worth 14 bits, not 11).
   */
  private weighMisValues(): void {
    const mainIds = this.names.mainIds;
    const firsts = new Int32Array(this.names.mainCount);
    const lasts = new Int32Array(this.names.mainCount);
    const fullNames = new PairMap(1024);
    const dobs = new Map<number, number>();
    let firstTotal = 0;
    let lastTotal = 0;
    let dobTotal = 0;
    let firstDay = Infinity;
    let lastDay = -Infinity;
    const count = this.day.length;
    for (let row = this.hubCount; row < count; row++) {
      const first = mainIds[this.field(row, FIRST)]!;
      const last = mainIds[this.field(row, LAST)]!;
      if (first) {
        firsts[first]!++;
        firstTotal++;
      }
      if (last) {
        lasts[last]!++;
        lastTotal++;
      }
      fullNames.increment(first, last);
      const dob = this.field(row, DOB);
      if (dob !== NO_DATE) {
        dobs.set(dob, (dobs.get(dob) ?? 0) + 1);
        dobTotal++;
        firstDay = Math.min(firstDay, this.day[row]!);
        lastDay = Math.max(lastDay, this.day[row]!);
      }
    }
    const daySpan = Math.max(0, lastDay - firstDay + 1);
    const fullNameTotal = count - this.hubCount;
    for (let row = this.hubCount; row < count; row++) {
      const first = mainIds[this.field(row, FIRST)]!;
      const last = mainIds[this.field(row, LAST)]!;
      const dob = this.field(row, DOB);
      const at = row * WEIGHTS_PER_ROW;
      this.weights[at + FIRST_WEIGHT] = frequencyWeight(first ? firsts[first]! : 0, firstTotal, 3, 10);
      this.weights[at + LAST_WEIGHT] = frequencyWeight(last ? lasts[last]! : 0, lastTotal, 3, 12);
      const fullNameCount = fullNames.get(first, last);
      const observed = frequencyWeight(fullNameCount, fullNameTotal, 4, 18);
      // Each name's frequency in this MIS alone, without the population floor: in a small school
      // every name is seen once and says little, in a large one a common name shows up often.
      const together =
        first && last ? Math.log2(firstTotal / firsts[first]!) + Math.log2(lastTotal / lasts[last]!) - FULL_NAME_CORRELATION : 0;
      this.weights[at + FULL_NAME_WEIGHT] = fullNameCount > 1 ? observed : Math.max(observed, Math.min(18, together));
      this.weights[at + DOB_WEIGHT] = frequencyWeight(dob === NO_DATE ? 0 : dobs.get(dob)!, dobTotal, 5, 14, daySpan);
    }
  }
}

/** Year codes as typed → an id of the normalised code and its NC year number (id × 32 + NC year); 0 for none. */
function yearCodeInterner(): (raw: string | null) => number {
  const byRaw = new Map<string, number>();
  const byCode = new Map<string, number>();
  return (raw) => {
    if (!raw) return 0;
    let code = byRaw.get(raw);
    if (code === undefined) {
      const yearCode = raw.trim().toUpperCase();
      code = yearCode ? byCode.get(yearCode) : 0;
      if (code === undefined) byCode.set(yearCode, (code = (byCode.size + 1) * 32 + NC_YEARS.indexOf(yearCode) + 1));
      byRaw.set(raw, code);
    }
    return code;
  };
}

/** Rows first + 0, 1, 2, … for the records in date-of-birth order (missing dates last; ties by index). */
function rowsByDate(dates: readonly (ParsedDate | null)[], first: number): number[] {
  const keys = scratchFloat64('pupils: dates', dates.length);
  // Days since 1800 (below 2^17 to 2150), so that a counting sort applies; missing dates last.
  for (let index = 0; index < dates.length; index++) keys[index] = dates[index]?.day ?? 1 << 17;
  const order = orderByKey(keys, 'pupils: date order');
  const rows = new Array<number>(dates.length);
  for (let position = 0; position < order.length; position++) rows[order[position]!] = first + position;
  return rows;
}

function frequencyWeight(count: number, total: number, min: number, max: number, distinctValues = 0): number {
  const seen = Math.max(1, count);
  const population = seen > 1 ? total : Math.max(POPULATION_FLOOR, total, distinctValues);
  return Math.min(max, Math.max(min, Math.log2(Math.max(1, population) / seen)));
}

/**
 * Cheap keys that bring true pairs together. First: the UPN; date of birth with a surname sound
 * or any given-name form (catches changed surnames and nicknames); the date with day and month
 * swapped; the two name sounds in either order with the birth year or NC year (catches wrong
 * dates and swapped first and last names). Then, for a Hub record those leave without a sure
 * match: the date with either initial, the name sounds alone, and one name's sound with the
 * other's initial (a typo in a name and a wrong date at once).
 */
function blockingKeys(table: PupilTable, row: number, keys: KeySet, sink: KeySink): void {
  const first = table.nameFeatures(table.field(row, FIRST));
  const last = table.nameFeatures(table.field(row, LAST));
  const dob = table.field(row, DOB);
  const hasYear = table.field(row, YEAR_GENDER) >= 4;
  const firstSound = first.soundId;
  const lastSound = last.soundId;
  const low = Math.min(firstSound, lastSound);
  const high = Math.max(firstSound, lastSound);
  const onMis = keys === 'mis' || keys === 'misFallback';
  if (keys === 'hub' || keys === 'mis') {
    if (table.field(row, UPN_HEAD)) sink.emit(KEY.upn + 16 * table.field(row, UPN_HEAD), table.field(row, UPN_TAIL));
    if (dob !== NO_DATE) {
      const day = KEY.dobSound + 16 * table.day[row]!;
      // Day and month swapped: one side's swapped date is the other's date, so the Hub side alone gives it.
      const swappedDay = !onMis && table.swappedDay[row] ? KEY.dobSound + 16 * table.swappedDay[row]! : 0;
      for (const sound of last.tokenSoundIds) {
        sink.emit(day, sound);
        if (swappedDay) sink.emit(swappedDay, sound);
      }
      for (const sound of first.canonicalSoundIds) sink.emit(day, sound);
      for (const sound of table.nameFeatures(table.field(row, MIDDLE)).tokenSoundIds) sink.emit(day, sound);
    }
    if (high) {
      // With a date of birth the date keys find the pair; these are for a wrong or missing date.
      if (dob !== NO_DATE)
        sink.emit(KEY.namesYear + 16 * low, high * 256 + (Math.floor(dob / 10_000) % 256), NAME_ONLY_MAX_BLOCK);
      if (hasYear && (onMis || dob === NO_DATE)) {
        const ncYear = table.ncYear[row]!;
        sink.emit(KEY.namesNcYear + 16 * low, high * 32 + ncYear);
        // A Hub not yet promoted holds its pupils a year behind the MIS.
        if (!onMis && ncYear && ncYear < NC_YEARS.length) sink.emit(KEY.namesNcYear + 16 * low, high * 32 + ncYear + 1);
      }
    }
    return;
  }
  const firstInitial = table.names.letter(table.field(row, FIRST));
  const lastInitial = table.names.letter(table.field(row, LAST));
  if (dob !== NO_DATE) {
    sink.emit(KEY.dobInitial + 16 * table.day[row]!, firstInitial, INITIAL_MAX_BLOCK);
    sink.emit(KEY.dobInitial + 16 * table.day[row]!, 32 + lastInitial, INITIAL_MAX_BLOCK);
  }
  if (high) {
    // Name sounds alone, for wrong or missing dates: searched only where few MIS pupils share them,
    // unless the Hub record has neither a date nor a year to narrow the search.
    sink.emit(KEY.names + 16 * low, high, dob === NO_DATE && !hasYear ? undefined : NAME_ONLY_MAX_BLOCK);
    if (firstSound) sink.emit(KEY.soundInitial + 16 * firstSound, 32 + lastInitial, INITIAL_MAX_BLOCK);
    if (lastSound) sink.emit(KEY.soundInitial + 16 * lastSound, firstInitial, INITIAL_MAX_BLOCK);
  }
}

const NC_YEARS = ['N1', 'N2', 'R', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14'];

/** Key kinds, in the low four bits of a key's first integer. */
const KEY = { upn: 1, dobSound: 2, names: 3, namesYear: 4, namesNcYear: 5, dobInitial: 6, soundInitial: 7 } as const;
/**
 * Name-sound keys without a birthday (for a wrong or missing date) are followed only to blocks
 * of at most this many MIS pupils: among five children of one name and birth year, a record
 * without the right date cannot be told apart anyway, and a fixed cap keeps the work per record
 * from growing with the MIS. 4 finds every true pair 10 did on every data set in the bench, with
 * fewer idle proposals (at 100,000: 1,890 in review instead of 2,032).
 */
const NAME_ONLY_MAX_BLOCK = 4;
/**
 * Keys with an initial are weak: worth following only where they single out a handful of MIS
 * pupils. A fixed cap also keeps the work per record from growing with the MIS (at 100,000 the
 * same birthday and initial are shared by a few pupils). Measured: 3 keeps every true pair the
 * cap of 10 found on generated data and all but 3 of 2,483 on FEBRL without the id, and halves
 * the comparisons these keys cost at 100,000.
 */
const INITIAL_MAX_BLOCK = 3;

interface ParsedDate {
  ymd: number;
  swappedYmd: number;
  day: number;
  swappedDay: number;
}

const dates = new Map<string, ParsedDate | null>();
function parseDate(text: string | null): ParsedDate | null {
  if (!text) return null;
  let parsed = dates.get(text);
  if (parsed === undefined) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
    const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
    const swapped = day <= 12 && day !== month;
    parsed = match
      ? {
          ymd: year * 10_000 + month * 100 + day,
          swappedYmd: swapped ? year * 10_000 + day * 100 + month : NO_DATE,
          day: dayNumber(year, month, day),
          swappedDay: swapped ? dayNumber(year, day, month) : 0,
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

const DATE = { exact: 0, swapped: 1, nextDay: 2, near: 3, differ: 4, missing: 5 } as const;
const DATE_LEVELS: readonly DateLevel[] = ['exact', 'swapped', 'nextDay', 'near', 'differ', 'missing'];

function compareDates(a: number, b: number, swappedA: number, daysA: number, daysB: number): number {
  if (a === NO_DATE || b === NO_DATE) return DATE.missing;
  if (a === b) return DATE.exact;
  if (swappedA === b) return DATE.swapped;
  if (Math.abs(daysA - daysB) === 1) return DATE.nextDay;
  const yearA = Math.floor(a / 10_000);
  const monthA = Math.floor(a / 100) % 100;
  const dayA = a % 100;
  const yearB = Math.floor(b / 10_000);
  const monthB = Math.floor(b / 100) % 100;
  const dayB = b % 100;
  const sameParts = Number(yearA === yearB) + Number(monthA === monthB) + Number(dayA === dayB);
  if (sameParts !== 2) return DATE.differ;
  const close = yearA !== yearB ? Math.abs(yearA - yearB) <= 1 : Math.abs(dayA - dayB) <= 9 || Math.abs(monthA - monthB) <= 1;
  return close ? DATE.near : DATE.differ;
}

/** Weights of the name levels below exact (whose weight comes from frequency), indexed by `LEVEL`. */
const FIRST_WEIGHTS = levelWeights(WEIGHTS.first);
const LAST_WEIGHTS = levelWeights(WEIGHTS.last);
function levelWeights(table: Record<Exclude<NameLevel, 'exact'>, number>): Float64Array {
  return Float64Array.from(NAME_LEVELS, (level) => (level === 'exact' ? 0 : table[level]));
}

/**
 * A name spelled almost the same, or a known short form, says nearly as much as the exact name
 * when that name is rare: its weight follows the MIS value's frequency, a few bits lower (there
 * are more near spellings of a name than exact copies), never below the level's fixed weight.
 */
const NEAR_NAME_DISCOUNT: Partial<Record<NameLevel, number>> = { knownAs: 3, jw92: 2, jw88: 4 };
/** Per `LEVEL`: bits below the exact name's weight (Infinity where a level keeps its fixed weight). */
const NEAR_NAME_DISCOUNTS = Float64Array.from(NAME_LEVELS, (level) => NEAR_NAME_DISCOUNT[level] ?? Infinity);

function nameWeight(level: number, exactWeight: number, table: Float64Array): number {
  if (level === LEVEL.exact) return exactWeight;
  return Math.max(table[level]!, exactWeight - NEAR_NAME_DISCOUNTS[level]!);
}

/** The level of agreement of each field of one pair (as `LEVEL` and `DATE` numbers), and the score they add up to. */
interface Assessment {
  score: number;
  /** The part of the score that comes from the UPN. */
  idScore: number;
  upnSame: boolean;
  upnDiffer: boolean;
  first: number;
  last: number;
  middle: number;
  namesSwapped: boolean;
  middleAsFirst: boolean;
  dob: number;
  genderDiffer: boolean;
  genderKnown: boolean;
  yearKnown: boolean;
  yearSame: boolean;
  yearBehind: boolean;
}

function blankAssessment(): Assessment {
  return {
    score: 0,
    idScore: 0,
    upnSame: false,
    upnDiffer: false,
    first: LEVEL.missing,
    last: LEVEL.missing,
    middle: LEVEL.missing,
    namesSwapped: false,
    middleAsFirst: false,
    dob: DATE.missing,
    genderDiffer: false,
    genderKnown: false,
    yearKnown: false,
    yearSame: false,
    yearBehind: false,
  };
}

/** Scores one pair: `hub` and `mis` are rows of the table. The hot path: it allocates nothing. */
function assess(table: PupilTable, hub: number, mis: number, into: Assessment): number {
  const { names, rows, weights } = table;
  const h = hub * ROW;
  const m = mis * ROW;
  const w = mis * WEIGHTS_PER_ROW;
  let score = 0;
  const hubUpn = rows[h + UPN_HEAD]!;
  const misUpn = rows[m + UPN_HEAD]!;
  const sameUpn = hubUpn === misUpn && rows[h + UPN_TAIL] === rows[m + UPN_TAIL];
  into.upnSame = hubUpn !== 0 && sameUpn;
  into.upnDiffer = hubUpn !== 0 && misUpn !== 0 && !sameUpn;
  into.idScore = into.upnSame ? WEIGHTS.upnSame : into.upnDiffer ? WEIGHTS.upnDiffer : 0;
  score += into.idScore;

  // Names as entered, or with first and last swapped, whichever agrees better.
  const hubFirst = rows[h + FIRST]!;
  const hubLast = rows[h + LAST]!;
  const misFirst = rows[m + FIRST]!;
  const misLast = rows[m + LAST]!;
  const firstWeight = weights[w + FIRST_WEIGHT]!;
  const lastWeight = weights[w + LAST_WEIGHT]!;
  let first = names.level(hubFirst, misFirst);
  let last = names.level(hubLast, misLast);
  // Both names together are rarer than either alone, and no rarer than both by chance.
  let nameScore =
    first === LEVEL.exact && last === LEVEL.exact
      ? Math.min(
          Math.max(weights[w + FULL_NAME_WEIGHT]!, Math.max(firstWeight, lastWeight) + WEIGHTS.secondNameAgrees),
          firstWeight + lastWeight,
        )
      : nameWeight(first, firstWeight, FIRST_WEIGHTS) + nameWeight(last, lastWeight, LAST_WEIGHTS);
  into.namesSwapped = false;
  // Swapped names sound alike crosswise; checking that first keeps the hot path cheap.
  if ((!levelAgrees(first) || !levelAgrees(last)) && (names.sameSound(hubFirst, misLast) || names.sameSound(hubLast, misFirst))) {
    const swappedFirst = names.level(hubFirst, misLast);
    const swappedLast = names.level(hubLast, misFirst);
    if (levelAgrees(swappedFirst) && levelAgrees(swappedLast)) {
      const swappedScore =
        nameWeight(swappedFirst, lastWeight, FIRST_WEIGHTS) +
        nameWeight(swappedLast, firstWeight, LAST_WEIGHTS) -
        WEIGHTS.swappedNamesPenalty;
      if (swappedScore > nameScore) {
        first = swappedFirst;
        last = swappedLast;
        nameScore = swappedScore;
        into.namesSwapped = true;
      }
    }
  }
  // A middle name typed into the first-name field.
  const hubMiddle = rows[h + MIDDLE]!;
  const misMiddle = rows[m + MIDDLE]!;
  into.middleAsFirst =
    !into.namesSwapped &&
    !levelAgrees(first) &&
    (names.level(hubFirst, misMiddle) === LEVEL.exact || names.level(hubMiddle, misFirst) === LEVEL.exact);
  if (into.middleAsFirst) nameScore += WEIGHTS.middleAsFirst - nameWeight(first, firstWeight, FIRST_WEIGHTS);
  into.first = first;
  into.last = last;
  score += nameScore;
  // Middle names tell apart children who share everything else; many records lack one, so absence says nothing.
  into.middle = hubMiddle && misMiddle && !into.middleAsFirst ? names.level(hubMiddle, misMiddle) : LEVEL.missing;
  if (into.middle !== LEVEL.missing) score += levelAgrees(into.middle) ? WEIGHTS.middleSame : WEIGHTS.middleDiffer;

  into.dob = compareDates(rows[h + DOB]!, rows[m + DOB]!, rows[h + SWAPPED_DOB]!, table.day[hub]!, table.day[mis]!);
  if (into.dob === DATE.exact) score += weights[w + DOB_WEIGHT]!;
  else if (into.dob === DATE.swapped) score += weights[w + DOB_WEIGHT]! - WEIGHTS.swappedDatePenalty;
  else if (into.dob === DATE.nextDay) score += Math.max(WEIGHTS.dobNear, weights[w + DOB_WEIGHT]! - WEIGHTS.nextDayPenalty);
  else if (into.dob === DATE.near) score += WEIGHTS.dobNear;
  else if (into.dob === DATE.differ) score += WEIGHTS.dobDiffer;
  const hubYearGender = rows[h + YEAR_GENDER]!;
  const misYearGender = rows[m + YEAR_GENDER]!;
  const hubGender = hubYearGender & 3;
  const misGender = misYearGender & 3;
  into.genderKnown = hubGender !== 0 && misGender !== 0;
  into.genderDiffer = into.genderKnown && hubGender !== misGender;
  if (into.genderKnown) score += into.genderDiffer ? WEIGHTS.genderDiffer : WEIGHTS.genderSame;
  into.yearKnown = hubYearGender >= 4 && misYearGender >= 4;
  into.yearSame = into.yearKnown && hubYearGender >> 2 === misYearGender >> 2;
  const hubNcYear = table.ncYear[hub]!;
  into.yearBehind = into.yearKnown && !into.yearSame && hubNcYear !== 0 && hubNcYear + 1 === table.ncYear[mis];
  if (into.yearKnown) score += into.yearSame ? WEIGHTS.yearSame : into.yearBehind ? WEIGHTS.yearBehind : WEIGHTS.yearDiffer;
  into.score = score;
  return score;
}

const FIRST_NAME_REASONS = NAME_LEVELS.map((level) => `First name ${NAME_LEVEL_WORDS[level]}`);
const LAST_NAME_REASONS = NAME_LEVELS.map((level) => `Last name ${NAME_LEVEL_WORDS[level]}`);

function explain(table: PupilTable, hub: number, mis: number): Comparison {
  const pair = blankAssessment();
  const score = assess(table, hub, mis, pair);
  const [first, last, middle, dob] = [pair.first, pair.last, pair.middle, DATE_LEVELS[pair.dob]!];
  const reasons: string[] = [];
  const conflicts: string[] = [];
  if (pair.upnSame) reasons.push('Same UPN');
  if (pair.upnDiffer) conflicts.push('Different UPNs');
  if (pair.namesSwapped) reasons.push('First and last names swapped');
  reasons.push(pair.middleAsFirst ? 'A middle name is in the first-name field' : FIRST_NAME_REASONS[first]!);
  reasons.push(LAST_NAME_REASONS[last]!);
  if (middle !== LEVEL.missing) reasons.push(levelAgrees(middle) ? 'Middle names agree' : 'Different middle names');
  reasons.push(DATES[dob]);
  if (pair.genderKnown) (pair.genderDiffer ? conflicts : reasons).push(pair.genderDiffer ? 'Different gender' : 'Same gender');
  if (pair.yearKnown)
    reasons.push(
      pair.yearSame
        ? 'Same year group'
        : pair.yearBehind
          ? 'Year group one behind the MIS (not yet promoted?)'
          : 'Different year group',
    );

  // Twins, siblings and same-name children: without firm agreement on who the child is, no automatic match.
  // A middle name typed as the first name still names the child; the margin guards against a sibling of that name.
  const firstAgrees = levelAgrees(first) || pair.middleAsFirst;
  const lastAgrees = levelAgrees(last);
  const dobAgrees = dob === 'exact' || dob === 'swapped';
  // A day out with both names the same (as typed, not swapped) and no gender conflict: a keying slip
  // or a birth either side of midnight. Twins share a birthday; same-name children a day apart are a rarity.
  const nextDayAgrees =
    dob === 'nextDay' && first <= LEVEL.jw92 && last <= LEVEL.jw92 && !pair.namesSwapped && !pair.genderDiffer;
  // Twins may have names only a letter or two apart (Emily and Emilia): for them only a near-exact first name counts.
  const sameFirstName = first <= LEVEL.jw92 || pair.middleAsFirst;
  if (!sameFirstName && first !== LEVEL.missing && lastAgrees && dob === 'exact' && !pair.upnSame) {
    conflicts.push('Different first names with the same surname and date of birth (twins?)');
  } else if (pair.upnSame) {
    // The UPN is the child's national id: with one more field it is enough, unless another
    // pupil has this one's name and birthday (the engine's rival check: a typed-over UPN).
    if (!dobAgrees && dob !== 'near' && !firstAgrees && !lastAgrees) conflicts.push('Little but the UPN agrees');
  } else {
    // A field missing on one side is no evidence either way (the score says how much is left);
    // a field present on both sides must agree, and two of the three must agree outright.
    // A new surname (parents marry or part) with the same first name and birthday is a common
    // story, and no sibling shares both; the score must still clear the threshold on its own.
    const changedSurname = firstAgrees && !pair.middleAsFirst && dob === 'exact' && !pair.genderDiffer && last !== LEVEL.missing;
    if (!firstAgrees && first !== LEVEL.missing) conflicts.push('First names do not agree');
    if (!lastAgrees && last !== LEVEL.missing && !changedSurname) conflicts.push('Last names do not agree');
    // Two children of one common name are often born days apart: a date nearly the same is not the same.
    if (dob === 'differ') conflicts.push('Dates of birth do not agree');
    if (dob === 'near' || (dob === 'nextDay' && !nextDayAgrees)) conflicts.push('Dates of birth differ slightly');
    if (Number(firstAgrees) + Number(lastAgrees) + Number(dobAgrees || nextDayAgrees) < 2)
      conflicts.push('Too little agrees: check the names and date of birth');
  }
  return { score, reasons, conflicts };
}

/** The matcher works on rows of a table built per run, so its "features" are row numbers. */
function pupilMatcher(thresholds: Thresholds): MatcherSpec<PupilRecord, number> {
  let table: PupilTable | null = null;
  const current = (): PupilTable => {
    if (!table) throw new Error('prepare() has not run');
    return table;
  };
  const scratch = blankAssessment();
  return {
    prepare(hub, mis) {
      table = new PupilTable(hub, mis);
      return { hub: table.hubRows, mis: table.misRows };
    },
    // Rows are in date-of-birth order, and most blocks share a date.
    localityKey: (row) => row,
    blockingKeys: (row, keys, sink) => blockingKeys(current(), row, keys, sink),
    score: (hub, mis, out) => {
      // The hot path: blocking keys have already been read, so prepare() has run.
      out.total = assess(table!, hub, mis, scratch);
      out.withoutIds = out.total - scratch.idScore;
    },
    compare: (hub, mis) => explain(current(), hub, mis),
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
  stats?: MatchStats,
): MatchResult {
  return runMatching(hub, mis, pupilMatcher(pupilThresholds(settings, mis.length)), stats);
}

/**
 * One pair judged as the matcher would judge it, for a pair matched by hand: its score, reasons
 * and conflicts, and whether the two disagree so strongly (below May match, or a conflict such as
 * different dates of birth) that the co-ordinator should be asked again.
 */
export function comparePupils(
  hub: PupilRecord,
  mis: PupilRecord,
): { score: number; reasons: string[]; conflicts: string[]; disagrees: boolean } {
  const table = new PupilTable([hub], [mis]);
  const comparison = explain(table, table.hubRows[0]!, table.misRows[0]!);
  return {
    score: Math.round(comparison.score * 10) / 10,
    reasons: [...comparison.reasons, ...comparison.conflicts],
    conflicts: comparison.conflicts,
    disagrees: comparison.score < PUPIL_SETTINGS.mayMatch || comparison.conflicts.length > 0,
  };
}
