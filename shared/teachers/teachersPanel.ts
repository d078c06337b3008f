import { z } from 'zod';
import type { AssemblyStaffMember } from '../assembly/schemas';
import { withSchoolTokens } from '../connection/authorisation';
import type { Session } from '../domain/records';
import { ConflictError, ValidationError } from '../core/errors';
import type { Dependencies } from '../runtime/dependencies';
import { batchCreateEmails, EMAIL_FORMATS } from './emails';
import {
  buildTeachersPanel,
  emptyTeacherPlan,
  planProblems,
  proposeTeacherMatches,
  type MisStaff,
  type TeacherPlan,
  type TeachersPanel,
} from './panel';

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
});

/** Opens the panel: fetches all MIS staff through Assembly and matches them with the Hub's teachers. */
export async function openTeachersPanel(deps: Dependencies, session: Session): Promise<TeachersPanelView> {
  const connection = await deps.store.getAssemblyConnection(session.centreId);
  if (!connection || connection.status !== 'connected')
    throw new ConflictError('Connect to Assembly on the Authorisation step first.');
  const listing = await withSchoolTokens(deps, connection, (assembly, tokens) => assembly.staffMembers(tokens));
  const staff = listing.notModified
    ? ((await deps.store.getMisStaffSnapshot(session.centreId))?.staff ?? [])
    : listing.items.map(misStaff);
  await deps.store.putMisStaffSnapshot({ centreId: session.centreId, fetchedAt: deps.clock.now().toISOString(), staff });
  return panelFor(deps, session, staff, await currentPlan(deps, session));
}

/** The panel from the last MIS staff fetched (no Assembly call): what Save and sync acts on. */
export async function openTeachersPanelFromSnapshot(deps: Dependencies, session: Session): Promise<TeachersPanelView> {
  return panelFor(deps, session, await snapshotStaff(deps, session), await currentPlan(deps, session));
}

/** Saves the working plan (idempotent: the plan replaces the last one) and returns the panel it gives. */
export async function saveTeacherPlan(deps: Dependencies, session: Session, plan: TeacherPlan): Promise<TeachersPanelView> {
  const staff = await snapshotStaff(deps, session);
  const hubIds = new Set((await deps.store.listTeachers(session.centreId)).map((teacher) => teacher.teacherId));
  const problems = planProblems(plan, hubIds, new Set(staff.map((member) => member.misId)));
  if (Object.keys(problems).length) throw new ValidationError(problems);
  await deps.store.putTeacherPlan({ centreId: session.centreId, updatedAt: deps.clock.now().toISOString(), plan });
  return panelFor(deps, session, staff, plan);
}

/** Batch create email addresses for the ticked new teachers from the school's format. */
export async function createTeacherEmails(
  deps: Dependencies,
  session: Session,
  body: z.infer<typeof batchEmailsBody>,
): Promise<TeachersPanelView> {
  const staff = await snapshotStaff(deps, session);
  const plan = await currentPlan(deps, session);
  const panel = await panelFor(deps, session, staff, plan);
  const importing = panel.rows.flatMap((row) => (row.status === 'new' && row.import ? [row.mis] : []));
  const importingIds = new Set(importing.map((person) => person.id));
  const taken = [
    ...(await takenEmails(deps, session)),
    ...Object.entries(plan.emails)
      .filter(([misId]) => !importingIds.has(misId))
      .map(([, email]) => email),
  ];
  const created = batchCreateEmails(
    importing.map((person) => ({ misId: person.id, firstName: person.firstName, lastName: person.lastName })),
    body.format,
    body.domain,
    taken,
  );
  return saveTeacherPlan(deps, session, { ...plan, emails: { ...plan.emails, ...Object.fromEntries(created) } });
}

/** The panel and the plan behind it: the browser edits the plan and sends it back whole. */
export type TeachersPanelView = TeachersPanel & { plan: TeacherPlan };

async function panelFor(deps: Dependencies, session: Session, staff: MisStaff[], plan: TeacherPlan): Promise<TeachersPanelView> {
  const hubTeachers = await deps.store.listTeachers(session.centreId);
  const proposal = proposeTeacherMatches(hubTeachers, staff);
  return { ...buildTeachersPanel(hubTeachers, staff, proposal, plan, await takenEmails(deps, session)), plan };
}

async function currentPlan(deps: Dependencies, session: Session): Promise<TeacherPlan> {
  return (await deps.store.getTeacherPlan(session.centreId))?.plan ?? emptyTeacherPlan();
}

async function snapshotStaff(deps: Dependencies, session: Session): Promise<MisStaff[]> {
  const snapshot = await deps.store.getMisStaffSnapshot(session.centreId);
  if (!snapshot) throw new ConflictError('Open the Teachers panel first, so that your MIS staff are loaded.');
  return snapshot.staff;
}

/** Addresses Hub users already have: a new teacher cannot take one. */
async function takenEmails(deps: Dependencies, session: Session): Promise<string[]> {
  const [teachers, accounts] = await Promise.all([
    deps.store.listTeachers(session.centreId),
    deps.store.listAccounts(session.centreId),
  ]);
  return [...teachers.flatMap((teacher) => (teacher.email ? [teacher.email] : [])), ...accounts.map((account) => account.email)];
}

function misStaff(member: AssemblyStaffMember): MisStaff {
  const primary = member.emails?.find((email) => email.is_primary)?.email ?? member.emails?.[0]?.email ?? member.email ?? null;
  return {
    misId: String(member.id),
    title: member.title ?? null,
    firstName: member.first_name ?? null,
    lastName: member.last_name ?? null,
    email: primary,
    staffCode: member.staff_code ?? null,
  };
}
