import { z } from 'zod';

/** Stored items, validated whenever they are read back from the table. */

export const roleSchema = z.enum(['access_coordinator', 'teacher']);
export type Role = z.infer<typeof roleSchema>;

/** Synced (linked to an MIS record), out of sync (was linked, the MIS record has gone), none. */
export const syncStatusSchema = z.enum(['synced', 'out_of_sync', 'none']);
export type SyncStatus = z.infer<typeof syncStatusSchema>;

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
});
export type Account = z.infer<typeof accountSchema>;

export const hubTeacherSchema = z.object({
  teacherId: z.string().min(1),
  centreId: z.string().min(1),
  title: z.string().nullable(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  email: z.string().nullable(),
  misId: z.string().nullable(),
  syncStatus: syncStatusSchema,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type HubTeacher = z.infer<typeof hubTeacherSchema>;

export const genderSchema = z.enum(['F', 'M']);

/** Only the fields in the product guide's GDPR table are kept for a pupil. */
export const hubPupilSchema = z.object({
  pupilId: z.string().min(1),
  centreId: z.string().min(1),
  upn: z.string().nullable(),
  misId: z.string().nullable(),
  firstName: z.string().min(1),
  middleName: z.string().nullable(),
  lastName: z.string().min(1),
  dob: isoDate.nullable(),
  gender: genderSchema.nullable(),
  pupilPremium: z.boolean().nullable(),
  intakeYear: z.number().int().nullable(),
  homeLanguage: z.string().nullable(),
  username: z.string().min(1),
  yearGroupId: z.string().nullable(),
  classIds: z.array(z.string()),
  syncStatus: syncStatusSchema,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type HubPupil = z.infer<typeof hubPupilSchema>;

export const hubYearGroupSchema = z.object({
  yearGroupId: z.string().min(1),
  centreId: z.string().min(1),
  name: z.string().min(1),
  /** National Curriculum year code when known: N1, N2, R, 1..13. */
  yearCode: z.string().nullable(),
  intakeYear: z.number().int().nullable(),
  misId: z.string().nullable(),
  syncStatus: syncStatusSchema,
});
export type HubYearGroup = z.infer<typeof hubYearGroupSchema>;

export const hubClassSchema = z.object({
  classId: z.string().min(1),
  centreId: z.string().min(1),
  name: z.string().min(1),
  description: z.string().nullable(),
  yearGroupId: z.string().nullable(),
  misId: z.string().nullable(),
  syncStatus: syncStatusSchema,
});
export type HubClass = z.infer<typeof hubClassSchema>;

export const sessionSchema = z.object({
  userId: z.string().min(1),
  centreId: z.string().min(1),
  role: roleSchema,
  expiresAt: z.number().int(),
});
export type Session = z.infer<typeof sessionSchema>;

export const setPasswordTokenSchema = z.object({
  userId: z.string().min(1),
  centreId: z.string().min(1),
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
});
export type AssemblyConnection = z.infer<typeof assemblyConnectionSchema>;

/** OAuth `state`: single use, bound to the user and centre that started authorisation, 10 minutes. */
export const oauthStateSchema = z.object({
  userId: z.string().min(1),
  centreId: z.string().min(1),
  expiresAt: z.number().int(),
});
export type OAuthState = z.infer<typeof oauthStateSchema>;

/** The Teachers panel's working plan, saved as the co-ordinator works (see shared/teachers/panel.ts). */
export const storedTeacherPlanSchema = z.object({
  centreId: z.string().min(1),
  updatedAt: isoDateTime,
  plan: z.object({
    imports: z.array(z.string()),
    manualMatches: z.array(z.object({ hubId: z.string(), misId: z.string() })),
    unmatched: z.array(z.object({ hubId: z.string(), misId: z.string() })),
    confirmed: z.array(z.object({ hubId: z.string(), misId: z.string() })),
    emails: z.record(z.string(), z.string()),
  }),
});
export type StoredTeacherPlan = z.infer<typeof storedTeacherPlanSchema>;

/** A member of staff as the MIS has them (through Assembly). */
export const misStaffSchema = z.object({
  misId: z.string().min(1),
  title: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  staffCode: z.string().nullable(),
});
export type MisStaff = z.infer<typeof misStaffSchema>;

/** The MIS staff list as last fetched from Assembly, so editing the plan needs no new Assembly calls. */
export const misStaffSnapshotSchema = z.object({
  centreId: z.string().min(1),
  fetchedAt: isoDateTime,
  staff: z.array(misStaffSchema),
});
export type MisStaffSnapshot = z.infer<typeof misStaffSnapshotSchema>;

/** One Save and sync: what it will do (frozen when it starts), where it has got to, how it ended. */
export const syncRunSchema = z.object({
  runId: z.string().min(1),
  centreId: z.string().min(1),
  kind: z.literal('teachers'),
  startedBy: z.string().min(1),
  startedAt: isoDateTime,
  status: z.enum(['running', 'succeeded', 'failed']),
  step: z.enum(['backup', 'match', 'apply', 'email', 'done']),
  links: z.array(
    z.object({
      hubId: z.string(),
      misId: z.string(),
      title: z.string().nullable(),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
    }),
  ),
  imports: z.array(
    z.object({ misId: z.string(), title: z.string().nullable(), firstName: z.string(), lastName: z.string(), email: z.string() }),
  ),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  counts: z.object({ imported: z.number().int(), linked: z.number().int(), emailsSent: z.number().int() }),
  failures: z.array(z.object({ misId: z.string(), reason: z.string() })),
  failureReason: z.string().nullable(),
  finishedAt: isoDateTime.nullable(),
});
export type SyncRun = z.infer<typeof syncRunSchema>;

/** A Hub record as it was before a run changed it, kept to restore it exactly. */
export const backupSchema = z.object({
  centreId: z.string().min(1),
  runId: z.string().min(1),
  recordKey: z.string().min(1),
  teacher: hubTeacherSchema,
  takenAt: isoDateTime,
});
export type Backup = z.infer<typeof backupSchema>;
