import * as z from 'zod';
import { itemsOf, type AssemblyClient, type Listing, type SchoolTokens } from '../assembly/client';
import type { AssemblyStaffMember, AssemblyStudent } from '../assembly/schemas';
import { misStaffSchema } from '../domain/records';
import { misStaff } from '../wizard/teachers/useCases';
import { misGroupsOf, misPupilFields, type MisGroups } from '../wizard/pupils/useCases';
import { misPupilSchema } from '../wizard/pupils/panel';

/**
 * What the nightly sync knows of a school's MIS: the pupils, staff, year groups and classes as
 * Assembly last listed them, kept between nights so that a night asks only for what changed
 * (`If-Modified-Since` with each listing's Last-Modified) and merges it in. The plan is always
 * made from the whole mirror against the Hub as it is, never from the night's changes alone:
 * a night whose writes failed leaves the difference for the next night to make.
 *
 * A conditional listing names changed and new records, and leavers appear in the `left`
 * listings; a record that vanishes without leaving (a class closed, a pupil deleted in the MIS)
 * is only seen by a full listing, which the nightly makes once a week, and at once when the
 * merged mirror disagrees with itself (`disagrees`).
 */
const misStudentSchema = misPupilSchema.omit({ yearGroup: true, classes: true });
const misGroupSchema = z.object({ misId: z.string(), name: z.string(), studentIds: z.array(z.string()) });

/** Each listing's Last-Modified as Assembly gave it: the next night's If-Modified-Since. */
const COLLECTIONS = [
  'students',
  'leftStudents',
  'staff',
  'leftStaff',
  'yearGroups',
  'registrationGroups',
  'teachingGroups',
] as const;
type Collection = (typeof COLLECTIONS)[number];

export const misMirrorSchema = z.object({
  /** When the mirror was last brought up to date, and last listed in full. */
  fetchedAt: z.string(),
  fullAt: z.string(),
  /** `/school/status`'s last_changes_at when it was fetched: a night that sees the same asks for nothing more. */
  lastChangesAt: z.string().nullable(),
  watermarks: z.partialRecord(z.enum(COLLECTIONS), z.string()),
  students: z.array(misStudentSchema),
  leftStudentIds: z.array(z.string()),
  staff: z.array(misStaffSchema),
  leftStaffIds: z.array(z.string()),
  yearGroups: z.array(misGroupSchema),
  classes: z.array(misGroupSchema),
});
export type MisMirror = z.infer<typeof misMirrorSchema>;

export const MIRROR_DOCUMENT = 'nightly#mirror';
/** A full listing at least this often catches what vanished without a leaving date. */
export const FULL_LISTING_DAYS = 7;

export function fullListingDue(mirror: MisMirror | null, now: Date, connectedAt: string): boolean {
  if (!mirror) return true;
  // Re-authorised since: Assembly's records may have changed in ways no conditional listing tells.
  if (Date.parse(connectedAt) > Date.parse(mirror.fetchedAt)) return true;
  return now.getTime() - Date.parse(mirror.fullAt) >= FULL_LISTING_DAYS * 24 * 60 * 60 * 1000;
}

/** The mirror's groups in the Pupils panel's shape. */
export const groupsOf = (mirror: MisMirror): MisGroups => ({ yearGroups: mirror.yearGroups, classes: mirror.classes });

/**
 * Brings the mirror up to date: every listing in full when `full` (or with no mirror yet), else
 * each asked conditionally and merged. One listing after another, within the token's budget.
 */
export async function refreshMirror(
  assembly: AssemblyClient,
  tokens: SchoolTokens,
  previous: MisMirror | null,
  options: { full: boolean; now: Date; lastChangesAt: string | null },
): Promise<MisMirror> {
  const full = options.full || previous === null;
  const watermarks: MisMirror['watermarks'] = full ? {} : { ...previous.watermarks };
  const since = (collection: Collection) => {
    const mark = full ? undefined : previous.watermarks[collection];
    return mark ? { ifModifiedSince: new Date(mark) } : {};
  };
  const take = <T>(collection: Collection, listing: Listing<T>): T[] | null => {
    if (listing.notModified) return null;
    if (listing.lastModified) watermarks[collection] = listing.lastModified;
    return listing.items;
  };
  const students = take('students', await assembly.students(tokens, { include: ['demographics'], ...since('students') }));
  const leftStudents = take('leftStudents', await assembly.leftStudents(tokens, since('leftStudents')));
  const staff = take('staff', await assembly.staffMembers(tokens, since('staff')));
  const leftStaff = take('leftStaff', await assembly.leftStaffMembers(tokens, since('leftStaff')));
  const years = take('yearGroups', await assembly.yearGroups(tokens, since('yearGroups')));
  const registration = take('registrationGroups', await assembly.registrationGroups(tokens, since('registrationGroups')));
  const teaching = take('teachingGroups', await assembly.teachingGroups(tokens, since('teachingGroups')));
  const groups = misGroupsOf(years ?? [], registration ?? [], teaching ?? []);
  const at = options.now.toISOString();
  const leftStudentIds = (leftStudents ?? []).map((student) => String(student.id));
  const leftStaffIds = (leftStaff ?? []).map((member) => String(member.id));
  if (full)
    return {
      fetchedAt: at,
      fullAt: at,
      lastChangesAt: options.lastChangesAt,
      watermarks,
      students: (students ?? []).map(misPupilFields),
      leftStudentIds: [...new Set(leftStudentIds)].sort(),
      staff: (staff ?? []).map(misStaff),
      leftStaffIds: [...new Set(leftStaffIds)].sort(),
      yearGroups: groups.yearGroups,
      classes: groups.classes,
    };
  const mergedMirror = mergedWith(previous, { students, staff, leftStudentIds, leftStaffIds, registration, teaching, groups });
  // A pupil no year group holds any more, or one a group holds that the mirror lacks: something
  // vanished (or came) without a conditional listing saying so. Only a full listing tells what.
  if (disagrees(previous, mergedMirror)) return refreshMirror(assembly, tokens, previous, { ...options, full: true });
  return { ...mergedMirror, fetchedAt: at, lastChangesAt: options.lastChangesAt, watermarks };
}

/**
 * The counts disagree: pupils the year groups list are not the pupils the mirror holds, in a way
 * they did not last night (a school whose MIS always has pupils outside every year group is not
 * listed in full every night for it). Year groups are listed whole whenever their membership
 * changes, so a pupil deleted in the MIS without a leaving date leaves its year group's list
 * and is caught here the same night.
 */
export function disagrees(previous: Mismatch, next: Mismatch): boolean {
  const before = mismatched(previous);
  return [...mismatched(next)].some((id) => !before.has(id));
}

type Mismatch = Pick<MisMirror, 'students' | 'yearGroups'>;

/** Pupils held but in no year group, and pupils a year group lists that are not held. */
function mismatched(mirror: Mismatch): Set<string> {
  const inYears = new Set(mirror.yearGroups.flatMap((group) => group.studentIds));
  const held = new Set(mirror.students.map((pupil) => pupil.misId));
  return new Set([...[...held].filter((id) => !inYears.has(id)), ...[...inYears].filter((id) => !held.has(id))]);
}

function mergedWith(
  previous: MisMirror,
  changes: {
    students: AssemblyStudent[] | null;
    staff: AssemblyStaffMember[] | null;
    leftStudentIds: string[];
    leftStaffIds: string[];
    registration: unknown[] | null;
    teaching: unknown[] | null;
    groups: MisGroups;
  },
): Omit<MisMirror, 'fetchedAt' | 'lastChangesAt' | 'watermarks'> {
  const { students, staff, leftStudentIds, leftStaffIds, registration, teaching, groups } = changes;
  const left = new Set([...previous.leftStudentIds, ...leftStudentIds]);
  const staffLeft = new Set([...previous.leftStaffIds, ...leftStaffIds]);
  // A registration or teaching listing that did not change keeps the mirror's groups of its kind.
  const classes = [
    ...(registration ? groups.classes.filter((group) => group.misId.startsWith('reg-')) : []),
    ...(teaching ? groups.classes.filter((group) => group.misId.startsWith('teach-')) : []),
  ];
  return {
    fullAt: previous.fullAt,
    students: merged(previous.students, (students ?? []).map(misPupilFields), (pupil) => pupil.misId).filter(
      (pupil) => !leftStudentIds.includes(pupil.misId),
    ),
    // A leaver who came back is current again.
    leftStudentIds: [...left].filter((id) => !(students ?? []).some((student) => String(student.id) === id)).sort(),
    staff: merged(previous.staff, (staff ?? []).map(misStaff), (member) => member.misId).filter(
      (member) => !leftStaffIds.includes(member.misId),
    ),
    leftStaffIds: [...staffLeft].filter((id) => !(staff ?? []).some((member) => String(member.id) === id)).sort(),
    yearGroups: merged(previous.yearGroups, groups.yearGroups, (group) => group.misId),
    classes: merged(previous.classes, classes, (group) => group.misId),
  };
}

/** The previous records with the changed ones put in their place (and new ones added). */
function merged<T>(previous: readonly T[], changed: readonly T[], idOf: (record: T) => string): T[] {
  if (!changed.length) return [...previous];
  const byId = new Map(previous.map((record) => [idOf(record), record]));
  for (const record of changed) byId.set(idOf(record), record);
  return [...byId.values()];
}

/** A listing's records, for callers that do not ask conditionally. */
export { itemsOf };
