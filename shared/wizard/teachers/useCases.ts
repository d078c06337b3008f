import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { AssemblyStaffMember } from '../../assembly/schemas';
import { withSchoolTokens } from '../../connection/authorisation';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../../core/errors';
import {
  misStaffSchema,
  hubTeacherSchema,
  type Account,
  type HubTeacher,
  type MisStaff,
  type Session,
} from '../../domain/records';
import type { Dependencies } from '../../runtime/dependencies';
import { restoredRecord } from '../../sync/backups';
import { startLoad, type LoadKind, type LoadView } from '../../sync/loads';
import { latestRun, startRun, type RunView } from '../../sync/runs';
import { tickImports, unmatchPair } from '../review/operations';
import { loadPlan, planProblems, STALE_PLAN, storePlan, type ReviewPlan } from '../review/plan';
import { batchCreateEmails, EMAIL_FORMATS, guessEmailFormat } from './emails';
import { buildTeachersReview, emailOf, TEACHER_SYNCED_FIELDS, type TakenEmail, type TeachersReview } from './panel';
import { fullName, importedMisIdOf, importedTeacherId } from './ids';
import { teachersRun, type TeacherEntry } from './sync';

const PANEL = 'teachers';
const SNAPSHOT = 'snapshot#staff';
const snapshotSchema = z.object({ fetchedAt: z.string(), staff: z.array(misStaffSchema) });

/** The panel, the plan behind it, how to batch-create addresses, and the newest run's progress. */
export type TeachersPanelView = TeachersReview & {
  plan: ReviewPlan;
  emailFormat: { format: string; domain: string } | null;
  run: RunView | null;
};

export const batchEmailsBody = z.object({
  format: z.union([
    z.enum(EMAIL_FORMATS),
    z
      .string()
      .max(100)
      .regex(/\{(first|last|f|l)\}/, 'A custom pattern needs {first}, {last}, {f} or {l}'),
  ]),
  domain: z
    .string({ error: 'Enter your school’s email domain' })
    .trim()
    .regex(/^@?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i, 'Enter a domain such as oakfield.sch.uk'),
  /** Only show what would be created. */
  preview: z.boolean().optional(),
  /** Also replace the addresses the MIS gave; by default only people with no address get one. */
  replaceMisAddresses: z.boolean().optional(),
});

/**
 * Save and sync names what the co-ordinator saw: the plan's version and, for each Matched pair,
 * the Hub record's version. A panel that has moved on since (another tab, a change in the Hub or
 * the MIS) is refused and reloaded; a record changed after this is skipped by the run.
 */
export const saveAndSyncBody = z.object({
  planVersion: z.number({ error: 'Send the plan’s version' }).int().nonnegative(),
  reviewed: z.record(
    z.string().min(1).max(100),
    z.object({ misId: z.string().min(1).max(100), version: z.number().int().nonnegative() }),
  ),
});

export const STALE_PANEL =
  'The Teachers panel has changed since you loaded it (in another tab, in the Admin Hub or in your MIS). It has been reloaded: please check it and save again.';

export const unmatchSyncedBody = z.object({ hubId: z.string({ error: 'Choose a teacher' }).min(1, 'Choose a teacher').max(100) });

/** The Teachers panel's load job: all MIS staff through Assembly, page by page, kept as the snapshot. */
export const teachersLoad: LoadKind = {
  kind: PANEL,
  async fetch(deps, centreId, progress) {
    const connection = await connected(deps, centreId);
    const listing = await withSchoolTokens(deps, connection, (assembly, tokens) =>
      assembly.staffMembers(tokens, { onPage: progress }),
    );
    if (listing.notModified) return;
    await keepStaffSnapshot(deps, centreId, listing.items.map(misStaff));
  },
};

/** Opening the panel: loads the MIS staff as a job the panel polls. */
export async function loadTeachers(deps: Dependencies, session: Session): Promise<LoadView> {
  await connected(deps, session.centreId);
  return startLoad(deps, session, teachersLoad);
}

async function connected(deps: Dependencies, centreId: string) {
  const connection = await deps.store.getAssemblyConnection(centreId);
  if (!connection || connection.status !== 'connected')
    throw new ConflictError('Connect to Assembly on the Authorisation step first.', 'not_connected');
  return connection;
}

/** The MIS staff as last fetched, so that editing the plan needs no new Assembly calls. */
export async function keepStaffSnapshot(deps: Dependencies, centreId: string, staff: readonly MisStaff[]): Promise<void> {
  const now = deps.clock.now().toISOString();
  await deps.store.putDocument(centreId, SNAPSHOT, JSON.stringify({ fetchedAt: now, staff }), 'any', now);
}

/** The panel from the last MIS staff fetched (no Assembly call): what the co-ordinator reviews and Save and sync acts on. */
export async function teachersPanelFromSnapshot(deps: Dependencies, session: Session): Promise<TeachersPanelView> {
  return panelView(deps, session, await snapshotStaff(deps, session), await loadPlan(deps, session.centreId, PANEL));
}

/** Saves the working plan if nobody changed it meanwhile, and returns the panel it gives. */
export async function saveTeacherPlan(deps: Dependencies, session: Session, plan: ReviewPlan): Promise<TeachersPanelView> {
  const [staff, hub] = await Promise.all([snapshotStaff(deps, session), hubOf(deps, session)]);
  const hubIds = new Set(hub.teachers.map((teacher) => teacher.teacherId));
  const problems = planProblems(plan, hubIds, new Set(staff.map((member) => member.misId)), {
    hub: 'teacher',
    mis: 'member of staff',
  });
  for (const [misId, values] of Object.entries(plan.values))
    if (Object.keys(values).some((field) => field !== 'email')) problems[`values.${misId}`] = 'Only an email can be given here';
  if (Object.keys(problems).length) throw new ValidationError(problems);
  return panelView(deps, session, staff, await storePlan(deps, session.centreId, PANEL, plan), hub);
}

/** Batch create email addresses for the ticked new teachers from the school's format (or preview them). */
export async function createTeacherEmails(
  deps: Dependencies,
  session: Session,
  body: z.infer<typeof batchEmailsBody>,
): Promise<TeachersPanelView & { created: { misId: string; email: string }[] }> {
  const [staff, plan, hub] = await Promise.all([
    snapshotStaff(deps, session),
    loadPlan(deps, session.centreId, PANEL),
    hubOf(deps, session),
  ]);
  const panel = await panelView(deps, session, staff, plan, hub);
  const importing = panel.rows.flatMap((row) =>
    row.status === 'new' && row.import && (body.replaceMisAddresses || !row.mis.email) ? [row.mis] : [],
  );
  const importingIds = new Set(importing.map((person) => person.id));
  const taken = [
    ...takenEmails(session.centreId, hub).map((entry) => entry.email),
    // Ticked teachers keeping the address the MIS gave them.
    ...panel.rows.flatMap((row) =>
      row.status === 'new' && row.import && !importingIds.has(row.mis.id) && row.mis.email ? [row.mis.email] : [],
    ),
    ...Object.entries(plan.values)
      .filter(([misId]) => !importingIds.has(misId))
      .flatMap(([, values]) => (values.email ? [values.email] : [])),
  ];
  const created = batchCreateEmails(
    importing.map((person) => ({ misId: person.id, firstName: person.firstName, lastName: person.lastName })),
    body.format,
    body.domain,
    taken,
  );
  const list = [...created].map(([misId, email]) => ({ misId, email }));
  if (body.preview) return { ...panel, created: list };
  const values = { ...plan.values };
  for (const [misId, email] of created) values[misId] = { ...values[misId], email };
  return { ...(await saveTeacherPlan(deps, session, { ...plan, values })), created: list };
}

/** Save and sync: the plan must be complete; it is frozen into a run and the pipeline starts. */
export async function saveAndSyncTeachers(
  deps: Dependencies,
  session: Session,
  body: z.infer<typeof saveAndSyncBody>,
): Promise<RunView> {
  const staff = await snapshotStaff(deps, session);
  const plan = await loadPlan(deps, session.centreId, PANEL);
  if (plan.version !== body.planVersion) throw new ConflictError(STALE_PLAN, 'stale_plan');
  const hub = await hubOf(deps, session);
  const teachers = new Map(hub.teachers.map((teacher) => [teacher.teacherId, teacher]));
  const panel = buildTeachersReview(hub.teachers, staff, plan, takenEmails(session.centreId, hub));
  if (panel.problems.length) throw new UnprocessableError(`Before you save: ${panel.problems.join('; ')}.`);
  const byMisId = new Map(staff.map((member) => [member.misId, member]));
  const entries: TeacherEntry[] = panel.rows.flatMap((row): TeacherEntry[] => {
    if (row.status === 'matched') {
      const hub = teachers.get(row.hub.id)!;
      const seen = body.reviewed[hub.teacherId];
      if (seen?.misId !== row.mis.id) throw new ConflictError(STALE_PANEL, 'stale_plan');
      // Matched by its own link and nothing to change: no write needed.
      if (row.source === 'linked' && hub.syncStatus === 'synced' && row.overwritten.length === 0) return [];
      const member = byMisId.get(row.mis.id)!;
      return [
        {
          op: 'link',
          hubId: hub.teacherId,
          misId: member.misId,
          replacesMisId: hub.misId && hub.misId !== member.misId ? hub.misId : null,
          // As the co-ordinator saw it: a record changed since is left alone and reported.
          version: seen.version,
          label: fullName(member),
          title: member.title,
          firstName: member.firstName,
          lastName: member.lastName,
        },
      ];
    }
    if (row.status === 'new' && row.import) {
      const member = byMisId.get(row.mis.id)!;
      return [
        {
          op: 'import',
          misId: member.misId,
          label: fullName(member),
          title: member.title,
          firstName: member.firstName ?? '',
          lastName: member.lastName ?? '',
          email: emailOf(member, plan),
        },
      ];
    }
    return [];
  });
  entries.push(...(await welcomesOwed(deps, session.centreId, [...teachers.values()])));
  return startRun(deps, session, teachersRun, entries);
}

/**
 * Teachers imported by an earlier run who were never welcomed: that run failed before its
 * emails, or SES refused one. Each Save and sync sends them their email (once: it is claimed).
 */
async function welcomesOwed(deps: Dependencies, centreId: string, teachers: readonly HubTeacher[]): Promise<TeacherEntry[]> {
  const sent = new Set(
    (await deps.store.listWelcomeClaims(centreId)).filter((claim) => claim.status === 'sent').map((claim) => claim.misId),
  );
  return teachers.flatMap((teacher): TeacherEntry[] =>
    teacher.misId &&
    teacher.syncStatus === 'synced' &&
    teacher.email &&
    teacher.teacherId === importedTeacherId(centreId, teacher.misId) &&
    !sent.has(teacher.misId)
      ? [
          {
            op: 'welcome',
            misId: teacher.misId,
            label: fullName(teacher),
            firstName: teacher.firstName,
            email: teacher.email,
          },
        ]
      : [],
  );
}

/**
 * Unmatching a synced teacher: the Hub record is restored from the newest backup taken before
 * it was linked, from any run (an imported teacher, who had no earlier record, loses the link);
 * the pair stays apart in the plan, so the Hub side shows Not matched and the MIS side New.
 */
export async function unmatchSyncedTeacher(
  deps: Dependencies,
  session: Session,
  hubId: string,
): Promise<TeachersPanelView & { restored: { fields: string[]; fromRun: string | null } }> {
  const teacher = await deps.store.getTeacher(session.centreId, hubId);
  if (!teacher) throw new NotFoundError('No such teacher');
  if (!teacher.misId || teacher.syncStatus === 'none') throw new UnprocessableError('This teacher is not synced with your MIS.');
  const misId = teacher.misId;
  const { record, restoredFromRun } = await restoredRecord(
    deps,
    session.centreId,
    'teacher',
    hubId,
    teacher,
    TEACHER_SYNCED_FIELDS,
    (stored) => hubTeacherSchema.parse(stored),
  );
  const written = await deps.store.restoreRecord({
    centreId: session.centreId,
    recordKind: 'teacher',
    hubId,
    record,
    expectedVersion: teacher.version,
    freesMisId: misId,
  });
  if (!written.ok) throw new ConflictError('This teacher was changed while you unmatched them. Please try again.');

  // The pair stays apart, and the MIS person is not ticked for import.
  const plan = await loadPlan(deps, session.centreId, PANEL);
  await storePlan(deps, session.centreId, PANEL, tickImports(unmatchPair(plan, { hubId, misId }, false), [misId], false));
  const now = deps.clock.now().toISOString();
  await deps.store.appendAudit({
    auditId: randomUUID(),
    centreId: session.centreId,
    actorUserId: session.userId,
    action: 'teacher.unmatched',
    subject: `teacher:${hubId}`,
    at: now,
    detail: { misId, restoredFromRun: restoredFromRun ?? '' },
  });
  const changed = TEACHER_SYNCED_FIELDS.filter((field) => record[field] !== teacher[field]);
  return {
    ...(await teachersPanelFromSnapshot(deps, session)),
    restored: { fields: changed, fromRun: restoredFromRun },
  };
}

/** The centre's Hub teachers and sign-in accounts, read once for everything a request works out from them. */
interface HubPeople {
  teachers: HubTeacher[];
  accounts: Account[];
}

async function hubOf(deps: Dependencies, session: Session): Promise<HubPeople> {
  const [teachers, accounts] = await Promise.all([
    deps.store.listTeachers(session.centreId),
    deps.store.listAccounts(session.centreId),
  ]);
  return { teachers, accounts };
}

async function panelView(
  deps: Dependencies,
  session: Session,
  staff: MisStaff[],
  plan: ReviewPlan,
  known?: HubPeople,
): Promise<TeachersPanelView> {
  const [hub, run] = await Promise.all([known ?? hubOf(deps, session), latestRun(deps, session, teachersRun.kind)]);
  const people = [
    ...hub.teachers.map((teacher) => ({ firstName: teacher.firstName, lastName: teacher.lastName, email: teacher.email })),
    ...staff,
  ];
  return {
    ...buildTeachersReview(hub.teachers, staff, plan, takenEmails(session.centreId, hub)),
    plan,
    emailFormat: guessEmailFormat(people),
    run,
  };
}

async function snapshotStaff(deps: Dependencies, session: Session): Promise<MisStaff[]> {
  const stored = await deps.store.getDocument(session.centreId, SNAPSHOT);
  if (!stored) throw new ConflictError('Open the Teachers panel first, so that your MIS staff are loaded.', 'not_loaded');
  return snapshotSchema.parse(JSON.parse(stored.text)).staff;
}

/** Addresses Hub users already have: a new teacher cannot take one (but their own, if imported before). */
function takenEmails(centreId: string, hub: HubPeople): TakenEmail[] {
  return [
    ...hub.teachers.flatMap((teacher) =>
      teacher.email ? [{ email: teacher.email, owner: importedMisIdOf(centreId, teacher.teacherId) }] : [],
    ),
    ...hub.accounts.map((account) => ({ email: account.email, owner: importedMisIdOf(centreId, account.userId) })),
  ];
}

export function misStaff(member: AssemblyStaffMember): MisStaff {
  const primary = member.emails?.find((email) => email.is_primary)?.email ?? member.emails?.[0]?.email ?? member.email ?? null;
  return {
    misId: String(member.id),
    title: member.title ?? null,
    firstName: member.first_name ?? null,
    lastName: member.last_name ?? null,
    email: primary,
    staffCode: member.staff_code ?? null,
    teaching: member.is_teaching_staff ?? null,
  };
}
