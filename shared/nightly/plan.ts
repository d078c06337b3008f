import type { OutOfSyncReason } from '../core/syncState';
import { isNursery } from '../domain/cohort';
import type { HubClass, HubPupil, HubTeacher, HubYearGroup } from '../domain/records';
import { usernameAllocator } from '../domain/usernames';
import { matchPupils } from '../matching/pupils';
import {
  Placement,
  pupilOverwrites,
  pupilRecordOfHub,
  pupilRecordOfMis,
  type MisPupil,
  type PupilTarget,
} from '../wizard/pupils/panel';
import type { PupilEntry } from '../wizard/pupils/sync';
import { placeMisPupils } from '../wizard/pupils/useCases';
import { groupsOf, type MisMirror } from './mirror';

/**
 * One night's changes for one centre, made from the MIS as the mirror holds it against the Hub
 * as it is (pure: no I/O). The MIS is the master for what was synced; nothing the co-ordinator
 * decides is decided here:
 *
 * - synced pupils and teachers take the MIS's values (names, date of birth, UPN, year group, classes);
 * - a synced record that left the MIS, or moved outside the synced year groups and classes,
 *   becomes Out of sync with that reason; never deleted. One that comes back is Synced again;
 * - a pupil new in the MIS who is in a synced class is imported into it, or linked when the
 *   matching engine is certain of an unsynced Hub pupil; a May match is neither, and waits for
 *   the co-ordinator, as does a new pupil of classes that are not synced;
 * - new MIS teachers and classes are never imported: they wait for the Teachers and Classes panels.
 *
 * "New" means not known the night before (nor when the panels last loaded the MIS): a pupil
 * the co-ordinator chose not to import is not imported behind their back.
 */
export interface HubState {
  pupils: HubPupil[];
  teachers: HubTeacher[];
  yearGroups: HubYearGroup[];
  classes: HubClass[];
  /** The calendar year the MIS's school year started: a new pupil's intake year. */
  startYear: number;
}

/** MIS records known before tonight (last night's mirror, or what the panels loaded). */
export interface Known {
  students: ReadonlySet<string>;
  staff: ReadonlySet<string>;
  classes: ReadonlySet<string>;
}

export interface TeacherUpdate {
  op: 'link';
  hubId: string;
  misId: string;
  replacesMisId: null;
  version: number;
  label: string;
  title: string | null;
  firstName: string;
  lastName: string;
}

export interface OutOfSyncEntry {
  recordKind: 'pupil' | 'teacher';
  hubId: string;
  version: number;
  label: string;
  reason: OutOfSyncReason;
}

export type NightlyEntry =
  | { target: 'pupil'; entry: PupilEntry }
  | { target: 'teacher'; entry: TeacherUpdate }
  | { target: 'outOfSync'; entry: OutOfSyncEntry };

/** What waits for the co-ordinator: ids, so a list is as the MIS names them when shown. */
export interface Waiting {
  /** New MIS teachers: import them in the Teachers panel. */
  teachers: string[];
  /** New MIS classes: sync them in the Classes panel. */
  classes: string[];
  /** New MIS pupils the engine thinks may be an unsynced Hub pupil: for the Pupils panel. */
  mayMatches: { hubId: string; misId: string }[];
  /** New MIS pupils in no synced class (or in a year group that is not synced). */
  pupils: string[];
}

export interface NightPlan {
  entries: NightlyEntry[];
  waiting: Waiting;
  counts: { imported: number; linked: number; changed: number; outOfSync: number };
}

export const emptyWaiting = (): Waiting => ({ teachers: [], classes: [], mayMatches: [], pupils: [] });

export function planNight(hub: HubState, mirror: MisMirror, known: Known, waitingBefore: Waiting = emptyWaiting()): NightPlan {
  const entries: NightlyEntry[] = [];
  const counts = { imported: 0, linked: 0, changed: 0, outOfSync: 0 };
  const placement = new Placement(hub);
  const misPupils = placeMisPupils(mirror.students, groupsOf(mirror)).filter((pupil) => !isNursery(pupil.yearCode));
  const misById = new Map(misPupils.map((pupil) => [pupil.misId, pupil]));
  const inSyncedGroups = (pupil: MisPupil) =>
    (pupil.yearGroup !== null && placement.yearGroupByMis.has(pupil.yearGroup.misId)) ||
    pupil.classes.some((group) => placement.classByMis.has(group.misId));
  const outOfSync = (entry: OutOfSyncEntry) => {
    entries.push({ target: 'outOfSync', entry });
    counts.outOfSync++;
  };

  // Pupils linked by an earlier sync (Synced, or Out of sync with the link kept).
  const linkedMis = new Set<string>();
  for (const pupil of hub.pupils) {
    if (pupil.syncStatus === 'none' || !pupil.misId) continue;
    linkedMis.add(pupil.misId);
    const label = `${pupil.firstName} ${pupil.lastName}`;
    const mis = misById.get(pupil.misId);
    if (!mis || !inSyncedGroups(mis)) {
      const reason: OutOfSyncReason = mis ? 'outside_synced_groups' : 'left_mis';
      if (pupil.syncStatus === 'synced' || pupil.syncReason !== reason)
        outOfSync({ recordKind: 'pupil', hubId: pupil.pupilId, version: pupil.version, label, reason });
      continue;
    }
    const target = placement.target(mis, pupil);
    if (pupil.syncStatus === 'synced' && pupilOverwrites(pupil, target, placement).length === 0) continue;
    // Back in the MIS, or in what is synced, or a change of the MIS's values: the MIS wins.
    entries.push(pupilLink(pupil, mis, label, target));
    counts.changed++;
  }

  // Pupils new in the MIS tonight.
  const isNew = (pupil: MisPupil) => !linkedMis.has(pupil.misId) && !known.students.has(pupil.misId);
  const newcomers = misPupils.filter(isNew);
  const importable = new Set(
    newcomers
      .filter((pupil) => pupil.classes.some((group) => placement.classByMis.has(group.misId)) && !placement.blocked(pupil))
      .map((pupil) => pupil.misId),
  );
  const waitingPupils = newcomers.filter((pupil) => !importable.has(pupil.misId)).map((pupil) => pupil.misId);
  const mayMatches: Waiting['mayMatches'] = [];
  if (importable.size) {
    // Every unlinked MIS pupil takes part, so that a rival (a twin, a namesake) still counts.
    const codeOf = new Map(hub.yearGroups.map((group) => [group.yearGroupId, group.yearCode]));
    const unsynced = hub.pupils.filter((pupil) => pupil.syncStatus === 'none');
    const proposal = matchPupils(
      unsynced.map((pupil) => pupilRecordOfHub(pupil, codeOf.get(pupil.yearGroupId ?? '') ?? null)),
      misPupils.filter((pupil) => !linkedMis.has(pupil.misId)).map(pupilRecordOfMis),
    );
    const hubById = new Map(unsynced.map((pupil) => [pupil.pupilId, pupil]));
    for (const pair of proposal.matched) {
      if (!importable.delete(pair.misId)) continue;
      const pupil = hubById.get(pair.hubId)!;
      const mis = misById.get(pair.misId)!;
      entries.push(pupilLink(pupil, mis, `${mis.firstName} ${mis.lastName}`, placement.target(mis, pupil)));
      counts.linked++;
    }
    for (const pair of proposal.mayMatch)
      if (importable.delete(pair.misId)) mayMatches.push({ hubId: pair.hubId, misId: pair.misId });
  }
  const username = usernameAllocator(hub.pupils.map((pupil) => pupil.username));
  for (const misId of [...importable].sort()) {
    const mis = misById.get(misId)!;
    entries.push({
      target: 'pupil',
      entry: {
        op: 'import',
        misId,
        label: `${mis.firstName} ${mis.lastName}`,
        username: username(mis.firstName, mis.lastName),
        ...placement.target(mis, null),
      },
    });
    counts.imported++;
  }

  // Teachers: synced ones take the MIS's names; new ones wait for the Teachers panel.
  const staffById = new Map(mirror.staff.map((member) => [member.misId, member]));
  const linkedStaff = new Set<string>();
  for (const teacher of hub.teachers) {
    if (teacher.syncStatus === 'none' || !teacher.misId) continue;
    linkedStaff.add(teacher.misId);
    const label = `${teacher.firstName} ${teacher.lastName}`;
    const member = staffById.get(teacher.misId);
    if (!member) {
      if (teacher.syncStatus === 'synced')
        outOfSync({ recordKind: 'teacher', hubId: teacher.teacherId, version: teacher.version, label, reason: 'left_mis' });
      continue;
    }
    const values = {
      title: member.title,
      firstName: member.firstName?.trim() || teacher.firstName,
      lastName: member.lastName?.trim() || teacher.lastName,
    };
    const same =
      (teacher.title ?? null) === values.title && teacher.firstName === values.firstName && teacher.lastName === values.lastName;
    if (teacher.syncStatus === 'synced' && same) continue;
    entries.push({
      target: 'teacher',
      entry: {
        op: 'link',
        hubId: teacher.teacherId,
        misId: member.misId,
        replacesMisId: null,
        version: teacher.version,
        label,
        ...values,
      },
    });
    counts.changed++;
  }
  const newTeachers = mirror.staff
    .filter((member) => member.teaching !== false && !linkedStaff.has(member.misId) && !known.staff.has(member.misId))
    .map((member) => member.misId);

  const linkedClasses = new Set(hub.classes.flatMap((group) => (group.misId ? [group.misId] : [])));
  const newClasses = mirror.classes
    .filter((group) => !linkedClasses.has(group.misId) && !known.classes.has(group.misId))
    .map((group) => group.misId);

  // What waited before and still waits (not linked since, still in the MIS), and tonight's.
  const hubLinked = new Set(hub.pupils.filter((pupil) => pupil.syncStatus !== 'none').map((pupil) => pupil.pupilId));
  const stillPupil = (misId: string) => misById.has(misId) && !linkedMis.has(misId);
  const waiting: Waiting = {
    teachers: union(
      waitingBefore.teachers.filter((id) => staffById.has(id) && !linkedStaff.has(id)),
      newTeachers,
    ),
    classes: union(
      waitingBefore.classes.filter((id) => mirror.classes.some((group) => group.misId === id) && !linkedClasses.has(id)),
      newClasses,
    ),
    mayMatches: [
      ...new Map(
        [...waitingBefore.mayMatches.filter((pair) => stillPupil(pair.misId) && !hubLinked.has(pair.hubId)), ...mayMatches].map(
          (pair) => [pair.misId, pair],
        ),
      ).values(),
    ],
    pupils: union(
      waitingBefore.pupils.filter((id) => stillPupil(id) && !entries.some((e) => e.target === 'pupil' && e.entry.misId === id)),
      waitingPupils,
    ),
  };
  return { entries, waiting, counts };
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();

/** A Hub pupil linked to (or kept linked to) a MIS pupil, taking the MIS's values, at the version the plan saw. */
const pupilLink = (pupil: HubPupil, mis: MisPupil, label: string, target: PupilTarget): NightlyEntry => ({
  target: 'pupil',
  entry: { op: 'link', hubId: pupil.pupilId, misId: mis.misId, replacesMisId: null, version: pupil.version, label, ...target },
});

/** Tonight's waiting items that did not wait last night: what makes a digest worth sending. */
export function newlyWaiting(before: Waiting, after: Waiting): number {
  const had = (list: readonly string[]) => new Set(list);
  const teachers = had(before.teachers);
  const classes = had(before.classes);
  const pupils = had(before.pupils);
  const pairs = new Set(before.mayMatches.map((pair) => pair.misId));
  return (
    after.teachers.filter((id) => !teachers.has(id)).length +
    after.classes.filter((id) => !classes.has(id)).length +
    after.pupils.filter((id) => !pupils.has(id)).length +
    after.mayMatches.filter((pair) => !pairs.has(pair.misId)).length
  );
}
