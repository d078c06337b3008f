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
  /** A load job, and the centre's newest load of a kind (so a second open joins the running one). */
  loadJob: (centreId: string, loadId: string) => ({ PK: `CENTRE#${centreId}`, SK: `LOAD#${loadId}` }),
  latestLoad: (centreId: string, kind: string) => ({ PK: `CENTRE#${centreId}`, SK: `LOADLATEST#${kind}` }),
  /** At most one Hub-writing run per centre. */
  runLock: (centreId: string) => ({ PK: `CENTRE#${centreId}`, SK: 'RUNLOCK' }),
  /** A run's own partition: its work list in chunks, what each chunk did, each email's outcome. */
  runPartition: (centreId: string, runId: string) => `CENTRE#${centreId}#RUN#${runId}`,
  workChunk: (centreId: string, runId: string, index: number) => ({
    PK: `CENTRE#${centreId}#RUN#${runId}`,
    SK: `WORK#${pad(index)}`,
  }),
  chunkOutcome: (centreId: string, runId: string, index: number) => ({
    PK: `CENTRE#${centreId}#RUN#${runId}`,
    SK: `OUTCOME#${pad(index)}`,
  }),
  noticeOutcome: (centreId: string, runId: string, personId: string) => ({
    PK: `CENTRE#${centreId}#RUN#${runId}`,
    SK: `NOTICE#${personId}`,
  }),
  /** Backups by record, newest run last (run ids start with their UTC start time). */
  backupPartition: (centreId: string) => `CENTRE#${centreId}#BACKUP`,
  backup: (centreId: string, recordKind: string, recordId: string, runId: string) => ({
    PK: `CENTRE#${centreId}#BACKUP`,
    SK: `${recordKind}#${recordId}#${runId}`,
  }),
  /** One Hub record per centre, kind and MIS id: written in the same transaction as the link. */
  linkGuard: (centreId: string, recordKind: string, misId: string) => ({
    PK: `CENTRE#${centreId}`,
    SK: `LINK#${recordKind}#${misId}`,
  }),
  /** One welcome email per centre and MIS person, whichever run imports them. */
  welcomeClaim: (centreId: string, misId: string) => ({ PK: `CENTRE#${centreId}`, SK: `WELCOME#${misId}` }),
  /** A large document (plan, MIS snapshot): a small header, and chunks in a partition of their own. */
  documentHeader: (centreId: string, name: string) => ({ PK: `CENTRE#${centreId}`, SK: `DOC#${name}` }),
  documentChunks: (centreId: string, name: string) => `CENTRE#${centreId}#DOC#${name}`,
  documentChunk: (centreId: string, name: string, generation: string, index: number) => ({
    PK: `CENTRE#${centreId}#DOC#${name}`,
    SK: `${generation}#${pad(index)}`,
  }),
  /** A pupil under Recently deleted: not a PUPIL# item, so no list or panel sees it. */
  deletedPupil: (centreId: string, pupilId: string) => ({ PK: `CENTRE#${centreId}`, SK: `DELETED#PUPIL#${pupilId}` }),
  deletedTeacher: (centreId: string, teacherId: string) => ({ PK: `CENTRE#${centreId}`, SK: `DELETED#TEACHER#${teacherId}` }),
  /** A marked paper; its id starts with the pupil's, so a pupil's results are one query. */
  result: (centreId: string, resultId: string) => ({ PK: `CENTRE#${centreId}`, SK: `RESULT#${resultId}` }),
  /** What became of a result in Assembly (not a RESULT# item: the results stream filter passes only those). */
  resultDelivery: (centreId: string, resultId: string) => ({ PK: `CENTRE#${centreId}`, SK: `DELIVERY#${resultId}` }),
  /** A parked result's until-when and why (not a RESULT# item: the results stream passes only those). */
  parkedMark: (centreId: string, resultId: string) => ({ PK: `CENTRE#${centreId}`, SK: `PARKED#${resultId}` }),
  audit: (centreId: string, at: string, auditId: string) => ({ PK: `CENTRE#${centreId}`, SK: `AUDIT#${at}#${auditId}` }),
  assemblyConnection: (centreId: string) => ({ PK: `CENTRE#${centreId}`, SK: 'ASSEMBLY' }),
  sharing: (centreId: string) => ({ PK: `CENTRE#${centreId}`, SK: 'SHARING' }),
  /** The centre's newest nightly sync. */
  nightly: (centreId: string) => ({ PK: `CENTRE#${centreId}`, SK: 'NIGHTLY' }),
  /** The directory of connected centres the nightly sync goes through (a sparse GSI entry on the connection). */
  connectedIndex: (centreId: string) => ({ GSI1PK: 'CONNECTED', GSI1SK: centreId }),
  /**
   * What is due to be erased, across centres, by when: a sparse GSI entry on each deleted pupil
   * and teacher, and on each account whose access was removed. `subject` names it in its centre.
   */
  erasureIndex: (erasesAt: string, centreId: string, subject: string) => ({
    GSI1PK: 'ERASURE',
    GSI1SK: `${erasesAt}#${centreId}#${subject}`,
  }),
  /** Which centre an Assembly school is connected to: one centre per school. */
  assemblySchool: (assemblySchoolId: number) => ({ PK: `ASSEMBLYSCHOOL#${assemblySchoolId}`, SK: 'CENTRE' }),
  oauthState: (stateHash: string) => ({ PK: `OAUTHSTATE#${stateHash}`, SK: 'STATE' }),
  session: (tokenHash: string) => ({ PK: `SESSION#${tokenHash}`, SK: 'SESSION' }),
  setPasswordToken: (tokenHash: string) => ({ PK: `SETPASSWORD#${tokenHash}`, SK: 'TOKEN' }),
  /** Sign-in failures for one email, and for one email from one source address. */
  signInThrottle: (email: string, sourceAddress?: string) => ({
    PK: `SIGNIN#${normaliseEmail(email)}`,
    SK: sourceAddress === undefined ? 'THROTTLE' : `THROTTLE#${sourceAddress}`,
  }),
  /** Requests counted in a window, e.g. forgot-password requests for one email or from one address. */
  attempts: (bucket: string, subject: string) => ({ PK: `ATTEMPTS#${bucket}#${subject}`, SK: 'ATTEMPTS' }),
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
  result: 'RESULT#',
  resultDelivery: 'DELIVERY#',
  parkedMark: 'PARKED#',
  deletedPupil: 'DELETED#PUPIL#',
  deletedTeacher: 'DELETED#TEACHER#',
} as const;

const pad = (index: number) => String(index).padStart(5, '0');

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
