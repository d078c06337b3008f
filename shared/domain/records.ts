import * as z from 'zod';
import { outOfSyncReasonSchema, syncStatusSchema } from '../core/syncState';

/** Stored items, validated whenever they are read back from the table. */

export const roleSchema = z.enum(['access_coordinator', 'teacher']);
export type Role = z.infer<typeof roleSchema>;

export { syncStatusSchema, type SyncStatus } from '../core/syncState';

/**
 * Fields every Hub record that a sync can link carries: its sync state (shared/core/syncState.ts),
 * a version that every write increments (a sync writes only if the record is still as it was
 * reviewed), and the run that last wrote it (so a retried write recognises its own work).
 */
const syncable = {
  misId: z.string().nullable(),
  syncStatus: syncStatusSchema,
  syncReason: outOfSyncReasonSchema.nullable().default(null),
  version: z.number().int().nonnegative().default(0),
  lastRunId: z.string().nullable().default(null),
};

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const isoDateTime = z.string().datetime();

export const centreSchema = z.object({
  centreId: z.string().min(1),
  name: z.string().min(1),
  urn: z.string().nullable(),
  createdAt: isoDateTime,
});
export type Centre = z.infer<typeof centreSchema>;

/** A sign-in account. Teachers' accounts point at their Hub teacher record. */
export const accountSchema = z.object({
  userId: z.string().min(1),
  centreId: z.string().min(1),
  email: z.string().email(),
  role: roleSchema,
  displayName: z.string().min(1),
  teacherId: z.string().nullable(),
  passwordHash: z.string().nullable(),
  createdAt: isoDateTime,
  /**
   * Sessions carry the version they were signed in at: a change of password, role or email
   * moves it on, which ends every session signed in before.
   */
  sessionVersion: z.number().int().nonnegative().default(0),
  /**
   * The hash of the one set-password link that still works: a newer link replaces it, and
   * setting a password clears it (null). Absent only on accounts from before it existed, whose
   * unused links still work.
   */
  liveLinkHash: z.string().nullable().optional(),
  /** When the Access Co-ordinator removed this person's access (a teacher who left): they cannot sign in until it is restored. */
  deactivatedAt: isoDateTime.nullable().default(null),
  /** When an account whose access was removed is erased, unless its access is restored first (six months on). */
  accessErasesAt: isoDateTime.nullable().default(null),
});
export type Account = z.infer<typeof accountSchema>;
/** A new account's access: not removed, so nothing to erase. */
export const FULL_ACCESS = { deactivatedAt: null, accessErasesAt: null } as const;

/** A record entered in the Hub by hand: never linked, never written by a sync. */
export const HAND_ENTERED = { misId: null, syncStatus: 'none', syncReason: null, version: 0, lastRunId: null } as const;

export const hubTeacherSchema = z.object({
  teacherId: z.string().min(1),
  centreId: z.string().min(1),
  title: z.string().nullable(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  email: z.string().nullable(),
  ...syncable,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type HubTeacher = z.infer<typeof hubTeacherSchema>;
/** What a writer supplies: the sync fields it leaves out take their defaults. */
export type HubTeacherInput = z.input<typeof hubTeacherSchema>;

export const genderSchema = z.enum(['F', 'M']);

/** Only the fields in the product guide's GDPR table are kept for a pupil. */
export const hubPupilSchema = z.object({
  pupilId: z.string().min(1),
  centreId: z.string().min(1),
  upn: z.string().nullable(),
  firstName: z.string().min(1),
  middleName: z.string().nullable(),
  lastName: z.string().min(1),
  dob: isoDate.nullable(),
  gender: genderSchema.nullable(),
  pupilPremium: z.boolean().nullable(),
  intakeYear: z.number().int().nullable(),
  homeLanguage: z.string().nullable(),
  username: z.string().min(1),
  /** Site access to MARK: the Hub's own, not the MIS's; an imported pupil has it. */
  markAccess: z.boolean().default(true),
  yearGroupId: z.string().nullable(),
  classIds: z.array(z.string()),
  ...syncable,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type HubPupil = z.infer<typeof hubPupilSchema>;
/** What Users › Pupils lists and searches of each pupil: read alone, it keeps a 3,000-pupil list fast. */
export const pupilSummarySchema = hubPupilSchema.pick({
  pupilId: true,
  firstName: true,
  middleName: true,
  lastName: true,
  username: true,
  upn: true,
  yearGroupId: true,
  classIds: true,
  syncStatus: true,
  syncReason: true,
  version: true,
});
export type PupilSummary = z.infer<typeof pupilSummarySchema>;
/** What a writer supplies: the sync fields it leaves out take their defaults. */
export type HubPupilInput = z.input<typeof hubPupilSchema>;

export const hubYearGroupSchema = z.object({
  yearGroupId: z.string().min(1),
  centreId: z.string().min(1),
  name: z.string().min(1),
  /** National Curriculum year code when known: N1, N2, R, 1..13. */
  yearCode: z.string().nullable(),
  intakeYear: z.number().int().nullable(),
  ...syncable,
});
export type HubYearGroup = z.infer<typeof hubYearGroupSchema>;
/** What a writer supplies: the sync fields it leaves out take their defaults. */
export type HubYearGroupInput = z.input<typeof hubYearGroupSchema>;

export const hubClassSchema = z.object({
  classId: z.string().min(1),
  centreId: z.string().min(1),
  name: z.string().min(1),
  description: z.string().nullable(),
  yearGroupId: z.string().nullable(),
  /** From the MIS once synced: a registration or a teaching group, and the teaching group's subject. */
  kind: z.enum(['registration', 'teaching']).nullable().default(null),
  subject: z.string().nullable().default(null),
  /** The synced Hub teachers who teach it (the MIS's supervisors). */
  teacherIds: z.array(z.string()).default([]),
  /** Set for a class whose pupils span several years: the year codes it spans. */
  mixedYears: z.array(z.string()).nullable().default(null),
  ...syncable,
});
export type HubClass = z.infer<typeof hubClassSchema>;
/** What a writer supplies: the sync fields it leaves out take their defaults. */
export type HubClassInput = z.input<typeof hubClassSchema>;

export const sessionSchema = z.object({
  userId: z.string().min(1),
  centreId: z.string().min(1),
  role: roleSchema,
  expiresAt: z.number().int(),
  sessionVersion: z.number().int().nonnegative().default(0),
});
export type Session = z.infer<typeof sessionSchema>;

/** A welcome link (7 days) or a forgot-password link (1 hour): single use, and only the newest works. */
export const setPasswordPurposeSchema = z.enum(['welcome', 'reset']);
export type SetPasswordPurpose = z.infer<typeof setPasswordPurposeSchema>;

export const setPasswordTokenSchema = z.object({
  userId: z.string().min(1),
  centreId: z.string().min(1),
  purpose: setPasswordPurposeSchema.default('welcome'),
  expiresAt: z.number().int(),
  usedAt: z.string().nullable(),
});
export type SetPasswordToken = z.infer<typeof setPasswordTokenSchema>;

export const signInThrottleSchema = z.object({
  failures: z.number().int().nonnegative(),
  lockedUntil: z.number().int(),
  expiresAt: z.number().int(),
});
export type SignInThrottle = z.infer<typeof signInThrottleSchema>;

/** A count of requests in a fixed window (forgot-password and link requests, per address and per email). */
export const attemptCountSchema = z.object({
  count: z.number().int().nonnegative(),
  windowEndsAt: z.number().int(),
});
export type AttemptCount = z.infer<typeof attemptCountSchema>;

/**
 * A pupil the school deleted: hidden from every list at once, recoverable under Recently deleted
 * until `erasesAt` (six months), when the daily sweep erases it with its results and backups;
 * `expiresAt` (epoch seconds, the table's TTL attribute) is the backstop a little after.
 */
export const deletedPupilSchema = z.object({
  centreId: z.string().min(1),
  pupilId: z.string().min(1),
  pupil: hubPupilSchema,
  deletedAt: isoDateTime,
  deletedBy: z.string().min(1),
  erasesAt: isoDateTime,
  expiresAt: z.number().int(),
  /** Set when the sweep has begun erasing it: it can no longer be restored. */
  erasing: z.boolean().optional(),
});
export type DeletedPupil = z.infer<typeof deletedPupilSchema>;

/**
 * A teacher under Users › Teachers › Recently deleted: the record as it was, and their account's
 * access as it was (deleting removes it; a restore puts it back as it was).
 */
export const deletedTeacherSchema = z.object({
  centreId: z.string().min(1),
  teacherId: z.string().min(1),
  teacher: hubTeacherSchema,
  /** The teacher's account when deleted, and whether its access had already been removed. */
  account: z.object({ userId: z.string().min(1), deactivatedAt: isoDateTime.nullable() }).nullable(),
  deletedAt: isoDateTime,
  deletedBy: z.string().min(1),
  erasesAt: isoDateTime,
  expiresAt: z.number().int(),
  erasing: z.boolean().optional(),
});
export type DeletedTeacher = z.infer<typeof deletedTeacherSchema>;

export const auditEntrySchema = z.object({
  auditId: z.string().min(1),
  centreId: z.string().min(1),
  actorUserId: z.string().min(1),
  action: z.string().min(1),
  subject: z.string().min(1),
  at: isoDateTime,
  detail: z.record(z.string(), z.string()).default({}),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** The centre's link to Assembly. Tokens are stored only encrypted (see TokenCipher). */
export const assemblyConnectionSchema = z.object({
  centreId: z.string().min(1),
  status: z.enum(['connected', 'deauthorised']),
  schoolName: z.string().nullable(),
  assemblySchoolId: z.number().int().nullable(),
  scopes: z.array(z.string()),
  connectedAt: isoDateTime,
  connectedBy: z.string().min(1),
  deauthorisedAt: isoDateTime.nullable(),
  /** Why it ended: the co-ordinator pressed Deauthorise, or the school revoked access in Assembly. */
  deauthorisedBecause: z.enum(['deauthorised_here', 'revoked_in_assembly']).nullable(),
  /** All syncing (nightly, results) stops when this is false. */
  syncEnabled: z.boolean(),
  accessTokenCiphertext: z.string().nullable(),
  refreshTokenCiphertext: z.string().nullable(),
  accessTokenExpiresAt: isoDateTime.nullable(),
  /** Moves on with every write; every write is conditional on the version read (refreshes race). */
  version: z.number().int().nonnegative().default(0),
});
export type AssemblyConnection = z.infer<typeof assemblyConnectionSchema>;

/**
 * The school's choice to share MARK results with Assembly (the Finish panel's Data sharing
 * preferences): who chose it and when. Historical sharing means something only while sharing is on.
 */
/**
 * The centre's newest nightly sync, as the wizard's MIS data sync page shows it: when, how it
 * ended, what it changed, and what waits for the co-ordinator (names of the first few, as the
 * MIS gives them; counts of all). One item per centre, written conditionally on its version.
 */
const waitingListSchema = z.object({ count: z.number().int().nonnegative(), names: z.array(z.string()).max(50) });
export const nightlyRecordSchema = z.object({
  centreId: z.string().min(1),
  nightId: z.string().min(1),
  status: z.enum(['running', 'unchanged', 'synced', 'failed', 'skipped_locked', 'skipped_deauthorised', 'revoked']),
  startedAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
  runId: z.string().nullable(),
  /** Times the centre was found locked by another run tonight. */
  lockedTries: z.number().int().nonnegative(),
  full: z.boolean(),
  counts: z.object({
    imported: z.number().int().nonnegative(),
    linked: z.number().int().nonnegative(),
    changed: z.number().int().nonnegative(),
    outOfSync: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
  }),
  waiting: z.object({
    teachers: waitingListSchema,
    classes: waitingListSchema,
    mayMatches: waitingListSchema,
    pupils: waitingListSchema,
  }),
  /** Waiting items new tonight: with a change, what makes the digest worth sending. */
  newlyWaiting: z.number().int().nonnegative(),
  note: z.string().nullable(),
  digest: z.enum(['not_needed', 'sending', 'sent', 'failed']),
  version: z.number().int().nonnegative(),
});
export type NightlyRecord = z.infer<typeof nightlyRecordSchema>;

export const sharingPreferencesSchema = z.object({
  centreId: z.string().min(1),
  shareAll: z.boolean(),
  shareHistorical: z.boolean(),
  changedBy: z.string().min(1).nullable(),
  changedAt: isoDateTime.nullable(),
  version: z.number().int().nonnegative(),
});
export type SharingPreferences = z.infer<typeof sharingPreferencesSchema>;

/**
 * A marked MARK paper: one item per pupil and paper (`resultId` = pupilId#paperId), changed when
 * the paper is marked again. Its own item, so that the table's stream carries each mark alone.
 */
export const markedResultSchema = z.object({
  centreId: z.string().min(1),
  resultId: z.string().min(1),
  pupilId: z.string().min(1),
  paperId: z.string().min(1),
  rawMark: z.number().int().nonnegative(),
  standardisedScore: z.number().int(),
  /** The date the paper was sat, YYYY-MM-DD. */
  sat: z.string(),
  markedBy: z.string().min(1),
  markedAt: isoDateTime,
  /** 1 when first marked; every change moves it on, and is conditional on the version read. */
  version: z.number().int().positive(),
  /** When the co-ordinator last asked for it to be sent again after it failed (a new version, so the stream sends it). */
  retriedAt: isoDateTime.optional(),
});
export type MarkedResult = z.infer<typeof markedResultSchema>;

/**
 * A result the sender parked (Assembly asked it to wait, or was not answering): until when, and
 * why, for the delivery status. A hint only, overwritten by the next park and gone by TTL; what
 * was sent or failed is the delivery record's to say.
 */
export const parkedMarkSchema = z.object({
  centreId: z.string().min(1),
  resultId: z.string().min(1),
  until: isoDateTime,
  reason: z.string(),
});
export type ParkedMark = z.infer<typeof parkedMarkSchema>;

/**
 * What became of a marked paper in Assembly, one item per result. It remembers Assembly's result
 * id (so a changed mark is PATCHed, never POSTed again) and the result version it last handled;
 * every write is conditional on `revision`, so two senders never both claim one result.
 */
export const resultDeliverySchema = z.object({
  centreId: z.string().min(1),
  resultId: z.string().min(1),
  /**
   * sending: a POST was claimed and its answer not yet recorded (a crash or a lost answer leaves
   * it so: the next attempt looks the result up in Assembly before posting); sent; failed: it
   * cannot be sent as it is (the reason says why). A parked result keeps the status it had.
   */
  status: z.enum(['sending', 'sent', 'failed']),
  /** The version of the result this status is about. */
  version: z.number().int().positive(),
  assemblyResultId: z.number().int().positive().nullable(),
  /** What Assembly holds for it, once sent. */
  gradeId: z.number().int().nullable(),
  resultDate: z.string().nullable(),
  /** In the school's words, for a failed or waiting result. */
  reason: z.string().nullable(),
  /** Which sender's attempt holds a `sending` claim (a parked result names it, to take it up again). */
  claimId: z.string().nullable(),
  at: isoDateTime,
  revision: z.number().int().positive(),
});
export type ResultDelivery = z.infer<typeof resultDeliverySchema>;
/** What a list of results' states reads of each delivery record. */
export const deliverySummarySchema = resultDeliverySchema.pick({
  resultId: true,
  status: true,
  version: true,
  reason: true,
  at: true,
});
export type DeliverySummary = z.infer<typeof deliverySummarySchema>;
/** What a list of results' states reads of each result. */
export const resultSummarySchema = markedResultSchema.pick({
  resultId: true,
  pupilId: true,
  paperId: true,
  standardisedScore: true,
  sat: true,
  markedAt: true,
  version: true,
  retriedAt: true,
});
export type ResultSummary = z.infer<typeof resultSummarySchema>;

/** OAuth `state`: single use, bound to the user and centre that started authorisation, 10 minutes. */
export const oauthStateSchema = z.object({
  userId: z.string().min(1),
  centreId: z.string().min(1),
  expiresAt: z.number().int(),
});
export type OAuthState = z.infer<typeof oauthStateSchema>;

/** A member of staff as the MIS has them (through Assembly). */
export const misStaffSchema = z.object({
  misId: z.string().min(1),
  title: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  staffCode: z.string().nullable(),
  /** Assembly's `is_teaching_staff` (scope staff_members.teaching_status); null when the MIS does not say. */
  teaching: z.boolean().nullable().default(null),
});
export type MisStaff = z.infer<typeof misStaffSchema>;

/** The kinds of Hub record a sync links to MIS records. */
export const recordKindSchema = z.enum(['teacher', 'pupil', 'yearGroup', 'class']);
export type RecordKind = z.infer<typeof recordKindSchema>;

/**
 * One run of the sync pipeline (a panel's Save and sync; later the nightly sync). Small and
 * fixed-size: the work list, the outcomes and the emails are items of their own (see
 * docs/data-model.md), so no run can grow toward DynamoDB's 400 KB item limit.
 */
export const syncRunSchema = z.object({
  runId: z.string().min(1),
  centreId: z.string().min(1),
  /** Which panel's steps run it: a kind in the step registry (shared/wizard/steps.ts). */
  kind: z.string().min(1),
  startedBy: z.string().min(1),
  startedAt: isoDateTime,
  status: z.enum(['running', 'succeeded', 'failed']),
  step: z.enum(['backup', 'recheck', 'apply', 'notify', 'done']),
  /** Entries in the work list, and how many chunks of it Apply works through. */
  total: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  /** People the Notify step tells (welcome emails), counted when the run starts. */
  notices: z.number().int().nonnegative(),
  failureReason: z.string().nullable(),
  finishedAt: isoDateTime.nullable(),
});
export type SyncRun = z.infer<typeof syncRunSchema>;

/** Held while a Hub-writing run is active: at most one per centre. */
export const runLockSchema = z.object({
  centreId: z.string().min(1),
  runId: z.string().min(1),
  kind: z.string().min(1),
  startedAt: isoDateTime,
  /** Epoch seconds; outlasts the state machine's timeout. A lock past it can be taken. */
  expiresAt: z.number().int(),
});
export type RunLock = z.infer<typeof runLockSchema>;

/** One chunk of a run's work list; its entries are the panel's own (parsed by the panel's schema). */
export const workChunkSchema = z.object({
  centreId: z.string().min(1),
  runId: z.string().min(1),
  index: z.number().int().nonnegative(),
  entries: z.array(z.unknown()),
});
export type WorkChunk = z.infer<typeof workChunkSchema>;

/** A record a run did not change, and why (e.g. "changed since you reviewed it"). */
export const runIssueSchema = z.object({ recordId: z.string(), label: z.string(), reason: z.string() });
export type RunIssue = z.infer<typeof runIssueSchema>;

/** What Apply did with one chunk: written when the chunk is done, rewritten identically on a retry. */
export const chunkOutcomeSchema = z.object({
  centreId: z.string().min(1),
  runId: z.string().min(1),
  index: z.number().int().nonnegative(),
  /** Entries in the chunk. */
  size: z.number().int().nonnegative(),
  counts: z.record(z.string(), z.number().int()),
  issues: z.array(runIssueSchema),
});
export type ChunkOutcome = z.infer<typeof chunkOutcomeSchema>;

/** What the Notify step did for one person of a run (a welcome email). */
export const noticeOutcomeSchema = z.object({
  centreId: z.string().min(1),
  runId: z.string().min(1),
  personId: z.string().min(1),
  label: z.string(),
  /** skipped: the person was not imported by this run, so there was nobody to welcome. */
  status: z.enum(['sent', 'already_sent', 'failed', 'skipped']),
  reason: z.string().nullable(),
});
export type NoticeOutcome = z.infer<typeof noticeOutcomeSchema>;

/**
 * A welcome email to one MIS person of a centre, claimed before it is sent and marked sent with
 * SES's message id after: whichever run imports them, each person is welcomed once.
 */
export const welcomeClaimSchema = z.object({
  centreId: z.string().min(1),
  misId: z.string().min(1),
  runId: z.string().min(1),
  status: z.enum(['claimed', 'sent']),
  /** The set-password link issued for this claim; a re-send revokes it first. */
  tokenHash: z.string().nullable(),
  messageId: z.string().nullable(),
  claimedAt: isoDateTime,
  sentAt: isoDateTime.nullable(),
});
export type WelcomeClaim = z.infer<typeof welcomeClaimSchema>;

/** A Hub record as it was before a run changed it, kept to restore it exactly. */
export const backupSchema = z.object({
  centreId: z.string().min(1),
  runId: z.string().min(1),
  recordKind: recordKindSchema,
  recordId: z.string().min(1),
  /** The stored record; its panel parses it with the record's own schema. */
  record: z.record(z.string(), z.unknown()),
  takenAt: isoDateTime,
});
export type Backup = z.infer<typeof backupSchema>;

/** A document too large for one item (a plan, a MIS snapshot), stored as chunks under a header. */
export const documentHeaderSchema = z.object({
  centreId: z.string().min(1),
  name: z.string().min(1),
  version: z.number().int().nonnegative(),
  generation: z.string().min(1),
  chunks: z.number().int().nonnegative(),
  updatedAt: isoDateTime,
});
export type DocumentHeader = z.infer<typeof documentHeaderSchema>;

/**
 * A load job: fetching a panel's MIS records from Assembly (which can take longer than an HTTP
 * request may wait), with real progress, then keeping them as the panel's snapshot.
 */
export const loadJobSchema = z.object({
  loadId: z.string().min(1),
  centreId: z.string().min(1),
  kind: z.string().min(1),
  startedBy: z.string().min(1),
  startedAt: isoDateTime,
  status: z.enum(['running', 'done', 'failed']),
  pages: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  failureReason: z.string().nullable(),
  finishedAt: isoDateTime.nullable(),
  /** Epoch seconds: a running load not finished by then is taken as lost, and a new one may start. */
  expiresAt: z.number().int(),
});
export type LoadJob = z.infer<typeof loadJobSchema>;
