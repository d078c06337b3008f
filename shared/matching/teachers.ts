import { runMatching, type Comparison, type MatcherSpec, type Thresholds } from './engine';
import { compareNames, isAgreement, nameFeatures, type NameFeatures, type NameLevel, NAME_LEVEL_WORDS } from './names';
import type { MatchResult, TeacherRecord } from './types';

interface TeacherFeatures {
  title: 'male' | 'female' | 'neutral' | null;
  first: NameFeatures;
  last: NameFeatures;
  email: string | null;
  emailLocal: string | null;
  emailHash: number;
}

/** Teachers have no date of birth: names, title and an email (strong when exact) are the evidence. */
const WEIGHTS = {
  emailSame: 12,
  emailLocalSame: 4,
  emailDiffer: -1,
  first: { exact: 5, knownAs: 4, part: 3.5, jw92: 3.5, jw88: 2, jw70: 0, differ: -4, missing: 0 } satisfies Record<
    NameLevel,
    number
  >,
  // Surnames change on marriage, so a different surname counts against a match less than a different first name.
  last: { exact: 6, knownAs: 3.5, part: 4, jw92: 3.5, jw88: 2, jw70: 0, differ: -3, missing: 0 } satisfies Record<
    NameLevel,
    number
  >,
  titleSame: 0.5,
  titleConflict: -4,
} as const;

export const TEACHER_THRESHOLDS: Thresholds = { match: 9, mayMatch: 4, margin: 2 };

const TITLES: Record<string, TeacherFeatures['title']> = {
  mr: 'male',
  master: 'male',
  sir: 'male',
  mrs: 'female',
  ms: 'female',
  miss: 'female',
  dame: 'female',
  lady: 'female',
  dr: 'neutral',
  prof: 'neutral',
  mx: 'neutral',
  rev: 'neutral',
};

function features(record: TeacherRecord): TeacherFeatures {
  const email = record.email?.trim().toLowerCase() || null;
  const title = record.title?.trim().toLowerCase().replace(/\./g, '') ?? '';
  return {
    title: title ? (TITLES[title] ?? 'neutral') : null,
    first: nameFeatures(record.firstName),
    last: nameFeatures(record.lastName),
    email,
    emailLocal: email?.split('@')[0] ?? null,
    emailHash: email ? hashText(email) : 0,
  };
}

function assess(hub: TeacherFeatures, mis: TeacherFeatures) {
  const emailSame = hub.email !== null && hub.email === mis.email;
  const emailLocalSame = !emailSame && hub.emailLocal !== null && hub.emailLocal === mis.emailLocal;
  const emailDiffer = hub.email !== null && mis.email !== null && !emailSame && !emailLocalSame;
  const first = compareNames(hub.first, mis.first);
  const last = compareNames(hub.last, mis.last);
  const titleKnown = hub.title !== null && mis.title !== null;
  const titleConflict = titleKnown && hub.title !== 'neutral' && mis.title !== 'neutral' && hub.title !== mis.title;
  const idScore = emailSame ? WEIGHTS.emailSame : emailLocalSame ? WEIGHTS.emailLocalSame : emailDiffer ? WEIGHTS.emailDiffer : 0;
  const total =
    idScore +
    WEIGHTS.first[first] +
    WEIGHTS.last[last] +
    (titleKnown ? (titleConflict ? WEIGHTS.titleConflict : WEIGHTS.titleSame) : 0);
  return { total, idScore, emailSame, emailLocalSame, first, last, titleConflict };
}

function explain(hub: TeacherFeatures, mis: TeacherFeatures): Comparison {
  const pair = assess(hub, mis);
  const reasons: string[] = [];
  const conflicts: string[] = [];
  if (pair.emailSame) reasons.push('Same email address');
  else if (pair.emailLocalSame) reasons.push('Same email name at another domain');
  else if (pair.idScore < 0) reasons.push('Different email addresses');
  reasons.push(`First name ${NAME_LEVEL_WORDS[pair.first]}`, `Last name ${NAME_LEVEL_WORDS[pair.last]}`);
  if (pair.titleConflict) conflicts.push('Titles suggest different people');
  const firstAgrees = isAgreement(pair.first);
  const lastAgrees = isAgreement(pair.last);
  if (!(firstAgrees && lastAgrees) && !(pair.emailSame && (firstAgrees || lastAgrees))) {
    conflicts.push(
      pair.emailSame ? 'Only the email address agrees' : !firstAgrees ? 'First names do not agree' : 'Last names do not agree',
    );
  }
  return { score: pair.total, reasons, conflicts };
}

function hashText(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return (hash >>> 1) & 0x7fffffff;
}

const teacherMatcher: MatcherSpec<TeacherRecord, TeacherFeatures> = {
  prepare: (hub, mis) => ({ hub: hub.map(features), mis: mis.map(features) }),
  blockingKeys(teacher, keys, sink) {
    if (keys === 'hubFallback' || keys === 'misFallback') return;
    if (teacher.emailHash) sink.emit(1, teacher.emailHash);
    for (const sound of teacher.last.tokenSoundIds) sink.emit(2, sound);
    for (const sound of teacher.first.canonicalSoundIds) sink.emit(3, sound);
  },
  score(hub, mis, out) {
    const pair = assess(hub, mis);
    out.total = pair.total;
    out.withoutIds = pair.total - pair.idScore;
  },
  compare: explain,
  thresholds: TEACHER_THRESHOLDS,
  // A school's staff against its Hub teachers is small enough to compare every pair.
  allPairsUpTo: 250_000,
  linkedReason: 'Linked by an earlier sync',
  competitorNoun: 'Another member of staff',
};

/** Matches Hub teachers to MIS staff (the Teachers panel). Non-teaching staff are matched the same way. */
export function matchTeachers(hub: readonly TeacherRecord[], mis: readonly TeacherRecord[]): MatchResult {
  return runMatching(hub, mis, teacherMatcher);
}

/**
 * One pair judged as the matcher would judge it, for a pair matched by hand: its score and
 * reasons, and whether the two disagree so strongly (below May match, or a conflict such as two
 * different names) that the co-ordinator should be asked again.
 */
export function compareTeachers(
  hub: TeacherRecord,
  mis: TeacherRecord,
): { score: number; reasons: string[]; disagrees: boolean } {
  const comparison = explain(features(hub), features(mis));
  return {
    score: Math.round(comparison.score * 10) / 10,
    reasons: [...comparison.reasons, ...comparison.conflicts],
    disagrees: comparison.score < TEACHER_THRESHOLDS.mayMatch || comparison.conflicts.length > 0,
  };
}
