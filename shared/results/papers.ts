import * as z from 'zod';
import { isCalendarDate } from '../domain/calendarDate';

/**
 * MARK's papers: a termly test per subject and year group (Reception to Year 6). A paper is
 * named by its id, `maths-3-autumn`, so that a result's id can be deterministic: one result per
 * pupil and paper, and marking it again changes that result.
 */
export const PAPER_SUBJECTS = ['reading', 'maths', 'gps'] as const;
export const TERMS = ['autumn', 'spring', 'summer'] as const;
export const PAPER_YEARS = ['R', '1', '2', '3', '4', '5', '6'] as const;

export type PaperSubject = (typeof PAPER_SUBJECTS)[number];
export type Term = (typeof TERMS)[number];

export const SUBJECT_WORDS: Record<PaperSubject, string> = {
  reading: 'Reading',
  maths: 'Maths',
  gps: 'Grammar, punctuation and spelling',
};

export interface Paper {
  paperId: string;
  subject: PaperSubject;
  yearCode: (typeof PAPER_YEARS)[number];
  term: Term;
}

/** Every paper MARK has, in a stable order (subject, year, term). */
export const PAPERS: readonly Paper[] = PAPER_SUBJECTS.flatMap((subject) =>
  PAPER_YEARS.flatMap((yearCode) =>
    // Grammar, punctuation and spelling starts in Year 1.
    subject === 'gps' && yearCode === 'R'
      ? []
      : TERMS.map((term) => ({ paperId: `${subject}-${yearCode}-${term}`, subject, yearCode, term })),
  ),
);

const byId = new Map(PAPERS.map((paper) => [paper.paperId, paper]));

export function paperById(paperId: string): Paper | null {
  return byId.get(paperId) ?? null;
}

export function paperWords(paper: Paper): string {
  const year = paper.yearCode === 'R' ? 'Reception' : `Year ${paper.yearCode}`;
  return `${SUBJECT_WORDS[paper.subject]}, ${year}, ${paper.term[0]!.toUpperCase()}${paper.term.slice(1)}`;
}

/**
 * The school term a date falls in: autumn from September to December, spring from January to
 * March, summer from April to August. Easter moves, so a paper sat in early April of a late
 * Easter is taken as summer; the paper's own term is what the teacher chose, this is when it was sat.
 */
export function termOf(date: string): Term {
  const month = Number(date.slice(5, 7));
  return month >= 9 ? 'autumn' : month <= 3 ? 'spring' : 'summer';
}

/** A marked paper as a teacher enters it. The standardised score is MARK's, from its tables. */
export const markInputSchema = z.object({
  paperId: z.string().refine((paperId) => byId.has(paperId), 'Choose one of MARK’s papers'),
  rawMark: z.number().int('A whole number').min(0, 'At least 0').max(100, 'At most 100'),
  standardisedScore: z.number().int('A whole number').min(60, 'At least 60').max(150, 'At most 150'),
  sat: z
    .string()
    .refine(isCalendarDate, 'A date, written YYYY-MM-DD')
    .refine((date) => date >= '2015-09-01', 'MARK results start in September 2015'),
});
export type MarkInput = z.infer<typeof markInputSchema>;

/** One result per pupil and paper: marking the paper again changes this item. */
export const resultIdOf = (pupilId: string, paperId: string) => `${pupilId}#${paperId}`;
