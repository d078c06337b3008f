import { SCHOOL_FILE_COLLECTIONS, type SchoolFile, type SchoolFileCollection } from '../../../shared/files/schoolFile';
import { assessmentCatalogue, type AssessmentCatalogue } from './schoolData';

/**
 * One school as the stand-in serves it, with what Assembly keeps to answer conditional
 * requests: when each record last changed, and the school's sync status. Replacing the school
 * (a night's changes in the MIS) stamps only the records that differ; a full sync stamps all.
 */
export type ServedRecord = Record<string, unknown> & { id: number };

export interface SchoolStatus {
  object: 'school_status';
  last_changes_at: string;
  last_sync_at: string;
  last_sync_status: 'success' | 'no_changes' | 'failure';
}

export interface ReplaceOutcome {
  /** Records added or changed (or all, on a full sync), per collection. */
  changed: Partial<Record<SchoolFileCollection, number>>;
  /** Records gone from a collection, per collection. */
  removed: Partial<Record<SchoolFileCollection, number>>;
  lastModified: string;
}

const OBJECT_NAMES: Record<SchoolFileCollection, string> = {
  academic_years: 'academic_year',
  year_groups: 'year_group',
  registration_groups: 'registration_group',
  teaching_groups: 'teaching_group',
  staff_members: 'staff_member',
  staff_members_left: 'staff_member',
  students: 'student',
  students_left: 'student',
};

interface Collection {
  records: ServedRecord[];
  byId: Map<number, ServedRecord>;
  /** When each record last changed (ms, whole seconds: HTTP dates have no finer grain). */
  changedAt: Map<number, number>;
  /** When anything in the collection last changed, removals included: its Last-Modified. */
  lastModified: number;
}

export class ServedSchool {
  school: Record<string, unknown> = {};
  /** API requests this school's tokens have made (tests and the bench count what a sync costs). */
  apiRequests = 0;
  catalogue!: AssessmentCatalogue;
  private collections = new Map<SchoolFileCollection, Collection>();
  private stamp = 0;
  private status: { lastChangesAt: number; lastSyncAt: number; lastSyncStatus: SchoolStatus['last_sync_status'] };

  constructor(
    readonly id: number,
    file: SchoolFile,
    private readonly now: () => number = Date.now,
  ) {
    this.status = { lastChangesAt: 0, lastSyncAt: 0, lastSyncStatus: 'success' };
    this.firstOutcome = this.replace(file, { full: true });
  }

  /** What serving the school first changed: everything. */
  readonly firstOutcome: ReplaceOutcome;

  /** Serves a new copy of the school. Returns what changed; moves Last-Modified on if anything did. */
  replace(file: SchoolFile, options: { full?: boolean } = {}): ReplaceOutcome {
    // Every stamp is a whole second after the one before, so a client that sends back the
    // Last-Modified it was given never misses a change made within the same second.
    const stamp = Math.max(Math.floor(this.now() / 1000) * 1000, this.stamp + 1000);
    const outcome: ReplaceOutcome = { changed: {}, removed: {}, lastModified: '' };
    let anything = false;
    for (const key of SCHOOL_FILE_COLLECTIONS) {
      const previous = this.collections.get(key);
      const records = file[key].map((record) => ({ object: OBJECT_NAMES[key], ...record }) as unknown as ServedRecord);
      const changedAt = new Map<number, number>();
      let changed = 0;
      for (const record of records) {
        const before = previous?.byId.get(record.id);
        if (options.full || !before || canonical(before) !== canonical(record)) {
          changedAt.set(record.id, stamp);
          changed++;
        } else changedAt.set(record.id, previous!.changedAt.get(record.id)!);
      }
      const removed = previous ? previous.records.filter((record) => !changedAt.has(record.id)).length : 0;
      if (changed) outcome.changed[key] = changed;
      if (removed) outcome.removed[key] = removed;
      if (changed || removed) anything = true;
      this.collections.set(key, {
        records,
        byId: new Map(records.map((record) => [record.id, record])),
        changedAt,
        lastModified: changed || removed || !previous || options.full ? stamp : previous.lastModified,
      });
    }
    const school = { object: 'school', ...file.school };
    if (canonical(school) !== canonical(this.school)) anything = true;
    this.school = school;
    this.catalogue = assessmentCatalogue(file.teaching_groups);
    const at = this.now();
    if (anything || options.full) {
      this.stamp = stamp;
      this.status = { lastChangesAt: stamp, lastSyncAt: at, lastSyncStatus: 'success' };
    } else this.status = { ...this.status, lastSyncAt: at, lastSyncStatus: 'no_changes' };
    outcome.lastModified = new Date(this.stamp).toUTCString();
    return outcome;
  }

  /** As if the school asked Assembly to pull from its MIS and nothing had changed there. */
  requestSync(): void {
    this.status = { ...this.status, lastSyncAt: this.now(), lastSyncStatus: 'no_changes' };
  }

  records(key: SchoolFileCollection): ServedRecord[] {
    return this.collections.get(key)!.records;
  }

  record(key: SchoolFileCollection, id: number): ServedRecord | undefined {
    return this.collections.get(key)!.byId.get(id);
  }

  /** When one record last changed (0 when it is not served). */
  changedAt(key: SchoolFileCollection, id: number): number {
    return this.collections.get(key)!.changedAt.get(id) ?? 0;
  }

  lastModified(key: SchoolFileCollection): number {
    return this.collections.get(key)!.lastModified;
  }

  /** The records of a listing changed after `since` (ms); all of them without it. */
  changedSince(key: SchoolFileCollection, records: readonly ServedRecord[], since: number | null): ServedRecord[] {
    if (since === null) return [...records];
    const changedAt = this.collections.get(key)!.changedAt;
    return records.filter((record) => (changedAt.get(record.id) ?? Infinity) > since);
  }

  schoolStatus(): SchoolStatus {
    return {
      object: 'school_status',
      last_changes_at: new Date(this.status.lastChangesAt).toISOString(),
      last_sync_at: new Date(this.status.lastSyncAt).toISOString(),
      last_sync_status: this.status.lastSyncStatus,
    };
  }

  /** The school as SCHOOL.json again (what `GET /_standin/school` returns). */
  toFile(): Record<string, unknown> {
    return {
      school: this.school,
      ...Object.fromEntries(SCHOOL_FILE_COLLECTIONS.map((key) => [key, this.records(key)])),
    };
  }
}

/** JSON with object keys sorted: two copies of a record compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
