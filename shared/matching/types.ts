/** What the matching engine returns for one kind of record (pupils or teachers). */
export interface ProposedPair {
  hubId: string;
  misId: string;
  /** Evidence weight (log-likelihood ratio, bits): higher is surer. */
  score: number;
  /** Which fields agree or conflict, in words an Access Co-ordinator understands. */
  reasons: string[];
  /**
   * The reasons that stopped an automatic match (twins, a rival of the same name, a different
   * gender or UPN): set on May match pairs that have any, so they are confirmed one by one.
   */
  conflicts?: string[];
}

export interface MatchResult {
  /** The system is reasonably certain: linked by an earlier sync, or strong evidence and no conflict. */
  matched: ProposedPair[];
  /** Close, but the user must confirm or unmatch. */
  mayMatch: ProposedPair[];
  /** MIS records with no Hub counterpart (ids). */
  new: string[];
  /** Hub records with no MIS counterpart (ids). */
  notMatched: string[];
}

export interface PupilRecord {
  id: string;
  upn: string | null;
  /** On a Hub record: the MIS record id it was linked to by an earlier sync. */
  misId: string | null;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  /** Other names the record is known by (legal names, former surnames), when given. */
  otherFirstNames?: readonly string[];
  otherLastNames?: readonly string[];
  /** YYYY-MM-DD */
  dob: string | null;
  gender: 'F' | 'M' | null;
  yearCode: string | null;
}

export interface TeacherRecord {
  id: string;
  title: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** On a Hub record: the MIS record id it was linked to by an earlier sync. */
  misId: string | null;
  /** On an MIS record: the school's staff code, when known. */
  staffCode?: string | null;
}
