/**
 * `npm run bench:panels`: the Year groups and Classes panels of a large school (15 year groups,
 * 120 classes, 80 synced teachers) once the MIS records are fetched from Assembly: the time from
 * the request to the panel's data, on DynamoDB Local.
 */
import './quietLogs';
import {
  HAND_ENTERED,
  type HubClassInput,
  type HubTeacher,
  type HubYearGroupInput,
  type Session,
} from '../../shared/domain/records';
import { dependencies } from '../../shared/runtime/dependencies';
import { keepSnapshot } from '../../shared/wizard/review/panel';
import type { MisClass } from '../../shared/wizard/classes/panel';
import { classes, classesPanel } from '../../shared/wizard/classes/useCases';
import type { MisYearGroup } from '../../shared/wizard/yearGroups/panel';
import { yearGroups, yearGroupsPanel } from '../../shared/wizard/yearGroups/useCases';
import { startTestStack } from '../../test/support/localStack';
import { figure } from './figures';

const CODES = ['N2', 'R', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13'];
const stack = await startTestStack();
try {
  const deps = dependencies();
  const centreId = 'bench-panels';
  const session: Session = {
    userId: 'bench-user',
    centreId,
    role: 'access_coordinator',
    expiresAt: Number.MAX_SAFE_INTEGER,
    sessionVersion: 0,
  };
  const now = new Date().toISOString();
  await deps.store.putCentreIfAbsent({ centreId, name: 'Bench Academy', urn: null, createdAt: now });

  const misYears: MisYearGroup[] = CODES.map((code, index) => ({
    misId: String(100 + index),
    code,
    name: code === 'R' ? 'Reception' : code === 'N2' ? 'Nursery' : `Year ${code}`,
    pupils: 180,
    academicYear: { name: '2026/2027', startDate: '2026-09-01' },
  }));
  const hubYears: HubYearGroupInput[] = CODES.slice(1).map((code) => ({
    yearGroupId: `hub-year-${code}`,
    centreId,
    name: `Yr ${code}`,
    yearCode: code,
    intakeYear: null,
    ...HAND_ENTERED,
  }));
  const teachers: HubTeacher[] = Array.from({ length: 80 }, (_, index) => ({
    teacherId: `hub-teacher-${index}`,
    centreId,
    title: 'Ms',
    firstName: 'Teacher',
    lastName: `Number${index}`,
    email: `teacher.${index}@bench.example`,
    ...HAND_ENTERED,
    misId: String(5000 + index),
    syncStatus: 'synced',
    createdAt: now,
    updatedAt: now,
  }));
  const misClasses: MisClass[] = Array.from({ length: 120 }, (_, index) => {
    const code = CODES[1 + (index % 14)]!;
    return {
      misId: index < 60 ? `reg-${index}` : `teach-${index}`,
      kind: index < 60 ? 'registration' : 'teaching',
      name: index < 60 ? `${code}${String.fromCharCode(65 + (index % 5))}` : `${code} MA ${index}`,
      subject: index < 60 ? null : 'Mathematics',
      pupils: 28,
      years: index % 17 === 0 ? [code, CODES[2 + (index % 13)]!] : [code],
      supervisors: [{ misId: String(5000 + (index % 90)), name: `Teacher ${index % 90}` }],
    };
  });
  const hubClasses: HubClassInput[] = misClasses.slice(0, 100).map((group, index) => ({
    classId: `hub-class-${index}`,
    centreId,
    name: index % 3 === 0 ? group.name.toLowerCase() : `${group.name} (old)`,
    description: null,
    yearGroupId: `hub-year-${group.years[0]}`,
    ...HAND_ENTERED,
  }));
  await deps.store.putYearGroups(hubYears);
  await deps.store.putTeachers(teachers);
  await deps.store.putClasses(hubClasses);
  await keepSnapshot(deps, centreId, yearGroupsPanel, misYears);
  await keepSnapshot(deps, centreId, classesPanel, misClasses);

  const median = async (view: () => Promise<unknown>) => {
    await view();
    const times: number[] = [];
    for (let run = 0; run < 7; run++) {
      const started = performance.now();
      await view();
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[3]!;
  };
  const years = await median(() => yearGroups.view(deps, session));
  const groups = await median(() => classes.view(deps, session));
  figure(
    'panels.yearGroupsMs',
    years,
    'ms',
    `Year groups panel, ${misYears.length} MIS × ${hubYears.length} Hub year groups (fetched): median ${years.toFixed(0)} ms (target < 300 ms)`,
  );
  figure(
    'panels.classesMs',
    groups,
    'ms',
    `Classes panel, ${misClasses.length} MIS × ${hubClasses.length} Hub classes, ${teachers.length} teachers (fetched): median ${groups.toFixed(0)} ms (target < 300 ms)`,
  );
} finally {
  await stack.stop();
}
