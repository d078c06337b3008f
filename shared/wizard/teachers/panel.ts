import type { HubTeacher, MisStaff } from '../../domain/records';
import { syncStateOf, type SyncState } from '../../core/syncState';
import { compareTeachers, matchTeachers } from '../../matching/teachers';
import type { MatchResult, TeacherRecord } from '../../matching/types';
import type { ReviewPlan } from '../review/plan';
import { buildReview, type Review, type ReviewRow, type ReviewSubject } from '../review/rows';
import { isValidEmail } from './emails';
import { fullName, importedMisIdOf } from './ids';

/** A Hub teacher as the Teachers panel shows them. */
export interface HubTeacherView {
  id: string;
  title: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  sync: SyncState;
  /** The record's version as shown: Save and sync writes only if it is still this. */
  version: number;
  /** Created by an earlier sync's import (so Unmatch has no earlier record to restore). */
  imported: boolean;
}

/** A member of MIS staff as the Teachers panel shows them; `email` is the one they will be imported with. */
export interface MisStaffView {
  id: string;
  title: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  role: 'teaching' | 'non_teaching' | null;
}

export type TeacherRow = ReviewRow<HubTeacherView, MisStaffView>;
export type TeachersReview = Review<HubTeacherView, MisStaffView>;

/** The values a new teacher's row can carry in the plan. */
export const emailOf = (member: MisStaff, plan: ReviewPlan) => (plan.values[member.misId]?.email ?? member.email ?? '').trim();

const SYNCED_FIELDS = ['title', 'firstName', 'lastName'] as const;
export const TEACHER_SYNCED_FIELDS: readonly (keyof HubTeacher & string)[] = SYNCED_FIELDS;

function teacherRecord(teacher: HubTeacher): TeacherRecord {
  return {
    id: teacher.teacherId,
    title: teacher.title,
    firstName: teacher.firstName,
    lastName: teacher.lastName,
    email: teacher.email,
    misId: teacher.syncStatus === 'none' ? null : teacher.misId,
  };
}

function staffRecord(member: MisStaff): TeacherRecord {
  return {
    id: member.misId,
    title: member.title,
    firstName: member.firstName,
    lastName: member.lastName,
    email: member.email,
    misId: null,
    staffCode: member.staffCode,
  };
}

/**
 * The Teachers panel on the shared review: what is particular to teachers is here (names and
 * title from the MIS win; every imported teacher needs a valid address nobody else uses).
 */
/** An address a Hub user has; `owner` is the MIS person it belongs to when the sync imported them. */
export interface TakenEmail {
  email: string;
  owner: string | null;
}

export function teacherSubject(
  takenEmails: Iterable<TakenEmail>,
): ReviewSubject<HubTeacher, MisStaff, HubTeacherView, MisStaffView> {
  const taken = [...takenEmails];
  return {
    hubId: (teacher) => teacher.teacherId,
    misId: (member) => member.misId,
    syncOf: (teacher) => teacher,
    hubView: (teacher) => ({
      id: teacher.teacherId,
      title: teacher.title,
      firstName: teacher.firstName,
      lastName: teacher.lastName,
      email: teacher.email,
      sync: syncStateOf(teacher),
      version: teacher.version,
      imported: importedMisIdOf(teacher.centreId, teacher.teacherId) !== null,
    }),
    misView: (member, plan) => ({
      id: member.misId,
      title: member.title,
      firstName: member.firstName,
      lastName: member.lastName,
      email: emailOf(member, plan) || null,
      role: member.teaching === null ? null : member.teaching ? 'teaching' : 'non_teaching',
    }),
    sortName: (view) => `${view.lastName ?? ''} ${view.firstName ?? ''}`,
    displayName: fullName,
    overwrites: (hub, mis) =>
      SYNCED_FIELDS.filter((field) => mis[field] && (hub[field] ?? '') !== mis[field]).map((field) => ({
        field,
        hubValue: hub[field],
        misValue: mis[field],
      })),
    compare: (hub, mis) => compareTeachers(teacherRecord(hub), staffRecord(mis)),
    words: {
      noMatch: 'Nobody in your MIS has the same or a similar name',
      noHubMatch: 'Nobody in the Admin Hub has the same or a similar name',
      disagree: 'The names are very different: check that this is the same person.',
    },
    importProblems(ticked, plan) {
      // An import's email must be valid and used by nobody else: a Hub user, a matched teacher, another import.
      // A teacher imported before and unmatched since keeps their address: importing them again may reuse it.
      const reimported = new Set(ticked.map((member) => member.misId));
      const inUse = new Map<string, number>();
      const count = (email: string) => inUse.set(email.toLowerCase(), (inUse.get(email.toLowerCase()) ?? 0) + 1);
      for (const { email, owner } of taken) if (!owner || !reimported.has(owner)) count(email);
      for (const member of ticked) if (emailOf(member, plan)) count(emailOf(member, plan));
      const problems = new Map<string, string>();
      for (const member of ticked) {
        const email = emailOf(member, plan);
        const problem = !email
          ? 'Enter an email address'
          : !isValidEmail(email)
            ? 'Enter a valid email address'
            : (inUse.get(email.toLowerCase()) ?? 0) > 1
              ? 'This email address is already in use'
              : null;
        if (problem) problems.set(member.misId, problem);
      }
      return problems;
    },
    importProblemSummary: (count) =>
      `${count} teacher${count === 1 ? '' : 's'} to import need${count === 1 ? 's' : ''} a valid, unique email address`,
  };
}

/**
 * The matcher's proposal. A Hub teacher linked to someone who has left the MIS is held out of
 * matching: it is shown Out of sync and is never paired with someone else without the user.
 */
export function proposeTeacherMatches(hubTeachers: readonly HubTeacher[], staff: readonly MisStaff[]): MatchResult {
  const present = new Set(staff.map((member) => member.misId));
  const stale = (teacher: HubTeacher) => teacher.syncStatus !== 'none' && teacher.misId !== null && !present.has(teacher.misId);
  const result = matchTeachers(hubTeachers.filter((teacher) => !stale(teacher)).map(teacherRecord), staff.map(staffRecord));
  return { ...result, notMatched: [...result.notMatched, ...hubTeachers.filter(stale).map((teacher) => teacher.teacherId)] };
}

export function buildTeachersReview(
  hubTeachers: readonly HubTeacher[],
  staff: readonly MisStaff[],
  plan: ReviewPlan,
  takenEmails: Iterable<TakenEmail | string>,
): TeachersReview {
  const taken = [...takenEmails].map((entry) => (typeof entry === 'string' ? { email: entry, owner: null } : entry));
  return buildReview(teacherSubject(taken), hubTeachers, staff, proposeTeacherMatches(hubTeachers, staff), plan);
}
