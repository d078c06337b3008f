import type { HubPupil, HubTeacher, HubYearGroup, SyncStatus } from '../domain/records';
import type { HubStore } from '../store/hubStore';

export interface TeacherRow {
  teacherId: string;
  title: string | null;
  firstName: string;
  lastName: string;
  email: string | null;
  synced: SyncStatus;
}

export interface PupilRow {
  pupilId: string;
  firstName: string;
  lastName: string;
  username: string;
  yearGroup: string | null;
  synced: SyncStatus;
}

const byName = (a: { lastName: string; firstName: string }, b: { lastName: string; firstName: string }) =>
  a.lastName.localeCompare(b.lastName, 'en-GB') || a.firstName.localeCompare(b.firstName, 'en-GB');

/** Users › Teachers: every Hub teacher of the signed-in centre with its Synced column. */
export async function listTeachers(store: HubStore, centreId: string): Promise<TeacherRow[]> {
  const teachers = await store.listTeachers(centreId);
  return teachers.sort(byName).map((teacher: HubTeacher) => ({
    teacherId: teacher.teacherId,
    title: teacher.title,
    firstName: teacher.firstName,
    lastName: teacher.lastName,
    email: teacher.email,
    synced: teacher.syncStatus,
  }));
}

/** Users › Pupils: every Hub pupil of the signed-in centre with year group and Synced column. */
export async function listPupils(store: HubStore, centreId: string): Promise<PupilRow[]> {
  const [pupils, yearGroups] = await Promise.all([store.listPupils(centreId), store.listYearGroups(centreId)]);
  const yearGroupNames = new Map(yearGroups.map((yearGroup: HubYearGroup) => [yearGroup.yearGroupId, yearGroup.name]));
  return pupils.sort(byName).map((pupil: HubPupil) => ({
    pupilId: pupil.pupilId,
    firstName: pupil.firstName,
    lastName: pupil.lastName,
    username: pupil.username,
    yearGroup: pupil.yearGroupId ? (yearGroupNames.get(pupil.yearGroupId) ?? null) : null,
    synced: pupil.syncStatus,
  }));
}
