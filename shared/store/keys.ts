/**
 * Key design of the single Hub table (documented in docs/data-model.md).
 * Everything a centre owns lives under PK = CENTRE#<centreId>, so a query can never
 * cross centres. Global look-ups (email, session, token) have their own partitions.
 */
export const keys = {
  centre: (centreId: string) => ({ PK: `CENTRE#${centreId}`, SK: 'CENTRE' }),
  account: (centreId: string, userId: string) => ({ PK: `CENTRE#${centreId}`, SK: `ACCOUNT#${userId}` }),
  /** Uniqueness guard and sign-in look-up: one account per email, across all centres. */
  accountEmail: (email: string) => ({ PK: `EMAIL#${normaliseEmail(email)}`, SK: 'EMAIL' }),
  teacher: (centreId: string, teacherId: string) => ({ PK: `CENTRE#${centreId}`, SK: `TEACHER#${teacherId}` }),
  pupil: (centreId: string, pupilId: string) => ({ PK: `CENTRE#${centreId}`, SK: `PUPIL#${pupilId}` }),
  yearGroup: (centreId: string, yearGroupId: string) => ({ PK: `CENTRE#${centreId}`, SK: `YEARGROUP#${yearGroupId}` }),
  hubClass: (centreId: string, classId: string) => ({ PK: `CENTRE#${centreId}`, SK: `CLASS#${classId}` }),
  syncRun: (centreId: string, runId: string) => ({ PK: `CENTRE#${centreId}`, SK: `SYNCRUN#${runId}` }),
  backup: (centreId: string, runId: string, recordKey: string) => ({
    PK: `CENTRE#${centreId}#RUN#${runId}`,
    SK: `BACKUP#${recordKey}`,
  }),
  welcomeEmail: (centreId: string, runId: string, misId: string) => ({
    PK: `CENTRE#${centreId}#RUN#${runId}`,
    SK: `WELCOME#${misId}`,
  }),
  result: (centreId: string, resultId: string) => ({ PK: `CENTRE#${centreId}`, SK: `RESULT#${resultId}` }),
  audit: (centreId: string, at: string, auditId: string) => ({ PK: `CENTRE#${centreId}`, SK: `AUDIT#${at}#${auditId}` }),
  teacherPlan: (centreId: string) => ({ PK: `CENTRE#${centreId}`, SK: 'PLAN#teachers' }),
  misStaffSnapshot: (centreId: string) => ({ PK: `CENTRE#${centreId}`, SK: 'MISSNAPSHOT#staff' }),
  assemblyConnection: (centreId: string) => ({ PK: `CENTRE#${centreId}`, SK: 'ASSEMBLY' }),
  oauthState: (stateHash: string) => ({ PK: `OAUTHSTATE#${stateHash}`, SK: 'STATE' }),
  session: (tokenHash: string) => ({ PK: `SESSION#${tokenHash}`, SK: 'SESSION' }),
  setPasswordToken: (tokenHash: string) => ({ PK: `SETPASSWORD#${tokenHash}`, SK: 'TOKEN' }),
  signInThrottle: (email: string) => ({ PK: `SIGNIN#${normaliseEmail(email)}`, SK: 'THROTTLE' }),
  /** GSI keys for look-ups by MIS id within a centre. */
  misIndex: (centreId: string, kind: 'teacher' | 'pupil' | 'yeargroup' | 'class', misId: string) => ({
    GSI1PK: `CENTRE#${centreId}#MIS#${kind}`,
    GSI1SK: misId,
  }),
} as const;

export const sortKeyPrefix = {
  account: 'ACCOUNT#',
  teacher: 'TEACHER#',
  pupil: 'PUPIL#',
  yearGroup: 'YEARGROUP#',
  hubClass: 'CLASS#',
  syncRun: 'SYNCRUN#',
  audit: 'AUDIT#',
} as const;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
