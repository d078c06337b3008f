import * as z from 'zod';
import { OUT_OF_SYNC_WORDS, type OutOfSyncReason } from '../core/syncState';
import type { Account, HubTeacher, PupilSummary, Session, SyncStatus } from '../domain/records';
import type { HubStore } from '../store/hubStore';

/** One page of a Users list: this many rows. */
export const USERS_PAGE_SIZE = 50;

const listId = z.string().min(1).max(200, 'At most 200 characters');
/** Users › Teachers and Users › Pupils: search, filters and page, as query parameters. */
export const userListQuerySchema = z.strictObject({
  q: z.string().trim().max(100, 'Search for at most 100 characters').optional(),
  yearGroup: listId.optional(),
  class: listId.optional(),
  sync: z.enum(['synced', 'out_of_sync', 'none'], { error: 'Choose synced, out_of_sync or none' }).optional(),
  page: z
    .string()
    .regex(/^[1-9][0-9]{0,4}$/, 'A page number: 1, 2, 3…')
    .optional(),
});
export type UserListQuery = z.infer<typeof userListQuerySchema>;

export interface UserPage<Row> {
  rows: Row[];
  /** Rows that match the search and filters, on every page. */
  matching: number;
  /** Every user in the list, before searching. */
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

/** Folds case and accents, so that "zoe" finds Zoë. */
const folded = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/**
 * The rows whose text holds every word searched for (anywhere: part of a name, a UPN, a class),
 * then one page of them. A page past the end gives the last page.
 */
export function searchAndPage<Row>(
  rows: readonly Row[],
  textOf: (row: Row) => string,
  query: Pick<UserListQuery, 'q' | 'page'>,
  keep: (row: Row) => boolean = () => true,
): UserPage<Row> {
  const words = folded(query.q ?? '')
    .split(/\s+/)
    .filter(Boolean);
  const matching = rows.filter((row) => {
    if (!keep(row)) return false;
    if (!words.length) return true;
    const text = folded(textOf(row));
    return words.every((word) => text.includes(word));
  });
  const pages = Math.max(1, Math.ceil(matching.length / USERS_PAGE_SIZE));
  const page = Math.min(pages, Number(query.page ?? 1));
  return {
    rows: matching.slice((page - 1) * USERS_PAGE_SIZE, page * USERS_PAGE_SIZE),
    matching: matching.length,
    total: rows.length,
    page,
    pages,
    pageSize: USERS_PAGE_SIZE,
  };
}

/** The Synced column's reason for an Out of sync user, in the co-ordinator's words. */
export const reasonWords = (status: SyncStatus, reason: OutOfSyncReason | null) =>
  status === 'out_of_sync' ? OUT_OF_SYNC_WORDS[reason ?? 'left_mis'] : null;

export interface TeacherRow {
  teacherId: string;
  title: string | null;
  firstName: string;
  lastName: string;
  email: string | null;
  synced: SyncStatus;
  /** Why an Out of sync teacher is no longer synced, e.g. "Left your MIS". */
  syncReason: string | null;
  /** Signs in with a password (active), has an account but never set one (invited), had their access removed (deactivated), or has no account. */
  account: AccountState;
  /** What a delete sends back, so that it never deletes over a change made meanwhile. */
  version: number;
  /** The signed-in co-ordinator's own row: their access is not theirs to remove, nor their record to delete. */
  own: boolean;
}

export type AccountState = 'active' | 'invited' | 'deactivated' | 'none';

export interface PupilRow {
  pupilId: string;
  firstName: string;
  lastName: string;
  username: string;
  upn: string | null;
  yearGroup: string | null;
  /** The pupil's classes by name, in order. */
  classes: string[];
  synced: SyncStatus;
  /** Why an Out of sync pupil is no longer synced, e.g. "Left your MIS". */
  syncReason: string | null;
  /** What an edit sends back, so that it never overwrites a change made meanwhile. */
  version: number;
}

export interface PupilList extends UserPage<PupilRow> {
  /** What the filters offer: every year group and class of the centre. */
  yearGroups: { id: string; name: string }[];
  classes: { id: string; name: string; yearGroupId: string | null }[];
}

export type TeacherList = UserPage<TeacherRow>;

const byName = (a: { lastName: string; firstName: string }, b: { lastName: string; firstName: string }) =>
  a.lastName.localeCompare(b.lastName, 'en-GB') || a.firstName.localeCompare(b.firstName, 'en-GB');

/** Users › Teachers: the Hub teachers of the signed-in centre with their Synced column, searched and paged. */
export async function listTeachers(
  store: HubStore,
  session: Pick<Session, 'centreId' | 'userId'>,
  query: UserListQuery = {},
): Promise<TeacherList> {
  const { centreId } = session;
  const [teachers, accounts] = await Promise.all([store.listTeachers(centreId), store.listAccounts(centreId)]);
  const accountOf = new Map(accounts.map((account) => [account.teacherId, account]));
  const rows = teachers.sort(byName).map((teacher) => teacherRow(teacher, accountOf.get(teacher.teacherId), session.userId));
  return searchAndPage(
    rows,
    (row) => `${row.title ?? ''} ${row.firstName} ${row.lastName} ${row.email ?? ''}`,
    query,
    (row) => !query.sync || row.synced === query.sync,
  );
}

/** A teacher as Users › Teachers shows them. */
export function teacherRow(teacher: HubTeacher, account: Account | undefined, viewerUserId: string): TeacherRow {
  return {
    teacherId: teacher.teacherId,
    title: teacher.title,
    firstName: teacher.firstName,
    lastName: teacher.lastName,
    email: teacher.email,
    synced: teacher.syncStatus,
    syncReason: reasonWords(teacher.syncStatus, teacher.syncReason),
    account: accountState(account),
    version: teacher.version,
    own: account !== undefined && account.userId === viewerUserId,
  };
}

/** A pupil as Users › Pupils shows them, with their year group and classes by name. */
export function pupilRow(
  pupil: PupilSummary,
  names: { yearGroups: ReadonlyMap<string, string>; classes: ReadonlyMap<string, string> },
): PupilRow {
  return {
    pupilId: pupil.pupilId,
    firstName: pupil.firstName,
    lastName: pupil.lastName,
    username: pupil.username,
    upn: pupil.upn,
    yearGroup: pupil.yearGroupId ? (names.yearGroups.get(pupil.yearGroupId) ?? null) : null,
    classes: pupil.classIds
      .flatMap((id) => names.classes.get(id) ?? [])
      .sort((a, b) => a.localeCompare(b, 'en-GB', { numeric: true })),
    synced: pupil.syncStatus,
    syncReason: reasonWords(pupil.syncStatus, pupil.syncReason),
    version: pupil.version,
  };
}

/** The centre's year group and class names by id, for pupil rows. */
export async function groupNames(store: HubStore, centreId: string) {
  const [yearGroups, classes] = await Promise.all([store.listYearGroups(centreId), store.listClasses(centreId)]);
  return {
    yearGroups: new Map(yearGroups.map((group) => [group.yearGroupId, group.name])),
    classes: new Map(classes.map((group) => [group.classId, group.name])),
    list: { yearGroups, classes },
  };
}

export function accountState(account: Account | undefined): AccountState {
  if (!account) return 'none';
  if (account.deactivatedAt) return 'deactivated';
  return account.passwordHash ? 'active' : 'invited';
}

/** Users › Pupils: the Hub pupils of the signed-in centre with year group, classes and Synced column, searched, filtered and paged. */
export async function listPupils(store: HubStore, centreId: string, query: UserListQuery = {}): Promise<PupilList> {
  const [pupils, names] = await Promise.all([store.listPupilSummaries(centreId), groupNames(store, centreId)]);
  const { yearGroups, classes } = names.list;
  const classNames = names.classes;
  const page = searchAndPage(
    pupils.sort(byName),
    (pupil) =>
      `${pupil.firstName} ${pupil.middleName ?? ''} ${pupil.lastName} ${pupil.username} ${pupil.upn ?? ''} ${pupil.classIds
        .map((id) => classNames.get(id) ?? '')
        .join(' ')}`,
    query,
    (pupil) =>
      (!query.sync || pupil.syncStatus === query.sync) &&
      (!query.yearGroup || pupil.yearGroupId === query.yearGroup) &&
      (!query.class || pupil.classIds.includes(query.class)),
  );
  return {
    ...page,
    rows: page.rows.map((pupil) => pupilRow(pupil, names)),
    yearGroups: yearGroups
      .map((group) => ({ id: group.yearGroupId, name: group.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB', { numeric: true })),
    classes: classes
      .map((group) => ({ id: group.classId, name: group.name, yearGroupId: group.yearGroupId }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB', { numeric: true })),
  };
}
