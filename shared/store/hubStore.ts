import type {
  Account,
  AssemblyConnection,
  OAuthState,
  AuditEntry,
  DeletedPupil,
  DeletedTeacher,
  Centre,
  HubClass,
  HubClassInput,
  HubPupilInput,
  HubTeacherInput,
  HubYearGroupInput,
  HubPupil,
  PupilSummary,
  HubTeacher,
  HubYearGroup,
  Session,
  SetPasswordToken,
  SignInThrottle,
  AttemptCount,
  SharingPreferences,
  NightlyRecord,
  MarkedResult,
  DeliverySummary,
  ResultSummary,
  ParkedMark,
  ResultDelivery,
} from '../domain/records';
import type { SyncStore } from './syncStore';

/** The port through which the core reads and writes Hub state. One adapter: DynamoDB. */
export interface HubStore extends SyncStore {
  getCentre(centreId: string): Promise<Centre | null>;
  /** Creates the centre once; a second call with the same id changes nothing. */
  putCentreIfAbsent(centre: Centre): Promise<boolean>;

  /** Fails with EmailTakenError when any account already uses the email. */
  createAccount(account: Account): Promise<void>;
  findAccountByEmail(email: string): Promise<Account | null>;
  /**
   * A teacher's new email and, when they have an account, their new sign-in email, in one
   * transaction: the teacher at `teacherVersion`, the account still on its old email, the new
   * address free across the Hub. 'email_taken': another account signs in with it.
   */
  changeTeacherEmail(change: TeacherEmailChange): Promise<'saved' | 'stale' | 'email_taken'>;
  /** Whose account uses an email (the guard alone, one read). */
  emailHolder(email: string): Promise<{ centreId: string; userId: string } | null>;
  getAccount(centreId: string, userId: string): Promise<Account | null>;

  putSession(tokenHash: string, session: Session): Promise<void>;
  getSession(tokenHash: string): Promise<Session | null>;
  deleteSession(tokenHash: string): Promise<void>;

  /** A throttle for an email (all addresses), or for an email from one source address. */
  getSignInThrottle(email: string, sourceAddress?: string): Promise<SignInThrottle | null>;
  /**
   * Counts one failure atomically (parallel guesses each get their own count) and returns the
   * new count; a throttle past its memory starts again at 1.
   */
  recordSignInFailure(
    email: string,
    sourceAddress: string | undefined,
    nowSeconds: number,
    memorySeconds: number,
  ): Promise<number>;
  /** Sets the lock for the count that earned it, unless a later failure has counted since. */
  lockSignIn(email: string, sourceAddress: string | undefined, failures: number, lockedUntil: number): Promise<void>;
  clearSignInThrottle(email: string, sourceAddress?: string): Promise<void>;

  /**
   * Stores a set-password link and makes it the account's only live one, in one transaction
   * (an older link stops working); false when the account does not exist.
   */
  issueSetPasswordLink(tokenHash: string, token: SetPasswordToken): Promise<boolean>;
  getSetPasswordToken(tokenHash: string): Promise<SetPasswordToken | null>;
  /**
   * Marks the token used, stores the new password hash and ends the account's sessions, in one
   * transaction; fails with TokenAlreadyUsedError when another request used it first, and with
   * TokenReplacedError when a newer link was issued since.
   */
  consumeSetPasswordToken(tokenHash: string, usedAt: string, passwordHash: string, token: SetPasswordToken): Promise<void>;
  /**
   * Removes an account's access (ending every session; the account is erased at `erasesAt` unless
   * restored before) or, with null, restores it, with the audit entry, in one transaction; false
   * when the account is gone or already so.
   */
  setAccountAccess(
    centreId: string,
    userId: string,
    /** Whose account: the change is refused if the teacher was deleted meanwhile. */
    teacherId: string,
    removal: { at: string; erasesAt: string } | null,
    audit: AuditEntry,
  ): Promise<boolean>;
  /** Ends every session of the account (moves its session version on). */
  endSessions(centreId: string, userId: string): Promise<void>;
  /**
   * Counts one request in a fixed window for a bucket and subject, atomically, and returns the
   * count so far in the window; the first request after a window ends opens a new one.
   */
  countAttempt(bucket: string, subject: string, nowSeconds: number, windowSeconds: number): Promise<AttemptCount>;

  putTeachers(teachers: readonly HubTeacherInput[]): Promise<void>;
  listTeachers(centreId: string): Promise<HubTeacher[]>;
  getTeacher(centreId: string, teacherId: string): Promise<HubTeacher | null>;
  putPupils(pupils: readonly HubPupilInput[]): Promise<void>;
  listPupils(centreId: string): Promise<HubPupil[]>;
  /** Every pupil of the centre, only the fields Users › Pupils shows and searches. */
  listPupilSummaries(centreId: string): Promise<PupilSummary[]>;
  putYearGroups(yearGroups: readonly HubYearGroupInput[]): Promise<void>;
  listYearGroups(centreId: string): Promise<HubYearGroup[]>;
  putClasses(classes: readonly HubClassInput[]): Promise<void>;
  listClasses(centreId: string): Promise<HubClass[]>;

  listAccounts(centreId: string): Promise<Account[]>;

  getAssemblyConnection(centreId: string): Promise<AssemblyConnection | null>;
  /**
   * Writes the connection if it is still at `expectedVersion` (null: there is none yet), with its
   * version moved on; with `claimSchool` (on connecting), in the same transaction, claims its
   * Assembly school for the centre. 'stale': written by someone else since it was read;
   * 'school_taken': the Assembly school is connected to another centre.
   */
  saveAssemblyConnection(
    connection: AssemblyConnection,
    expectedVersion: number | null,
    claimSchool?: boolean,
  ): Promise<'saved' | 'stale' | 'school_taken'>;
  /** Frees an Assembly school claimed by this centre (a no-op if another centre holds it). */
  releaseAssemblySchool(assemblySchoolId: number, centreId: string): Promise<void>;
  putOAuthState(stateHash: string, state: OAuthState): Promise<void>;
  /** Deletes the state and returns it, or null when it was never issued or is already used. */
  takeOAuthState(stateHash: string): Promise<OAuthState | null>;

  getPupil(centreId: string, pupilId: string): Promise<HubPupil | null>;
  /** A pupil's marked papers. */
  listPupilResults(centreId: string, pupilId: string): Promise<MarkedResult[]>;
  /** Stores a mark if the result is still at `expectedVersion` (0: not marked before): 'stale' when it moved on. */
  putResult(result: MarkedResult, expectedVersion: number): Promise<'saved' | 'stale'>;
  getResult(centreId: string, resultId: string): Promise<MarkedResult | null>;
  getResultDelivery(centreId: string, resultId: string): Promise<ResultDelivery | null>;
  /** What became of several results in Assembly, by result id (absent: never handled). */
  listResultDeliveries(centreId: string, resultIds: readonly string[]): Promise<Map<string, ResultDelivery>>;
  /** Stores it if the delivery is still at `expectedRevision` (0: none yet): 'stale' when another sender moved it on. */
  saveResultDelivery(delivery: ResultDelivery, expectedRevision: number): Promise<'saved' | 'stale'>;
  /** Every result of the centre and what became of each in Assembly, and the parked ones: for the delivery status. */
  listResultSummaries(centreId: string): Promise<ResultSummary[]>;
  listDeliverySummaries(centreId: string): Promise<DeliverySummary[]>;
  listParkedMarks(centreId: string): Promise<ParkedMark[]>;
  /** Records (overwriting) until when and why results were parked; each mark expires a day after its `until`. */
  markParked(marks: readonly ParkedMark[]): Promise<void>;

  /** A page of the centres connected to Assembly with syncing on, in centre id order, and where the next page starts. */
  listConnectedCentres(after: string | null, limit: number): Promise<{ centreIds: string[]; next: string | null }>;
  getNightly(centreId: string): Promise<NightlyRecord | null>;
  /** Stores the centre's nightly record if it is still at `expectedVersion` (0: never written). */
  saveNightly(record: NightlyRecord, expectedVersion: number): Promise<'saved' | 'stale'>;

  getSharing(centreId: string): Promise<SharingPreferences | null>;
  /**
   * Stores the preferences if they are still at `expectedVersion` (0: never saved), with the
   * audit entry that says who chose them, in one transaction: 'stale' when they moved on.
   */
  saveSharing(preferences: SharingPreferences, expectedVersion: number, audit: AuditEntry): Promise<'saved' | 'stale'>;

  /**
   * Moves a pupil under Recently deleted, with its audit entry, in one transaction: only if it is
   * still at `pupil.version` and not synced ('stale' otherwise). Its results stay until erasure.
   */
  deletePupil(deleted: DeletedPupil, audit: AuditEntry): Promise<'deleted' | 'stale'>;
  /**
   * Brings a deleted pupil back exactly as it was (its version moved on), with its MIS link and its
   * audit entry: 'gone' when it is not deleted; 'mis_taken' when its MIS record is linked to another
   * pupil now (it came back to the MIS while this one was deleted).
   */
  restorePupil(deleted: DeletedPupil, audit: AuditEntry): Promise<'restored' | 'gone' | 'mis_taken'>;
  listDeletedPupils(centreId: string): Promise<DeletedPupil[]>;
  /** Deleted pupils and teachers, and accounts whose access was removed, whose six months ended by `now`, oldest first, across every centre. */
  listErasuresDue(now: string, limit: number): Promise<ErasureDue[]>;
  /**
   * Erases a deleted pupil for good: its results and what became of them in Assembly, its
   * backups and its MIS link guard, then (with the audit entry, which holds only ids) the deleted
   * record itself, last, so that an erasure cut short is simply done again. 'gone': restored or
   * already erased.
   */
  erasePupil(deleted: DeletedPupil, audit: AuditEntry): Promise<'erased' | 'gone'>;
  /**
   * Erases a pupil now, wherever the Hub holds them (support's erase command): the pupil, or its
   * Recently deleted record, its results and their delivery records, its backups and link guard,
   * the run work lists and documents (MIS snapshots, plans) that mention it; then looks again and
   * names what still mentions it (audit entries, which hold ids only, aside). Null: no such pupil.
   */
  erasePupilNow(
    centreId: string,
    pupilId: string,
    audit: AuditEntry,
  ): Promise<{ erased: Record<string, number>; left: string[]; sentToAssembly: number } | null>;
  getDeletedPupil(centreId: string, pupilId: string): Promise<DeletedPupil | null>;

  /**
   * Moves a teacher under Recently deleted, with its audit entry, in one transaction: only if it is
   * still at `teacher.version` and not synced ('stale' otherwise). Their account, if it had access,
   * has it removed in the same transaction, which ends their sessions; the account must still be
   * as read ('stale' otherwise), and with none read, none of `possibleAccountIds` may exist.
   */
  deleteTeacher(deleted: DeletedTeacher, audit: AuditEntry, possibleAccountIds: readonly string[]): Promise<'deleted' | 'stale'>;
  /** Brings a deleted teacher back as they were, with their MIS link and their account's access as it was. */
  restoreTeacher(deleted: DeletedTeacher, audit: AuditEntry): Promise<'restored' | 'gone' | 'mis_taken'>;
  listDeletedTeachers(centreId: string): Promise<DeletedTeacher[]>;
  getDeletedTeacher(centreId: string, teacherId: string): Promise<DeletedTeacher | null>;
  /**
   * Erases a deleted teacher for good: their account (and its sign-in email and live link), their
   * backups, their MIS link guard and welcome claim, then the deleted record with the audit entry.
   */
  eraseTeacher(deleted: DeletedTeacher, audit: AuditEntry): Promise<'erased' | 'gone'>;
  /**
   * Erases an account whose access was removed six months ago (its sign-in email and live link with
   * it); the teacher record stays, with no account. 'gone': restored meanwhile, or already erased.
   */
  eraseAccount(centreId: string, userId: string, now: string, audit: AuditEntry): Promise<'erased' | 'gone'>;

  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(centreId: string): Promise<AuditEntry[]>;
}

/** One entry of the erasure index: a deleted pupil or teacher, or an account whose access was removed. */
export interface ErasureDue {
  centreId: string;
  kind: 'pupil' | 'teacher' | 'account';
  id: string;
}

export interface TeacherEmailChange {
  centreId: string;
  teacherId: string;
  teacherVersion: number;
  email: string;
  account: { userId: string; email: string } | null;
  /** A Hub-only teacher's other details, changed in the same write. */
  details?: Partial<Pick<HubTeacher, 'title' | 'firstName' | 'lastName'>>;
  now: string;
}

export class EmailTakenError extends Error {
  constructor() {
    super('An account with this email already exists');
    this.name = 'EmailTakenError';
  }
}

export class TokenAlreadyUsedError extends Error {
  constructor() {
    super('This link has already been used');
    this.name = 'TokenAlreadyUsedError';
  }
}

export class TokenReplacedError extends Error {
  constructor() {
    super('A newer link has been sent since this one');
    this.name = 'TokenReplacedError';
  }
}
