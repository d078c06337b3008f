import type { Account, HubPupil, HubTeacher, HubYearGroup, SyncStatus } from '../domain/records';
import type { HubStore } from '../store/hubStore';

export interface TeacherRow {
  teacherId: string;
  title: string | null;
  firstName: string;
  lastName: string;
  email: string | null;
  synced: SyncStatus;
  /** Signs in with a password (active), has an account but never set one (invited), or has no account. */
  account: AccountState;
}

export type AccountState = 'active' | 'invited' | 'none';

export interface PupilRow {
  pupilId: string;
  firstName: string;
  lastName: string;
  username: string;
  yearGroup: string | null;
  /** The pupil's classes by name, in order. */
  classes: string[];
  synced: SyncStatus;
}

const byName = (a: { lastName: string; firstName: string }, b: { lastName: string; firstName: string }) =>
  a.lastName.localeCompare(b.lastName, 'en-GB') || a.firstName.localeCompare(b.firstName, 'en-GB');

/** Users › Teachers: every Hub teacher of the signed-in centre with its Synced column. */
export async function listTeachers(store: HubStore, centreId: string): Promise<TeacherRow[]> {
  const [teachers, accounts] = await Promise.all([store.listTeachers(centreId), store.listAccounts(centreId)]);
  const accountOf = new Map(accounts.map((account) => [account.teacherId, account]));
  return teachers.sort(byName).map((teacher: HubTeacher) => ({
    teacherId: teacher.teacherId,
    title: teacher.title,
    firstName: teacher.firstName,
    lastName: teacher.lastName,
    email: teacher.email,
    synced: teacher.syncStatus,
    account: accountState(accountOf.get(teacher.teacherId)),
  }));
}

export function accountState(account: Account | undefined): AccountState {
  return !account ? 'none' : account.passwordHash ? 'active' : 'invited';
}

/** Users › Pupils: every Hub pupil of the signed-in centre with year group and Synced column. */
export async function listPupils(store: HubStore, centreId: string): Promise<PupilRow[]> {
  const [pupils, yearGroups, classes] = await Promise.all([
    store.listPupils(centreId),
    store.listYearGroups(centreId),
    store.listClasses(centreId),
  ]);
  const yearGroupNames = new Map(yearGroups.map((yearGroup: HubYearGroup) => [yearGroup.yearGroupId, yearGroup.name]));
  const classNames = new Map(classes.map((group) => [group.classId, group.name]));
  return pupils.sort(byName).map((pupil: HubPupil) => ({
    pupilId: pupil.pupilId,
    firstName: pupil.firstName,
    lastName: pupil.lastName,
    username: pupil.username,
    yearGroup: pupil.yearGroupId ? (yearGroupNames.get(pupil.yearGroupId) ?? null) : null,
    classes: pupil.classIds
      .flatMap((id) => classNames.get(id) ?? [])
      .sort((a, b) => a.localeCompare(b, 'en-GB', { numeric: true })),
    synced: pupil.syncStatus,
  }));
}
