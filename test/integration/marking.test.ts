import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { handler as markingHandler } from '../../functions/results/marking';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { demoCentre } from '../../shared/demo/seedDemo';
import type { HubClass } from '../../shared/domain/records';
import type { ClassMarking, MarkingOverview } from '../../shared/results/marking';
import { dependencies } from '../../shared/runtime/dependencies';
import { connectThroughConsent, startStandInForHandlers } from '../support/assembly';
import { startPipelineEngines } from '../support/engines';
import { apiEvent, call, givenAccount, sessionCookieFrom, signInAsDemoCoordinator, tableSnapshot } from '../support/hub';
import { syncYearGroupsAndClasses } from '../support/panels';

let standIn: AssemblyStandIn;
let engines: Awaited<ReturnType<typeof startPipelineEngines>>;
let coordinator: string;
let teacher: string;
let taught: HubClass;
let other: HubClass;

const send = (cookie: string, key: string, options: Omit<Parameters<typeof apiEvent>[1], 'cookies'> = {}) =>
  call(markingHandler, apiEvent(key, { cookies: [cookie], ...options }));
const mark = (cookie: string, pupilId: string, paperId: string, body: Record<string, unknown>) =>
  send(cookie, 'PUT /api/marking/pupils/{pupilId}/results/{paperId}', { pathParameters: { pupilId, paperId }, body });
const classView = async (cookie: string, classId: string) =>
  (await send(cookie, 'GET /api/marking/classes/{classId}', { pathParameters: { classId } })).body as unknown as ClassMarking;

beforeAll(async () => {
  standIn = await startStandInForHandlers(demoCentre.seed);
  engines = await startPipelineEngines();
  coordinator = await signInAsDemoCoordinator();
  await connectThroughConsent(standIn, coordinator);
  await syncYearGroupsAndClasses(coordinator, { teachers: true });
  // Pupils in their classes: the demo Hub's pupils are in its classes already.
  const classes = await dependencies().store.listClasses(demoCentre.centreId);
  const pupils = await dependencies().store.listPupils(demoCentre.centreId);
  const withPupils = (group: HubClass) => pupils.some((pupil) => pupil.classIds.includes(group.classId));
  taught = classes.find((group) => group.teacherIds.length > 0 && withPupils(group))!;
  other = classes.find((group) => !group.teacherIds.includes(taught.teacherIds[0]!) && withPupils(group))!;
  const account = await givenAccount(demoCentre.centreId, 'teacher', 'marking-teacher-2026', taught.teacherIds[0]!);
  teacher = sessionCookieFrom(
    (
      await call(
        signInHandler,
        apiEvent('POST /api/auth/sign-in', { body: { email: account.email, password: account.password } }),
      )
    ).cookies,
  );
}, 120_000);
afterAll(async () => {
  await standIn?.stop();
  engines?.stop();
});

describe('marking MARK papers', () => {
  it('offers a teacher the classes they teach, and the co-ordinator every class', async () => {
    const mine = (await send(teacher, 'GET /api/marking')).body as unknown as MarkingOverview;
    expect(mine.classes.map((group) => group.classId)).toContain(taught.classId);
    expect(mine.classes.map((group) => group.classId)).not.toContain(other.classId);
    expect(mine.papers.find((paper) => paper.paperId === 'maths-3-autumn')).toMatchObject({ words: 'Maths, Year 3, Autumn' });
    const all = (await send(coordinator, 'GET /api/marking')).body as unknown as MarkingOverview;
    expect(all.classes.length).toBe((await dependencies().store.listClasses(demoCentre.centreId)).length);
  });

  it('records a mark for a pupil of the teacher’s class, and changes the same item when it is marked again', async () => {
    const pupil = (await classView(teacher, taught.classId)).pupils[0]!;
    const first = await mark(teacher, pupil.pupilId, 'maths-3-autumn', {
      rawMark: 31,
      standardisedScore: 104,
      sat: '2026-11-12',
      version: 0,
    });
    expect(first).toMatchObject({ status: 200, body: { paperId: 'maths-3-autumn', standardisedScore: 104, version: 1 } });
    // A double click sends the same again: refused as stale, nothing written twice.
    const before = await tableSnapshot();
    expect(
      await mark(teacher, pupil.pupilId, 'maths-3-autumn', {
        rawMark: 31,
        standardisedScore: 104,
        sat: '2026-11-12',
        version: 0,
      }),
    ).toMatchObject({
      status: 409,
    });
    // The same values again at the right version change nothing.
    expect(
      await mark(teacher, pupil.pupilId, 'maths-3-autumn', {
        rawMark: 31,
        standardisedScore: 104,
        sat: '2026-11-12',
        version: 1,
      }),
    ).toMatchObject({
      status: 200,
      body: { version: 1 },
    });
    expect(await tableSnapshot()).toEqual(before);
    const edited = await mark(teacher, pupil.pupilId, 'maths-3-autumn', {
      rawMark: 33,
      standardisedScore: 107,
      sat: '2026-11-12',
      version: 1,
    });
    expect(edited).toMatchObject({ status: 200, body: { rawMark: 33, standardisedScore: 107, version: 2 } });
    const results = await dependencies().store.listPupilResults(demoCentre.centreId, pupil.pupilId);
    expect(results).toHaveLength(1);
    expect((await classView(teacher, taught.classId)).pupils[0]!.results).toEqual([
      // Not shared: nothing is said of Assembly.
      { paperId: 'maths-3-autumn', rawMark: 33, standardisedScore: 107, sat: '2026-11-12', version: 2, assembly: null },
    ]);
  });

  it('refuses a teacher the pupils of classes they do not teach; the co-ordinator may mark anyone', async () => {
    const outsider = (await dependencies().store.listPupils(demoCentre.centreId)).find(
      (pupil) => pupil.classIds.includes(other.classId) && !pupil.classIds.includes(taught.classId),
    )!;
    const before = await tableSnapshot();
    expect(
      await send(teacher, 'GET /api/marking/classes/{classId}', { pathParameters: { classId: other.classId } }),
    ).toMatchObject({
      status: 403,
    });
    expect(
      await mark(teacher, outsider.pupilId, 'reading-3-autumn', {
        rawMark: 20,
        standardisedScore: 99,
        sat: '2026-11-12',
        version: 0,
      }),
    ).toMatchObject({
      status: 403,
    });
    expect(await tableSnapshot()).toEqual(before);
    expect(
      await mark(coordinator, outsider.pupilId, 'reading-3-autumn', {
        rawMark: 20,
        standardisedScore: 99,
        sat: '2026-11-12',
        version: 0,
      }),
    ).toMatchObject({ status: 200 });
  });

  it('refuses a mark it cannot store, field by field, writing nothing', async () => {
    const pupil = (await classView(teacher, taught.classId)).pupils[1]!;
    const before = await tableSnapshot();
    expect(
      await mark(teacher, pupil.pupilId, 'art-3-autumn', { rawMark: 20, standardisedScore: 99, sat: '2026-11-12', version: 0 }),
    ).toMatchObject({
      status: 400,
      body: { fields: { paperId: expect.any(String) } },
    });
    expect(
      await mark(teacher, pupil.pupilId, 'maths-3-autumn', {
        rawMark: -2,
        standardisedScore: 300,
        sat: '12/11/2026',
        version: 0,
      }),
    ).toMatchObject({
      status: 400,
      body: { fields: { rawMark: expect.any(String), standardisedScore: expect.any(String), sat: expect.any(String) } },
    });
    expect(
      await mark(teacher, pupil.pupilId, 'maths-3-autumn', { rawMark: 20, standardisedScore: 99, sat: '2099-01-01', version: 0 }),
    ).toMatchObject({
      status: 400,
      body: { fields: { sat: 'The date sat cannot be in the future' } },
    });
    expect(await tableSnapshot()).toEqual(before);
  });
});
