import * as z from 'zod';
import type { AssemblyStaffMember } from '../../assembly/schemas';
import {
  hubTeacherSchema,
  misStaffSchema,
  type Account,
  type HubTeacher,
  type MisStaff,
  type Session,
} from '../../domain/records';
import type { Dependencies } from '../../runtime/dependencies';
import {
  keepSnapshot,
  panelUseCases,
  reviewedVersion,
  saveAndSyncBody,
  snapshotRecords,
  stalePanel,
  unmatchSyncedBody,
  type PanelDefinition,
  type PanelView,
} from '../review/panel';
import { loadPlan, type ReviewPlan } from '../review/plan';
import { batchCreateEmails, EMAIL_FORMATS, guessEmailFormat } from './emails';
import { buildTeachersReview, emailOf, TEACHER_SYNCED_FIELDS, type TakenEmail, type TeachersReview } from './panel';
import { fullName, importedMisIdOf, importedTeacherId } from './ids';
import { teachersRun, type TeacherEntry } from './sync';

const PANEL = 'teachers';

/** The centre's Hub teachers and sign-in accounts, read once for everything a request works out from them. */
interface HubPeople {
  centreId: string;
  teachers: HubTeacher[];
  accounts: Account[];
}

/** The Teachers panel on the shared panel framework (review/panel.ts). */
export const teachersPanel: PanelDefinition<MisStaff, HubPeople, TeachersReview, TeacherEntry, HubTeacher> = {
  panel: PANEL,
  nouns: { hub: 'teacher', mis: 'member of staff', panelTitle: 'Teachers' },
  snapshot: { name: 'snapshot#staff', schema: misStaffSchema },
  misId: (member) => member.misId,
  async fetch(assembly, tokens, progress) {
    const listing = await assembly.staffMembers(tokens, { onPage: progress });
    return listing.notModified ? null : listing.items.map(misStaff);
  },
  context: hubOf,
  hubIds: (hub) => hub.teachers.map((teacher) => teacher.teacherId),
  review: (hub, staff, plan) => buildTeachersReview(hub.teachers, staff, plan, takenEmails(hub)),
  planValueFields: ['email'],
  extra: (hub, staff) => ({
    emailFormat: guessEmailFormat([
      ...hub.teachers.map((teacher) => ({ firstName: teacher.firstName, lastName: teacher.lastName, email: teacher.email })),
      ...staff,
    ]),
  }),
  async entries({ deps, session, context, view, mis, plan, reviewed }) {
    const teachers = new Map(context.teachers.map((teacher) => [teacher.teacherId, teacher]));
    const byMisId = new Map(mis.map((member) => [member.misId, member]));
    const entries: TeacherEntry[] = view.rows.flatMap((row): TeacherEntry[] => {
      if (row.status === 'matched') {
        const hub = teachers.get(row.hub.id)!;
        const version = reviewedVersion(teachersPanel, reviewed, hub.teacherId, row.mis.id);
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
            version,
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
    return entries;
  },
  run: teachersRun,
  restore: {
    recordKind: 'teacher',
    get: (deps, centreId, hubId) => deps.store.getTeacher(centreId, hubId),
    parse: (stored) => hubTeacherSchema.parse(stored),
    syncedFields: TEACHER_SYNCED_FIELDS,
  },
};

export const teachers = panelUseCases(teachersPanel);
export const teachersLoad = teachers.load;
export type TeachersPanelView = PanelView<TeachersReview> & { emailFormat: { format: string; domain: string } | null };

/** Opening the panel: loads the MIS staff as a job the panel polls. */
export const loadTeachers = teachers.startLoad;
/** The panel from the last MIS staff fetched (no Assembly call): what the co-ordinator reviews and Save and sync acts on. */
export const teachersPanelFromSnapshot = (deps: Dependencies, session: Session) =>
  teachers.view(deps, session) as Promise<TeachersPanelView>;
/** Saves the working plan if nobody changed it meanwhile, and returns the panel it gives. */
export const saveTeacherPlan = (deps: Dependencies, session: Session, plan: ReviewPlan) =>
  teachers.savePlan(deps, session, plan) as Promise<TeachersPanelView>;
export const saveAndSyncTeachers = teachers.saveAndSync;
export const unmatchSyncedTeacher = teachers.unmatch;
export { saveAndSyncBody, unmatchSyncedBody };
export const STALE_PANEL = stalePanel('Teachers');

/** The MIS staff as last fetched (tools and tests that bring their own). */
export const keepStaffSnapshot = (deps: Dependencies, centreId: string, staff: readonly MisStaff[]) =>
  keepSnapshot(deps, centreId, teachersPanel, staff);

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

/** Batch create email addresses for the ticked new teachers from the school's format (or preview them). */
export async function createTeacherEmails(
  deps: Dependencies,
  session: Session,
  body: z.infer<typeof batchEmailsBody>,
): Promise<TeachersPanelView & { created: { misId: string; email: string }[] }> {
  const [{ records: staff }, plan, hub] = await Promise.all([
    snapshotRecords(deps, session.centreId, teachersPanel as never),
    loadPlan(deps, session.centreId, PANEL),
    hubOf(deps, session),
  ]);
  const panel = teachersPanel.review(hub, staff as MisStaff[], plan, deps);
  const importing = panel.rows.flatMap((row) =>
    row.status === 'new' && row.import && (body.replaceMisAddresses || !row.mis.email) ? [row.mis] : [],
  );
  const importingIds = new Set(importing.map((person) => person.id));
  const taken = [
    ...takenEmails(hub).map((entry) => entry.email),
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
  if (body.preview) return { ...(await teachersPanelFromSnapshot(deps, session)), created: list };
  const values = { ...plan.values };
  for (const [misId, email] of created) values[misId] = { ...values[misId], email };
  return { ...(await saveTeacherPlan(deps, session, { ...plan, values })), created: list };
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

async function hubOf(deps: Dependencies, session: Session): Promise<HubPeople> {
  const [teachers, accounts] = await Promise.all([
    deps.store.listTeachers(session.centreId),
    deps.store.listAccounts(session.centreId),
  ]);
  return { centreId: session.centreId, teachers, accounts };
}

/** Addresses Hub users already have: a new teacher cannot take one (but their own, if imported before). */
function takenEmails(hub: HubPeople): TakenEmail[] {
  const { centreId } = hub;
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
