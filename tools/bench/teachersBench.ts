/**
 * `npm run bench:teachers`: the Teachers panel for 150 MIS staff against 100 Hub teachers once
 * the staff are fetched from Assembly, and a full Save and sync of 150 teachers through the
 * local pipeline (DynamoDB Local, local Step Functions, SES local).
 * `-- --school SCHOOL.json [--hub HUB.json]` measures that school's staff against that Hub's
 * teachers instead (docs/own-school.md).
 */
import './quietLogs';
import { parseArgs } from 'node:util';
import { staffMemberSchema } from '../../shared/assembly/schemas';
import { hubRecordsFrom } from '../../shared/files/hubFile';
import { readOwnSchool } from '../../infra/local/ownSchool';
import { generateTeacherScenario } from '../../shared/demo/matchingScenario';
import { HAND_ENTERED, type HubTeacher, type Session } from '../../shared/domain/records';
import { dependencies } from '../../shared/runtime/dependencies';
import { getRun, startRun } from '../../shared/sync/runs';
import { teachersRun, type TeacherEntry } from '../../shared/wizard/teachers/sync';
import { startTestStack } from '../../test/support/localStack';
import { figure } from './figures';
import {
  keepStaffSnapshot,
  saveAndSyncTeachers,
  misStaff,
  saveTeacherPlan,
  teachersPanelFromSnapshot,
} from '../../shared/wizard/teachers/useCases';

const { values: args } = parseArgs({ options: { school: { type: 'string' }, hub: { type: 'string' } } });
const own = readOwnSchool(args);
const stack = await startTestStack({ ownSchool: own });
try {
  const deps = dependencies();
  const centreId = 'bench-centre';
  const session: Session = {
    userId: 'bench-user',
    centreId,
    role: 'access_coordinator',
    expiresAt: Number.MAX_SAFE_INTEGER,
    sessionVersion: 0,
  };
  await deps.store.putCentreIfAbsent({ centreId, name: 'Bench Primary', urn: null, createdAt: new Date().toISOString() });
  const scenario = generateTeacherScenario('bench', 150, 100);
  const now = new Date().toISOString();
  const generatedHub: HubTeacher[] = scenario.hub.map((teacher) => ({
    teacherId: teacher.id,
    centreId,
    title: teacher.title,
    firstName: teacher.firstName ?? 'A',
    lastName: teacher.lastName ?? 'B',
    email: teacher.email,
    ...HAND_ENTERED,
    createdAt: now,
    updatedAt: now,
  }));
  const staff = own
    ? own.school.staff_members.map((member) => misStaff(staffMemberSchema.parse(member)))
    : scenario.mis.map((member) => ({
        misId: member.id,
        title: member.title,
        firstName: member.firstName,
        lastName: member.lastName,
        email: member.email,
        staffCode: member.staffCode ?? null,
        teaching: true,
      }));
  const hub = own ? (own.hub ? hubRecordsFrom(own.hub, centreId, now).teachers : []) : generatedHub;
  await deps.store.putTeachers(hub);
  await keepStaffSnapshot(deps, centreId, staff);

  const loads: number[] = [];
  let panel = await teachersPanelFromSnapshot(deps, session);
  for (let run = 0; run < 7; run++) {
    const started = performance.now();
    panel = await teachersPanelFromSnapshot(deps, session);
    loads.push(performance.now() - started);
  }
  loads.sort((a, b) => a - b);
  figure(
    'teachers.panelMs',
    loads[3]!,
    'ms',
    `Teachers panel, ${staff.length} MIS staff × ${hub.length} Hub teachers (staff already fetched): median ${loads[3]!.toFixed(0)} ms (target < 300 ms)`,
  );

  // Import every New member of staff, confirm every May match: every teacher in the run.
  const news = panel.rows.flatMap((row) => (row.status === 'new' ? [row.mis.id] : []));
  const mays = panel.rows.flatMap((row) => (row.status === 'mayMatch' ? [{ hubId: row.hub.id, misId: row.mis.id }] : []));
  // Staff without an email in the MIS are given one, as the co-ordinator types it in the panel.
  const values = Object.fromEntries(news.map((misId) => [misId, { email: `staff.${misId}@bench.sch.uk` }]));
  const saved = await saveTeacherPlan(deps, session, { ...panel.plan, imports: news, confirmed: mays, values });
  const reviewed = Object.fromEntries(
    saved.rows.flatMap((row) =>
      row.status === 'matched' ? [[row.hub.id, { misId: row.mis.id, version: row.hub.version }]] : [],
    ),
  );
  const started = performance.now();
  let run = await saveAndSyncTeachers(deps, session, { planVersion: saved.plan.version, reviewed });
  while (run.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    run = await getRun(deps, session, run.runId);
  }
  const seconds = (performance.now() - started) / 1000;
  figure(
    'teachers.saveSeconds',
    seconds,
    's',
    `Save and sync of ${run.progress.total} teachers (${run.counts.imported ?? 0} imported, ${run.counts.linked ?? 0} matched, ${run.notices.sent} welcome emails): ${run.status} in ${seconds.toFixed(2)} s (target < 5 s)`,
  );

  // A large run: 5,000 Hub teachers linked in 50 chunks (work list, outcomes and backups are items of their own).
  const bigCentre = 'bench-centre-5000';
  const bigSession: Session = { ...session, centreId: bigCentre };
  await deps.store.putCentreIfAbsent({ centreId: bigCentre, name: 'Bench Academy', urn: null, createdAt: now });
  const many: HubTeacher[] = Array.from({ length: 5000 }, (_, index) => ({
    teacherId: `bench-teacher-${index}`,
    centreId: bigCentre,
    title: 'Mx',
    firstName: 'Bench',
    lastName: `Teacher${index}`,
    email: null,
    ...HAND_ENTERED,
    createdAt: now,
    updatedAt: now,
  }));
  await deps.store.putTeachers(many);
  const entries: TeacherEntry[] = many.map((teacher, index) => ({
    op: 'link',
    hubId: teacher.teacherId,
    misId: `bench-mis-${index}`,
    replacesMisId: null,
    version: 0,
    label: teacher.teacherId,
    title: 'Dr',
    firstName: 'Bench',
    lastName: `Linked${index}`,
  }));
  const bigStarted = performance.now();
  let big = await startRun(deps, bigSession, teachersRun, entries);
  while (big.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 200));
    big = await getRun(deps, bigSession, big.runId);
  }
  const bigSeconds = (performance.now() - bigStarted) / 1000;
  figure(
    'teachers.run5000Seconds',
    bigSeconds,
    's',
    `Run of 5,000 links (${big.counts.linked ?? 0} linked, ${big.counts.skipped ?? 0} skipped): ${big.status} in ${bigSeconds.toFixed(1)} s, ${(5000 / bigSeconds).toFixed(0)} records/s on DynamoDB Local`,
  );
} finally {
  await stack.stop();
}
