import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { runNight } from '../../infra/local/nightly';
import { LOCAL_NIGHTLY_STATE_MACHINE_ARN } from '../../infra/local/stepFunctions';
import { demoCentre } from '../../shared/demo/seedDemo';
import { schoolFileSchema, type SchoolFile } from '../../shared/files/schoolFile';
import { dependencies } from '../../shared/runtime/dependencies';
import { NIGHTLY_USER, planCentre } from '../../shared/nightly/centre';
import type { NightlyRecord } from '../../shared/domain/records';
import { syncPipeline } from '../../shared/sync/pipeline';
import { runKinds } from '../../shared/wizard/steps';
import { nightlyRun } from '../../shared/nightly/run';
import { createRun } from '../../shared/sync/runs';
import { pupilsRun } from '../../shared/wizard/pupils/sync';
import { connectThroughConsent, startStandInForHandlers } from '../support/assembly';
import { emailsTo, startPipelineEngines } from '../support/engines';
import { signInAsDemoCoordinator } from '../support/hub';
import { syncAllPupils, syncYearGroupsAndClasses } from '../support/panels';

/**
 * The nightly sync on the local engines: the nightly state machine (its Map, the sync pipeline
 * as a child execution, the lock's waits) in aws-local-stepfunctions, the handlers on DynamoDB
 * Local, the digest through SES local, and the stand-in's school changed overnight.
 */
let standIn: AssemblyStandIn;
let engines: Awaited<ReturnType<typeof startPipelineEngines>>;
const centreId = demoCentre.centreId;
const store = () => dependencies().store;
const night = async () => {
  const ended = await runNight({
    endpoint: process.env.AWS_ENDPOINT_URL_SFN!,
    stateMachineArn: LOCAL_NIGHTLY_STATE_MACHINE_ARN,
    centreIds: [centreId],
  });
  // Why, when it did not succeed.
  if (ended.status !== 'SUCCEEDED') console.error('NIGHT FAILED', JSON.stringify(ended));
  return ended;
};

type Row = Record<string, unknown> & { id: number };
const school = () => schoolFileSchema.parse(standIn.served().toFile()) as unknown as Record<string, Row[]> & SchoolFile;

beforeAll(async () => {
  standIn = await startStandInForHandlers(demoCentre.seed);
  engines = await startPipelineEngines({ retryIntervalMs: 0, waitMs: 10 });
  const coordinator = await signInAsDemoCoordinator();
  await connectThroughConsent(standIn, coordinator);
  await syncYearGroupsAndClasses(coordinator, { teachers: true });
  await syncAllPupils(coordinator);
}, 300_000);
afterAll(async () => {
  engines?.stop();
  await standIn?.stop();
});

describe('the nightly sync', () => {
  it('changes nothing the night after the panels were run', async () => {
    expect(await night()).toMatchObject({ status: 'SUCCEEDED' });
    const record = await store().getNightly(centreId);
    expect(record).toMatchObject({
      status: 'synced',
      full: true,
      counts: { imported: 0, linked: 0, changed: 0, outOfSync: 0, errors: 0 },
    });
  });

  it('applies a night’s MIS changes exactly, lists what waits, and sends the digest', async () => {
    const file = school();
    const pupils = await store().listPupils(centreId);
    const classes = await store().listClasses(centreId);
    const synced = pupils.filter((pupil) => pupil.syncStatus === 'synced');
    const syncedClass = new Set(classes.flatMap((group) => (group.syncStatus === 'synced' && group.misId ? [group.misId] : [])));
    const registration = file.registration_groups.filter(
      (group) => ((group.student_ids as number[]) ?? []).length > 1 && syncedClass.has(`reg-${group.id}`),
    );
    const [from, to] = [registration[0]!, registration.find((group) => group !== registration[0])!];
    const fromIds = from.student_ids as number[];
    const mover = synced.find((pupil) => pupil.misId === String(fromIds[0]))!;
    const renamed = synced.find((pupil) => pupil.misId === String(fromIds[1]))!;
    const leaver = synced.find(
      (pupil) => pupil.misId !== mover.misId && pupil.misId !== renamed.misId && pupil.classIds.length > 0,
    )!;
    const template = file.students.find((student) => String(student.id) === mover.misId)!;
    const yearGroup = file.year_groups.find((group) => ((group.student_ids as number[]) ?? []).includes(template.id))!;
    const nextId = Math.max(...file.students.map((student) => student.id), ...file.students_left.map((s) => s.id)) + 1;
    const joiner = { ...template, id: nextId, first_name: 'Ottoline', last_name: 'Quennell', upn: null, dob: '2018-02-03' };
    const waiter = { ...template, id: nextId + 1, first_name: 'Peregrine', last_name: 'Ashdown', upn: null, dob: '2018-05-06' };
    const newClassId = Math.max(...file.teaching_groups.map((group) => group.id)) + 1;
    const newTeacherId = Math.max(...file.staff_members.map((member) => member.id)) + 1;
    const leaving = file.students.find((student) => String(student.id) === leaver.misId)!;
    const without = (ids: unknown, ...gone: number[]) => ((ids as number[]) ?? []).filter((id) => !gone.includes(id));
    const changed = {
      ...file,
      students: [
        ...file.students
          .filter((student) => student.id !== leaving.id)
          .map((student) => (String(student.id) === renamed.misId ? { ...student, first_name: 'Marigold' } : student)),
        joiner,
        waiter,
      ],
      students_left: [...file.students_left, { ...leaving, end_date: '2026-12-02' }],
      year_groups: file.year_groups.map((group) =>
        group === yearGroup
          ? { ...group, student_ids: [...without(group.student_ids, leaving.id), joiner.id, waiter.id] }
          : { ...group, student_ids: without(group.student_ids, leaving.id) },
      ),
      registration_groups: file.registration_groups.map((group) =>
        group === from
          ? { ...group, student_ids: [...without(group.student_ids, Number(mover.misId), leaving.id), joiner.id] }
          : group === to
            ? { ...group, student_ids: [...without(group.student_ids, leaving.id), Number(mover.misId)] }
            : { ...group, student_ids: without(group.student_ids, leaving.id) },
      ),
      teaching_groups: [
        ...file.teaching_groups.map((group) => ({ ...group, student_ids: without(group.student_ids, leaving.id) })),
        { ...file.teaching_groups[0]!, id: newClassId, name: '5Z Art club', student_ids: [waiter.id], supervisor_ids: [] },
      ],
      staff_members: [
        ...file.staff_members,
        { ...file.staff_members[0]!, id: newTeacherId, first_name: 'Hester', last_name: 'Lovibond', is_teaching_staff: true },
      ],
    };
    standIn.replaceSchool(schoolFileSchema.parse(changed));

    expect(await night()).toMatchObject({ status: 'SUCCEEDED' });
    const record = (await store().getNightly(centreId))!;
    expect(record).toMatchObject({
      status: 'synced',
      full: false,
      counts: { imported: 1, linked: 0, outOfSync: 1, errors: 0 },
      waiting: {
        teachers: { count: 1, names: [expect.stringContaining('Hester Lovibond')] },
        classes: { count: 1, names: ['5Z Art club'] },
        pupils: { count: 1, names: ['Peregrine Ashdown'] },
      },
      digest: 'sent',
    });
    // The renamed pupil and the mover.
    expect(record.counts.changed).toBe(2);

    const after = new Map((await store().listPupils(centreId)).map((pupil) => [pupil.misId, pupil]));
    const classOf = (misId: string) => classes.find((group) => group.misId === misId)!.classId;
    const imported = after.get(String(joiner.id))!;
    expect(imported).toMatchObject({ syncStatus: 'synced', firstName: 'Ottoline', yearGroupId: mover.yearGroupId });
    expect(imported.classIds).toContain(classOf(`reg-${from.id}`));
    expect(after.get(renamed.misId)).toMatchObject({ firstName: 'Marigold', syncStatus: 'synced' });
    expect(after.get(mover.misId)!.classIds).toContain(classOf(`reg-${to.id}`));
    expect(after.get(mover.misId)!.classIds).not.toContain(classOf(`reg-${from.id}`));
    expect(after.get(leaver.misId)).toMatchObject({ syncStatus: 'out_of_sync', syncReason: 'left_mis' });
    expect(after.has(String(waiter.id))).toBe(false);
    const teachers = await store().listTeachers(centreId);
    expect(teachers.some((teacher) => teacher.misId === String(newTeacherId))).toBe(false);

    const [digest] = await emailsTo(engines.sesUrl, 'jgriffiths@stmarys.sch.uk');
    expect(digest?.subject).toMatch(/MIS data sync: 4 changes last night/);
    expect(digest?.body.text).toContain('1 new teacher in your MIS: import them in the Teachers panel');
    expect(digest?.body.text).toContain('Peregrine Ashdown');
  });

  it('changes nothing on a second night, and an unchanged school costs at most 2 requests', async () => {
    const before = await store().listPupils(centreId);
    const requests = standIn.served().apiRequests;
    expect(await night()).toMatchObject({ status: 'SUCCEEDED' });
    expect(standIn.served().apiRequests - requests).toBeLessThanOrEqual(2);
    expect(await store().getNightly(centreId)).toMatchObject({ status: 'unchanged' });
    expect(await store().listPupils(centreId)).toEqual(before);
  });

  it('waits out a 429 in the state machine and completes', async () => {
    standIn.faults.rateLimitNext = 1;
    expect(await night()).toMatchObject({ status: 'SUCCEEDED' });
    expect(standIn.faults.rateLimitNext).toBe(0);
    expect(await store().getNightly(centreId)).toMatchObject({ status: 'unchanged' });
  });

  it('asks a locked centre again later, then skips it with a note; a Save meanwhile names the nightly', async () => {
    const held = await createRun(dependencies(), { centreId, startedBy: 'someone' }, pupilsRun, []);
    expect(await night()).toMatchObject({ status: 'SUCCEEDED' });
    expect(await store().getNightly(centreId)).toMatchObject({
      status: 'skipped_locked',
      lockedTries: 4,
      note: expect.stringContaining('still running'),
    });
    await store().endRun({ ...held, status: 'succeeded', step: 'done', finishedAt: new Date().toISOString() });

    const nightly = await createRun(dependencies(), { centreId, startedBy: NIGHTLY_USER }, nightlyRun, []);
    await expect(createRun(dependencies(), { centreId, startedBy: 'someone' }, pupilsRun, [])).rejects.toThrow(
      /Tonight’s automatic sync \(started at \d\d:\d\d UTC\) is still running/,
    );
    await store().endRun({ ...nightly, status: 'succeeded', step: 'done', finishedAt: new Date().toISOString() });
  });
  it('takes up its own run after a crash past creating it, never leaving it to hold the lock', async () => {
    const file = school();
    const synced = new Set(
      (await store().listPupils(centreId)).flatMap((pupil) => (pupil.syncStatus === 'synced' ? [pupil.misId] : [])),
    );
    const renamed = file.students.find((student) => synced.has(String(student.id)))!;
    standIn.replaceSchool(
      schoolFileSchema.parse({
        ...file,
        students: file.students.map((student) =>
          student.id === renamed.id ? { ...student, first_name: 'Wilhelmina' } : student,
        ),
      }),
    );
    const deps = dependencies();
    const nightId = 'night-with-a-crash';
    // The Lambda stops after the run is made, before tonight's record says so.
    const crashing = {
      ...deps,
      store: new Proxy(deps.store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (property === 'saveNightly')
            return async (record: NightlyRecord, expected: number) => {
              if (record.runId) throw new Error('crashed');
              return target.saveNightly(record, expected);
            };
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      }),
    };
    await expect(planCentre(crashing, { centreId, nightId })).rejects.toThrow('crashed');
    const again = await planCentre(deps, { centreId, nightId });
    expect(again.outcome).toBe('run');
    expect((await deps.store.getRunLock(centreId))?.runId).toBe(again.runId);
    await syncPipeline(deps, runKinds).fail({ centreId, runId: again.runId! });
  });

  it('lists the school in full the night a pupil vanishes without a leaving date', async () => {
    const file = school();
    const synced = (await store().listPupils(centreId)).filter(
      (pupil) => pupil.syncStatus === 'synced' && pupil.classIds.length > 0,
    );
    const vanished = Number(synced.at(-1)!.misId);
    const without = (group: Row) => ({
      ...group,
      student_ids: ((group.student_ids as number[]) ?? []).filter((id) => id !== vanished),
    });
    // Deleted in the MIS: gone from the listings, no leaving date. The weekly full listing is days away.
    standIn.replaceSchool(
      schoolFileSchema.parse({
        ...file,
        students: file.students.filter((student) => student.id !== vanished),
        year_groups: file.year_groups.map(without),
        registration_groups: file.registration_groups.map(without),
        teaching_groups: file.teaching_groups.map(without),
      }),
    );
    expect(await night()).toMatchObject({ status: 'SUCCEEDED' });
    expect(await store().getNightly(centreId)).toMatchObject({ full: true, counts: { errors: 0 } });
    const after = (await store().listPupils(centreId)).find((pupil) => pupil.misId === String(vanished));
    expect(after).toMatchObject({ syncStatus: 'out_of_sync', syncReason: 'left_mis' });
  });
});
