import type * as z from 'zod';
import type { AssemblySubject, assessmentPointSchema, assessmentSchema, facetSchema, gradeSetSchema } from '../assembly/schemas';
import { paperById, termOf, type Paper, type PaperSubject } from './papers';

/**
 * What to send Assembly for a marked paper, decided without I/O: Assembly's model wants an
 * assessment, a facet ("achieved"), an assessment point (the pupil's year and the term the paper
 * was sat), a subject and a grade id from the assessment's grade set. A result sent before is
 * PATCHed by its Assembly id, never POSTed again.
 */

export interface AssemblyCatalogue {
  assessments: z.infer<typeof assessmentSchema>[];
  /** By assessment id. */
  gradeSets: ReadonlyMap<number, z.infer<typeof gradeSetSchema>>;
  facets: z.infer<typeof facetSchema>[];
  points: z.infer<typeof assessmentPointSchema>[];
  subjects: AssemblySubject[];
}

/** The fields of a stored result that delivery reads. */
export interface ResultFields {
  resultId: string;
  paperId: string;
  standardisedScore: number;
  sat: string;
}

/** The pupil as sharing sees it: only a synced pupil has an Assembly student id. */
export interface SharedPupil {
  misId: string | null;
  syncStatus: string;
  /** The MIS year code of the pupil's synced year group. */
  yearCode: string | null;
}

/** What Assembly holds for a result already sent. */
export interface SentResult {
  assemblyResultId: number;
  gradeId: number;
  resultDate: string;
}

export interface BatchKey {
  assessment_id: number;
  facet_id: number;
  assessment_point_rank: number;
  subject_id: number;
}

export interface PostRow {
  student_id: number;
  grade_id: number;
  result_date: string;
}

export type Delivery =
  | { kind: 'post'; resultId: string; key: BatchKey; row: PostRow }
  | { kind: 'patch'; resultId: string; assemblyResultId: number; gradeId: number; resultDate: string }
  /** Sent before with this grade and date: nothing to do. */
  | { kind: 'unchanged'; resultId: string }
  /** Not for Assembly (the pupil is not synced): no call, and nothing wrong. */
  | { kind: 'skipped'; resultId: string; reason: string }
  /** For Assembly, but it cannot be sent as it is: the reason is shown to the school. */
  | { kind: 'failed'; resultId: string; reason: string };

/** Assembly subjects a paper's subject is written under, in order of preference (by name or code). */
const SUBJECT_NAMES: Record<PaperSubject, RegExp[]> = {
  maths: [/^math(s|ematics)?$/i, /^ma$/i],
  reading: [/^reading$/i, /^english$/i, /^en$/i],
  // Not English: reading goes there, and Assembly holds one result per pupil, point and subject.
  gps: [/^(grammar|gps|spag)\b/i],
};

const isMark = (assessment: z.infer<typeof assessmentSchema>) =>
  (assessment.mis_assessments ?? []).some((name) => /^mark\b/i.test(name)) || /^mark\b/i.test(assessment.name ?? '');

function subjectFor(catalogue: AssemblyCatalogue, paper: Paper): AssemblySubject | null {
  for (const pattern of SUBJECT_NAMES[paper.subject]) {
    const found = catalogue.subjects.find((subject) => pattern.test(subject.name ?? '') || pattern.test(subject.code ?? ''));
    if (found) return found;
  }
  return null;
}

function yearWords(yearCode: string): string {
  return yearCode === 'R' ? 'Reception' : `Year ${yearCode}`;
}

export function planDelivery(
  result: ResultFields,
  pupil: SharedPupil,
  sent: SentResult | null,
  catalogue: AssemblyCatalogue,
): Delivery {
  const { resultId } = result;
  const failed = (reason: string): Delivery => ({ kind: 'failed', resultId, reason });
  if (pupil.syncStatus !== 'synced' || !pupil.misId)
    return { kind: 'skipped', resultId, reason: 'The pupil is not synced with the MIS' };
  const studentId = Number(pupil.misId);
  if (!Number.isInteger(studentId)) return failed('The pupil’s MIS id is not an Assembly student id');
  const paper = paperById(result.paperId);
  if (!paper) return failed(`${result.paperId} is not one of MARK’s papers`);
  const assessment = catalogue.assessments.find(isMark);
  if (!assessment) return failed('Assembly has no MARK assessment for this school');
  const grade = (catalogue.gradeSets.get(assessment.id)?.grades ?? []).find(
    (candidate) => candidate.value === result.standardisedScore,
  );
  if (!grade) return failed(`No grade for ${result.standardisedScore} in Assembly’s grade set`);
  if (sent) {
    if (sent.gradeId === grade.id && sent.resultDate === result.sat) return { kind: 'unchanged', resultId };
    return { kind: 'patch', resultId, assemblyResultId: sent.assemblyResultId, gradeId: grade.id, resultDate: result.sat };
  }
  const facet = catalogue.facets.find((candidate) => candidate.name === 'achieved');
  if (!facet) return failed('Assembly has no “achieved” facet');
  if (!pupil.yearCode) return failed('The pupil has no year group');
  const term = termOf(result.sat);
  const point = catalogue.points.find(
    (candidate) => candidate.year_code === pupil.yearCode && new RegExp(`\\b${term}\\b`, 'i').test(candidate.name ?? ''),
  );
  if (!point) return failed(`Assembly has no assessment point for ${yearWords(pupil.yearCode)}, ${term} term`);
  const subject = subjectFor(catalogue, paper);
  if (!subject) return failed(`Assembly has no subject for ${paper.subject}`);
  return {
    kind: 'post',
    resultId,
    key: { assessment_id: assessment.id, facet_id: facet.id, assessment_point_rank: point.rank, subject_id: subject.id },
    row: { student_id: studentId, grade_id: grade.id, result_date: result.sat },
  };
}

/** Assembly takes at most 50 results per POST, all for one assessment, facet, point and subject. */
export const MAX_RESULTS_PER_POST = 50;

export interface PostBatch {
  key: BatchKey;
  results: { resultId: string; row: PostRow }[];
}

/** The POSTs for a set of deliveries: grouped by key, in the order first seen, at most 50 each. */
export function postBatches(deliveries: readonly Delivery[]): PostBatch[] {
  const groups = new Map<string, PostBatch>();
  for (const delivery of deliveries) {
    if (delivery.kind !== 'post') continue;
    const { key } = delivery;
    const id = `${key.assessment_id}|${key.facet_id}|${key.assessment_point_rank}|${key.subject_id}`;
    const group = groups.get(id) ?? { key, results: [] };
    group.results.push({ resultId: delivery.resultId, row: delivery.row });
    groups.set(id, group);
  }
  return [...groups.values()].flatMap((group) => {
    const batches: PostBatch[] = [];
    for (let start = 0; start < group.results.length; start += MAX_RESULTS_PER_POST)
      batches.push({ key: group.key, results: group.results.slice(start, start + MAX_RESULTS_PER_POST) });
    return batches;
  });
}
