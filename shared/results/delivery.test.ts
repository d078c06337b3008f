import { describe, expect, it } from 'vitest';
import { planDelivery, postBatches, type AssemblyCatalogue, type Delivery, type SharedPupil } from './delivery';
import { markInputSchema, PAPERS, paperById, resultIdOf, termOf } from './papers';

const catalogue: AssemblyCatalogue = {
  assessments: [
    { id: 7, name: 'KS2 SATs', family_id: 1, family_name: 'National', mis_assessments: ['KS2'] },
    { id: 101, name: 'MARK Standardised Score', family_id: 10, family_name: 'Rising Stars', mis_assessments: ['MARK'] },
  ],
  gradeSets: new Map([
    [
      101,
      {
        id: 201,
        name: 'Standardised score',
        grades: [100, 101, 102].map((value) => ({ id: 1000 + value, name: String(value), value })),
      },
    ],
  ]),
  facets: ['baseline', 'achieved'].map((name, index) => ({ id: index + 1, name })),
  points: ['Autumn', 'Spring', 'Summer'].flatMap((term, index) => [
    { rank: 10 + index, name: `Year 3 ${term}`, type: 'Term', year_code: '3' },
    { rank: 20 + index, name: `Year 4 ${term}`, type: 'Term', year_code: '4' },
  ]),
  subjects: [
    { id: 1, code: 'EN', name: 'English' },
    { id: 2, code: 'MA', name: 'Mathematics' },
  ],
};
const pupil: SharedPupil = { misId: '5001', syncStatus: 'synced', yearCode: '3' };
const maths = { resultId: 'p1#maths-3-autumn', paperId: 'maths-3-autumn', standardisedScore: 101, sat: '2026-11-12' };

describe('results: what a marked paper becomes in Assembly', () => {
  it('maps a paper to MARK’s assessment, the achieved facet, the point of the year and term sat, the subject and the grade', () => {
    expect(planDelivery(maths, pupil, null, catalogue)).toEqual({
      kind: 'post',
      resultId: 'p1#maths-3-autumn',
      key: { assessment_id: 101, facet_id: 2, assessment_point_rank: 10, subject_id: 2 },
      row: { student_id: 5001, grade_id: 1101, result_date: '2026-11-12' },
    });
    // Reading is written under English when Assembly has no Reading subject; sat in spring, the spring point.
    const reading = planDelivery({ ...maths, paperId: 'reading-3-autumn', sat: '2027-01-20' }, pupil, null, catalogue);
    expect(reading).toMatchObject({ kind: 'post', key: { subject_id: 1, assessment_point_rank: 11 } });
  });

  it('patches a result sent before, and leaves it alone when nothing Assembly holds has changed', () => {
    const sent = { assemblyResultId: 77, gradeId: 1101, resultDate: '2026-11-12' };
    expect(planDelivery(maths, pupil, sent, catalogue)).toEqual({ kind: 'unchanged', resultId: maths.resultId });
    expect(planDelivery({ ...maths, standardisedScore: 102 }, pupil, sent, catalogue)).toEqual({
      kind: 'patch',
      resultId: maths.resultId,
      assemblyResultId: 77,
      gradeId: 1102,
      resultDate: '2026-11-12',
    });
  });

  it('skips a pupil who is not synced, without a call', () => {
    expect(planDelivery(maths, { misId: null, syncStatus: 'none', yearCode: '3' }, null, catalogue)).toMatchObject({
      kind: 'skipped',
    });
    expect(planDelivery(maths, { ...pupil, syncStatus: 'outOfSync' }, null, catalogue)).toMatchObject({ kind: 'skipped' });
  });

  it.each([
    ['a score with no grade', { ...maths, standardisedScore: 142 }, pupil, 'No grade for 142 in Assembly’s grade set'],
    ['a year with no point', maths, { ...pupil, yearCode: '6' }, 'Assembly has no assessment point for Year 6, autumn term'],
    ['a subject Assembly lacks', { ...maths, paperId: 'gps-3-autumn' }, pupil, 'Assembly has no subject for gps'],
  ])('fails %s with a reason the school can read', (_, result, who, reason) => {
    expect(planDelivery(result, who, null, catalogue)).toEqual({ kind: 'failed', resultId: result.resultId, reason });
  });

  it('fails every result when Assembly has no MARK assessment', () => {
    const without = { ...catalogue, assessments: catalogue.assessments.slice(0, 1) };
    expect(planDelivery(maths, pupil, null, without)).toMatchObject({
      kind: 'failed',
      reason: 'Assembly has no MARK assessment for this school',
    });
  });

  it('posts at most 50 results at a time, each POST for one assessment, facet, point and subject', () => {
    const deliveries: Delivery[] = Array.from({ length: 120 }, (_, index) =>
      planDelivery(
        { ...maths, resultId: `p${index}`, paperId: index % 2 ? 'maths-3-autumn' : 'reading-3-autumn' },
        { ...pupil, misId: String(6000 + index) },
        null,
        catalogue,
      ),
    );
    const batches = postBatches([...deliveries, { kind: 'failed', resultId: 'x', reason: 'no' }]);
    expect(batches.map((batch) => [batch.key.subject_id, batch.results.length])).toEqual([
      [1, 50],
      [1, 10],
      [2, 50],
      [2, 10],
    ]);
    expect(new Set(batches.flatMap((batch) => batch.results.map((result) => result.resultId))).size).toBe(120);
  });
});

describe('results: MARK’s papers', () => {
  it('names each paper once, and a result by its pupil and paper', () => {
    expect(new Set(PAPERS.map((paper) => paper.paperId)).size).toBe(PAPERS.length);
    expect(paperById('maths-3-autumn')).toMatchObject({ subject: 'maths', yearCode: '3', term: 'autumn' });
    expect(paperById('gps-R-autumn')).toBeNull();
    expect(resultIdOf('pupil-1', 'maths-3-autumn')).toBe('pupil-1#maths-3-autumn');
  });

  it('takes the term from the date sat', () => {
    expect(['2026-09-01', '2026-12-18', '2027-01-04', '2027-03-31', '2027-04-20', '2027-07-21'].map(termOf)).toEqual([
      'autumn',
      'autumn',
      'spring',
      'spring',
      'summer',
      'summer',
    ]);
  });

  it('refuses a mark it cannot store, field by field', () => {
    const parsed = markInputSchema.safeParse({
      paperId: 'art-3-autumn',
      rawMark: -1,
      standardisedScore: 99.5,
      sat: '2026-02-30',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path[0]).sort()).toEqual(['paperId', 'rawMark', 'sat', 'standardisedScore']);
  });
});
