import { z } from 'zod';
import type { HubTeacher, MisStaff } from '../domain/records';
import type { FieldErrors } from '../core/errors';
import { matchTeachers } from '../matching/teachers';
import type { MatchResult } from '../matching/types';
import { isValidEmail } from './emails';

export type { MisStaff };

const pairSchema = z.object({ hubId: z.string().min(1).max(100), misId: z.string().min(1).max(100) });
export type PlannedPair = z.infer<typeof pairSchema>;

/** The Access Co-ordinator's working plan, kept server-side as they work. */
export const teacherPlanSchema = z.object({
  imports: z.array(z.string().min(1).max(100)).max(5000),
  manualMatches: z.array(pairSchema).max(5000),
  unmatched: z.array(pairSchema).max(5000),
  confirmed: z.array(pairSchema).max(5000),
  emails: z.record(z.string().max(100), z.string().max(254)),
});
export type TeacherPlan = z.infer<typeof teacherPlanSchema>;

export const emptyTeacherPlan = (): TeacherPlan => ({ imports: [], manualMatches: [], unmatched: [], confirmed: [], emails: {} });

export interface PanelPerson {
  id: string;
  title: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}

export type PairSource = 'linked' | 'system' | 'confirmed' | 'you';

export type TeacherRow =
  | { status: 'notMatched'; hub: PanelPerson }
  | { status: 'new'; mis: PanelPerson; import: boolean; email: string; emailProblem: string | null }
  | {
      status: 'mayMatch' | 'matched';
      hub: PanelPerson;
      mis: PanelPerson;
      score: number;
      reasons: string[];
      source: PairSource;
      /** Hub values the MIS will overwrite (shown struck out). */
      overwritten: { field: 'title' | 'firstName' | 'lastName'; hubValue: string | null; misValue: string | null }[];
    };

export interface TeachersPanel {
  rows: TeacherRow[];
  counts: { notMatched: number; new: number; mayMatch: number; matched: number; importing: number };
  /** Why Save and sync cannot go ahead yet; empty when it can. */
  problems: string[];
}

const ORDER: Record<TeacherRow['status'], number> = { notMatched: 0, new: 1, mayMatch: 2, matched: 3 };
const pairKey = (pair: PlannedPair) => `${pair.hubId}\u0000${pair.misId}`;

/**
 * The Teachers panel: the matching engine's proposal with the co-ordinator's plan applied
 * (their unmatches, manual matches, confirmed May matches, ticks and emails), in review order:
 * Not matched, New, May match, Matched. `takenEmails` are addresses already used by Hub users.
 */
export function buildTeachersPanel(
  hubTeachers: readonly HubTeacher[],
  misStaff: readonly MisStaff[],
  proposal: MatchResult,
  plan: TeacherPlan,
  takenEmails: Iterable<string>,
): TeachersPanel {
  const hubById = new Map(hubTeachers.map((teacher) => [teacher.teacherId, teacher]));
  const misById = new Map(misStaff.map((member) => [member.misId, member]));
  const unmatched = new Set(plan.unmatched.map(pairKey));
  const confirmed = new Set(plan.confirmed.map(pairKey));

  type Pair = {
    hubId: string;
    misId: string;
    score: number;
    reasons: string[];
    status: 'mayMatch' | 'matched';
    source: PairSource;
  };
  let pairs: Pair[] = [
    ...proposal.matched.map((pair) => ({
      ...pair,
      status: 'matched' as const,
      source: (pair.reasons[0] === 'Linked by an earlier sync' ? 'linked' : 'system') as PairSource,
    })),
    ...proposal.mayMatch.map((pair) => ({ ...pair, status: 'mayMatch' as const, source: 'system' as PairSource })),
  ].filter((pair) => pair.source === 'linked' || !unmatched.has(pairKey(pair)));
  for (const manual of plan.manualMatches) {
    if (!hubById.has(manual.hubId) || !misById.has(manual.misId)) continue;
    if (pairs.some((pair) => pair.source === 'linked' && (pair.hubId === manual.hubId || pair.misId === manual.misId))) continue;
    pairs = pairs.filter((pair) => pair.hubId !== manual.hubId && pair.misId !== manual.misId);
    pairs.push({ ...manual, score: 0, reasons: ['Matched by you'], status: 'matched', source: 'you' });
  }
  pairs = pairs.map((pair) =>
    pair.status === 'mayMatch' && confirmed.has(pairKey(pair))
      ? { ...pair, status: 'matched', source: 'confirmed', reasons: [...pair.reasons, 'Confirmed by you'] }
      : pair,
  );

  const pairedHub = new Set(pairs.map((pair) => pair.hubId));
  const pairedMis = new Set(pairs.map((pair) => pair.misId));
  const imports = new Set(plan.imports);
  const newStaff = misStaff.filter((member) => !pairedMis.has(member.misId));
  const emailOf = (member: MisStaff) => (plan.emails[member.misId] ?? member.email ?? '').trim();

  // An import's email must be valid and not used by anyone else: a Hub user, a matched teacher, another import.
  const inUse = new Map<string, number>();
  const count = (email: string | null | undefined) =>
    email && inUse.set(email.toLowerCase(), (inUse.get(email.toLowerCase()) ?? 0) + 1);
  for (const email of takenEmails) count(email);
  for (const member of newStaff) if (imports.has(member.misId)) count(emailOf(member));
  const emailProblem = (email: string): string | null => {
    if (!email) return 'Enter an email address';
    if (!isValidEmail(email)) return 'Enter a valid email address';
    if ((inUse.get(email.toLowerCase()) ?? 0) > 1) return 'This email address is already in use';
    return null;
  };

  const rows: TeacherRow[] = [
    ...hubTeachers
      .filter((teacher) => !pairedHub.has(teacher.teacherId))
      .map((teacher): TeacherRow => ({ status: 'notMatched', hub: hubPerson(teacher) })),
    ...newStaff.map((member): TeacherRow => {
      const email = emailOf(member);
      const ticked = imports.has(member.misId);
      return { status: 'new', mis: misPerson(member), import: ticked, email, emailProblem: ticked ? emailProblem(email) : null };
    }),
    ...pairs.map((pair): TeacherRow => {
      const hub = hubById.get(pair.hubId)!;
      const mis = misById.get(pair.misId)!;
      return {
        status: pair.status,
        hub: hubPerson(hub),
        mis: misPerson(mis),
        score: pair.score,
        reasons: pair.reasons,
        source: pair.source,
        overwritten: overwrites(hub, mis),
      };
    }),
  ];
  rows.sort((a, b) => ORDER[a.status] - ORDER[b.status] || sortName(a).localeCompare(sortName(b), 'en-GB'));

  const counts = { notMatched: 0, new: 0, mayMatch: 0, matched: 0, importing: 0 };
  for (const row of rows) {
    counts[row.status]++;
    if (row.status === 'new' && row.import) counts.importing++;
  }
  const problems: string[] = [];
  const emailIssues = rows.filter((row) => row.status === 'new' && row.emailProblem).length;
  if (emailIssues)
    problems.push(
      `${emailIssues} teacher${emailIssues === 1 ? '' : 's'} to import need${emailIssues === 1 ? 's' : ''} a valid, unique email address`,
    );
  if (counts.mayMatch)
    problems.push(`${counts.mayMatch} May match pair${counts.mayMatch === 1 ? '' : 's'} to confirm or unmatch`);
  return { rows, counts, problems };
}

/** The matching engine's proposal for the Hub's teachers and the MIS staff. */
export function proposeTeacherMatches(hubTeachers: readonly HubTeacher[], staff: readonly MisStaff[]): MatchResult {
  return matchTeachers(
    hubTeachers.map((teacher) => ({
      id: teacher.teacherId,
      title: teacher.title,
      firstName: teacher.firstName,
      lastName: teacher.lastName,
      email: teacher.email,
      misId: teacher.misId,
    })),
    staff.map((member) => ({
      id: member.misId,
      title: member.title,
      firstName: member.firstName,
      lastName: member.lastName,
      email: member.email,
      misId: null,
      staffCode: member.staffCode,
    })),
  );
}

/** Checks a plan against the records it names before it is stored. */
export function planProblems(plan: TeacherPlan, hubIds: ReadonlySet<string>, misIds: ReadonlySet<string>): FieldErrors {
  const problems: FieldErrors = {};
  plan.imports.forEach((misId, index) => {
    if (!misIds.has(misId)) problems[`imports.${index}`] = 'This member of staff is not in your MIS';
  });
  const seenHub = new Set<string>();
  const seenMis = new Set<string>();
  plan.manualMatches.forEach((pair, index) => {
    if (!hubIds.has(pair.hubId)) problems[`manualMatches.${index}.hubId`] = 'This teacher is not in the Admin Hub';
    if (!misIds.has(pair.misId)) problems[`manualMatches.${index}.misId`] = 'This member of staff is not in your MIS';
    if (seenHub.has(pair.hubId) || seenMis.has(pair.misId))
      problems[`manualMatches.${index}`] = 'A teacher can be matched only once';
    seenHub.add(pair.hubId);
    seenMis.add(pair.misId);
  });
  for (const [misId, email] of Object.entries(plan.emails)) {
    if (!misIds.has(misId)) problems[`emails.${misId}`] = 'This member of staff is not in your MIS';
    else if (email && !isValidEmail(email.trim())) problems[`emails.${misId}`] = 'Enter a valid email address';
  }
  return problems;
}

function hubPerson(teacher: HubTeacher): PanelPerson {
  return {
    id: teacher.teacherId,
    title: teacher.title,
    firstName: teacher.firstName,
    lastName: teacher.lastName,
    email: teacher.email,
  };
}

function misPerson(member: MisStaff): PanelPerson {
  return { id: member.misId, title: member.title, firstName: member.firstName, lastName: member.lastName, email: member.email };
}

/** The MIS is the master: names and title it holds replace the Hub's. */
function overwrites(hub: HubTeacher, mis: MisStaff) {
  const fields = ['title', 'firstName', 'lastName'] as const;
  return fields
    .filter((field) => mis[field] && (hub[field] ?? '') !== mis[field])
    .map((field) => ({ field, hubValue: hub[field], misValue: mis[field] }));
}

function sortName(row: TeacherRow): string {
  const person = 'hub' in row ? row.hub : row.mis;
  return `${person.lastName ?? ''} ${person.firstName ?? ''}`;
}
