import type {
  Account,
  Backup,
  ChunkOutcome,
  HubPupil,
  HubTeacher,
  LoadJob,
  NoticeOutcome,
  RecordKind,
  RunLock,
  SyncRun,
  WelcomeClaim,
} from '../domain/records';
import type { OutOfSyncReason, SyncStatus } from '../core/syncState';

/**
 * The port through which the sync framework keeps runs, plans and links. Every write here is
 * safe to repeat and safe against a concurrent writer: conditional writes and transactions in
 * the adapter, typed outcomes for the core to decide on.
 */
export interface SyncStore {
  /**
   * Starts a load of a kind unless one is running and not yet expired; returns the load that is
   * now running (ours, or the one already going).
   */
  startLoad(load: LoadJob): Promise<LoadJob>;
  getLoad(centreId: string, loadId: string): Promise<LoadJob | null>;
  putLoad(load: LoadJob): Promise<void>;

  /** A document of any size (a plan, a MIS snapshot) and its version; null when never written. */
  getDocument(centreId: string, name: string): Promise<{ version: number; text: string } | null>;
  /**
   * Replaces the document if it is still at `expectedVersion` (0: never written; 'any': no
   * check) and returns the new version; throws StaleVersionError when another write got there first.
   */
  putDocument(centreId: string, name: string, text: string, expectedVersion: number | 'any', now: string): Promise<number>;

  /**
   * Writes the run's work list, then takes the centre's run lock and writes the run in one
   * transaction. Throws RunLockedError (with the lock held) when another run holds the lock.
   */
  startRun(run: SyncRun, work: readonly (readonly unknown[])[], lock: RunLock): Promise<void>;
  getRunLock(centreId: string): Promise<RunLock | null>;
  getSyncRun(centreId: string, runId: string): Promise<SyncRun | null>;
  listSyncRuns(centreId: string): Promise<SyncRun[]>;
  /** The centre's newest run of a kind, read newest first: no need to read every run ever made. */
  latestSyncRun(centreId: string, kind: string): Promise<SyncRun | null>;
  /** Records where a running run has got to (its step); false when the run has already ended. */
  putSyncRun(run: SyncRun): Promise<boolean>;
  /**
   * Writes the run's outcome and releases the lock if this run still holds it, in one
   * transaction; false (nothing written) when the run had already ended.
   */
  endRun(run: SyncRun): Promise<boolean>;
  getWorkChunk(centreId: string, runId: string, index: number): Promise<unknown[] | null>;
  putChunkOutcome(outcome: ChunkOutcome): Promise<void>;
  getChunkOutcome(centreId: string, runId: string, index: number): Promise<ChunkOutcome | null>;
  listChunkOutcomes(centreId: string, runId: string): Promise<ChunkOutcome[]>;
  putNoticeOutcome(outcome: NoticeOutcome): Promise<void>;
  listNoticeOutcomes(centreId: string, runId: string): Promise<NoticeOutcome[]>;

  /** Writes the backup only if this run has none for the record: a retried step never overwrites it. */
  putBackupIfAbsent(backup: Backup): Promise<void>;
  /** Every backup of one record, oldest run first. */
  listBackups(centreId: string, recordKind: RecordKind, recordId: string): Promise<Backup[]>;

  /**
   * Links a Hub record to a MIS record and sets the MIS's values, in one transaction with the
   * link guard: only if the record is still at `expectedVersion` and unlinked (or linked to
   * `misId` or `replacesMisId`), and no other record of the kind holds the MIS id.
   */
  linkRecord(write: LinkWrite): Promise<WriteOutcome<'record' | 'guard'>>;
  /** Puts the restored record back (if still at `expectedVersion`) and frees its link guard, in one transaction. */
  restoreRecord(write: RestoreWrite): Promise<WriteOutcome<'record'>>;
  /** Creates an imported teacher, their sign-in account, the email guard and the link guard, all or nothing. */
  importTeacher(teacher: HubTeacher, account: Account): Promise<WriteOutcome<'teacher' | 'account' | 'email' | 'guard'>>;
  /**
   * Creates a record imported from the MIS and its link guard in one transaction: `record` fails
   * if the record exists already, `guard` if the MIS record is linked to another Hub record.
   */
  importRecord(write: ImportWrite): Promise<WriteOutcome<'record' | 'guard'>>;
  /**
   * Sets a record's sync state (status and reason; the link is kept) if it is still at
   * `expectedVersion`; false when it was changed meanwhile.
   */
  setSyncState(write: SyncStateWrite): Promise<boolean>;
  /**
   * A hand edit of a Hub teacher's details (never their sync fields), if the teacher is still at
   * `expectedVersion`; the version goes up by one. False when it was changed meanwhile.
   */
  editTeacherDetails(
    centreId: string,
    teacherId: string,
    expectedVersion: number,
    details: Partial<Pick<HubTeacher, 'title' | 'firstName' | 'lastName' | 'email'>>,
    now: string,
  ): Promise<boolean>;
  /** A hand edit of a Hub pupil's details (never their sync fields), as `editTeacherDetails` does for a teacher. */
  editPupilDetails(
    centreId: string,
    pupilId: string,
    expectedVersion: number,
    details: Partial<Pick<HubPupil, 'firstName' | 'middleName' | 'lastName' | 'upn' | 'dob' | 'gender'>>,
    now: string,
  ): Promise<boolean>;
  /** Which Hub record of a kind holds a MIS id's link guard. */
  getLinkHolder(centreId: string, recordKind: RecordKind, misId: string): Promise<string | null>;

  getWelcomeClaim(centreId: string, misId: string): Promise<WelcomeClaim | null>;
  listWelcomeClaims(centreId: string): Promise<WelcomeClaim[]>;
  /**
   * Writes a claim if none exists (expect 'absent') or if the one there is still unsent and
   * carries `tokenHash` (expect an unsent claim's token); false when the condition failed.
   */
  putWelcomeClaim(claim: WelcomeClaim, expect: { absent: true } | { unsentWithToken: string | null }): Promise<boolean>;
  deleteSetPasswordToken(tokenHash: string): Promise<void>;
}

export interface LinkWrite {
  centreId: string;
  recordKind: RecordKind;
  hubId: string;
  misId: string;
  /** Re-linking a record whose MIS person has left: the link it may still carry. */
  replacesMisId: string | null;
  expectedVersion: number;
  runId: string;
  /** The MIS's values for the record's fields (the MIS wins), written with the link. */
  fields: Record<string, unknown>;
  now: string;
}

export interface ImportWrite {
  centreId: string;
  recordKind: RecordKind;
  hubId: string;
  misId: string;
  /** The whole record, linked (misId set, syncStatus synced). */
  record: Record<string, unknown> & { misId: string };
}

export interface RestoreWrite {
  centreId: string;
  recordKind: RecordKind;
  /** The record to put back, whole (its version already the next one). */
  record: Record<string, unknown> & { misId: string | null };
  hubId: string;
  expectedVersion: number;
  /** The link guard to free. */
  freesMisId: string;
}

export interface SyncStateWrite {
  centreId: string;
  recordKind: RecordKind;
  hubId: string;
  expectedVersion: number;
  syncStatus: SyncStatus;
  syncReason: OutOfSyncReason | null;
  now: string;
}

/** A transaction's outcome: done, or which of its conditions failed (throttling is retried in the adapter). */
export type WriteOutcome<Part extends string> = { ok: true } | { ok: false; failed: ReadonlySet<Part> };

/** Another write changed the document since it was read. */
export class StaleVersionError extends Error {
  constructor() {
    super('The document was changed by another write');
    this.name = 'StaleVersionError';
  }
}

/** Another Hub-writing run holds the centre's lock. */
export class RunLockedError extends Error {
  constructor(readonly lock: RunLock | null) {
    super('Another run holds the lock');
    this.name = 'RunLockedError';
  }
}

/** DynamoDB kept throttling or conflicting: the step fails and Step Functions retries it. */
export class StoreBusyError extends Error {
  constructor() {
    super('The table stayed busy');
    this.name = 'StoreBusyError';
  }
}
