import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { demoCentre, demoHubHistory, demoSchool } from '../../shared/demo/seedDemo';
import type { HubPupil } from '../../shared/domain/records';
import { dependencies } from '../../shared/runtime/dependencies';
import { connectThroughConsent, startStandInForHandlers } from '../support/assembly';
import { startPipelineEngines } from '../support/engines';
import { signInAsDemoCoordinator, tableSnapshot } from '../support/hub';
import { panelClient, syncYearGroupsAndClasses } from '../support/panels';

let standIn: AssemblyStandIn;
let engines: Awaited<ReturnType<typeof startPipelineEngines>>;
let coordinator: string;
let pupils: Awaited<ReturnType<typeof panelClient>>;

interface PupilView {
  id: string;
  firstName: string;
  lastName: string;
  dob: string | null;
  yearGroup: string | null;
  classes: string[];
  blocked?: string | null;
  version: number;
}
interface Row {
  status: string;
  hub?: PupilView;
  mis?: PupilView & { name?: string };
  import?: boolean;
  ticked?: boolean;
  conflicts?: string[];
  reasons?: string[];
  source?: string;
  overwritten?: { field: string; hubValue: string | null; misValue: string | null; keeps?: string[] }[];
}
interface Panel {
  rows: Row[];
  counts: Record<string, number>;
  plan: Record<string, unknown> & { version: number; imports: string[]; confirmed: unknown[]; skipped: unknown[] };
  nursery: { count: number } | null;
  selection: { words: string; outside: number };
  problems: string[];
}
interface Choices {
  planVersion: number;
  yearGroups: { id: string; name: string }[];
  classes: { id: string; name: string }[];
}

const store = () => dependencies().store;
const centreId = demoCentre.centreId;
const view = async () => (await pupils.send('GET')).body as unknown as Panel;
const choices = async () => (await pupils.send('GET', '/selection')).body as unknown as Choices;

/** Ticks every New pupil that can be imported and confirms every May match: what "all of it" looks like. */
async function acceptAll(panel: Panel) {
  const imports = panel.rows.filter((row) => row.status === 'new' && !row.mis!.blocked).map((row) => row.mis!.id);
  const confirmed = panel.rows
    .filter((row) => row.status === 'mayMatch')
    .map((row) => ({ hubId: row.hub!.id, misId: row.mis!.id }));
  return (await pupils.send('PUT', '/plan', { ...panel.plan, imports, confirmed: [...panel.plan.confirmed, ...confirmed] }))
    .body as unknown as Panel;
}

beforeAll(async () => {
  standIn = await startStandInForHandlers(demoCentre.seed);
  engines = await startPipelineEngines();
  coordinator = await signInAsDemoCoordinator();
  await connectThroughConsent(standIn, coordinator);
  // Teachers, year groups and classes first, as the wizard goes: everything synced.
  await syncYearGroupsAndClasses(coordinator, { teachers: true });
  pupils = await panelClient(coordinator, 'pupils');
}, 120_000);
afterAll(async () => {
  await standIn?.stop();
  engines?.stop();
});

describe('Pupils panel', () => {
  it('offers the synced year groups and classes, and refuses any other, writing nothing', async () => {
    const offered = await choices();
    expect(offered.yearGroups.map((group) => group.name)).toContain('Year 3');
    expect(offered.yearGroups.some((group) => /Nursery/.test(group.name))).toBe(false);
    expect(offered.classes.some((group) => group.name === 'Swans')).toBe(true);
    const before = await tableSnapshot();
    const refused = await pupils.send('PUT', '/selection', {
      planVersion: offered.planVersion,
      selection: { yearGroups: ['hub-year-nope'], classes: [] },
    });
    expect(refused).toMatchObject({ status: 400, body: { fields: { 'selection.yearGroups.0': expect.any(String) } } });
    const empty = await pupils.send('PUT', '/selection', {
      planVersion: offered.planVersion,
      selection: { yearGroups: [], classes: [] },
    });
    expect(empty).toMatchObject({ status: 400, body: { fields: { selection: expect.any(String) } } });
    expect(await tableSnapshot()).toEqual(before);
  });

  it('reviews two year groups: all four statuses, the twins in May match with their conflict, Nursery out', async () => {
    const offered = await choices();
    const chosen = offered.yearGroups.filter((group) => ['Year 1', 'Year 2'].includes(group.name)).map((group) => group.id);
    expect(chosen).toHaveLength(2);
    const stored = await pupils.send('PUT', '/selection', {
      planVersion: offered.planVersion,
      selection: { yearGroups: chosen, classes: [] },
    });
    expect(stored.status).toBe(200);
    const panel = (await pupils.open()) as unknown as Panel;
    expect(panel.selection.words).toBe('Year 1, Year 2');
    expect(panel.selection.outside).toBeGreaterThan(50);
    for (const status of ['notMatched', 'new', 'mayMatch', 'matched']) expect(panel.counts[status]).toBeGreaterThan(0);
    // Only Years 1 and 2 on the MIS side.
    for (const row of panel.rows) if (row.mis) expect(['Year 1', 'Year 2']).toContain(row.mis.yearGroup);
    const twins = panel.rows.filter(
      (row) => row.status === 'mayMatch' && row.conflicts!.some((reason) => /twins|almost as close/.test(reason)),
    );
    expect(twins.length).toBeGreaterThan(0);
    expect(panel.problems.join(' ')).toMatch(/May match pairs? to confirm/);
    // The MIS wins: what it overwrites is listed, Hub value beside MIS value.
    expect(panel.rows.some((row) => row.overwritten?.some((change) => change.field === 'classes'))).toBe(true);
    // A 2Swans pupil joins Swans and stays in 2Swans, a class only in the Admin Hub.
    const kept = panel.rows
      .flatMap((row) => row.overwritten ?? [])
      .filter((change) => change.field === 'classes' && change.keeps);
    expect(kept.length).toBeGreaterThan(0);
    for (const change of kept)
      expect(change).toMatchObject({
        misValue: expect.stringMatching(/^Swans\b/),
        keeps: [expect.stringMatching(/^[12]Swans$/)],
      });
  });

  it('refuses a pair left out in a panel whose pairs are always synced, writing nothing', async () => {
    const teachers = await panelClient(coordinator, 'teachers');
    const staff = (await teachers.send('GET')).body as unknown as Panel;
    const pair = staff.rows.find((row) => row.status === 'matched')!;
    const before = await tableSnapshot();
    const refused = await teachers.send('PUT', '/plan', {
      ...staff.plan,
      skipped: [{ hubId: pair.hub!.id, misId: pair.mis!.id }],
    });
    expect(refused).toMatchObject({ status: 400, body: { fields: { skipped: expect.any(String) } } });
    expect(await tableSnapshot()).toEqual(before);
  });

  it('saves: backed up, linked and imported into their synced classes; an unticked pair left alone; again changes nothing', async () => {
    const panel = await acceptAll(await view());
    expect(panel.problems).toEqual([]);
    // One matched pair unticked: it is left as it is.
    const left = panel.rows.find((row) => row.status === 'matched' && row.source === 'system')!;
    const unticked = (
      await pupils.send('PUT', '/plan', { ...panel.plan, skipped: [{ hubId: left.hub!.id, misId: left.mis!.id }] })
    ).body as unknown as Panel;
    expect(unticked.rows.find((row) => row.hub?.id === left.hub!.id)).toMatchObject({ ticked: false });
    const leftBefore = (await store().listPupils(centreId)).find((pupil) => pupil.pupilId === left.hub!.id);

    const run = (await pupils.save()).body!;
    expect(run).toMatchObject({ status: 'succeeded', counts: { skipped: 0 } });
    const counts = run.counts as Record<string, number>;
    expect(counts.linked).toBeGreaterThan(10);
    expect(counts.imported).toBeGreaterThan(5);

    const after = await store().listPupils(centreId);
    expect(after.find((pupil) => pupil.pupilId === left.hub!.id)).toEqual(leftBefore);
    const classes = await store().listClasses(centreId);
    const swans = classes.find((group) => group.name === 'Swans' && group.syncStatus === 'synced')!;
    // The FAQ's Swans: every MIS Swans pupil is in Swans; 1Swans and 2Swans (Hub-only) keep their members.
    const misSwans = demoSchool().registrationGroups.find((group) => group.name === 'Swans')!;
    const synced = after.filter((pupil) => pupil.syncStatus === 'synced');
    const inMisSwans = synced.filter((pupil) => misSwans.studentIds.map(String).includes(pupil.misId!));
    expect(inMisSwans.length).toBeGreaterThan(3);
    for (const pupil of inMisSwans) expect(pupil.classIds).toContain(swans.classId);
    expect(after.some((pupil) => pupil.classIds.includes('hub-class-1swans'))).toBe(true);
    // Imported pupils: a unique username, MARK access, their year group and intake year.
    const imported = after.filter((pupil) => pupil.pupilId.startsWith('mis-pupil-'));
    expect(imported.length).toBe(counts.imported);
    expect(new Set(after.map((pupil) => pupil.username)).size).toBe(after.length);
    for (const pupil of imported)
      expect(pupil).toMatchObject({ markAccess: true, yearGroupId: expect.any(String), intakeYear: expect.any(Number) });
    // Backed up before it changed: every linked pupil.
    for (const pupil of synced.filter((candidate) => candidate.pupilId.startsWith('hub-pupil-')).slice(0, 5))
      expect((await store().listBackups(centreId, 'pupil', pupil.pupilId)).map((backup) => backup.runId)).toContain(run.runId);

    const before = JSON.stringify(await store().listPupils(centreId));
    const again = (await pupils.save()).body!;
    expect(again).toMatchObject({ status: 'succeeded' });
    expect((again.counts as Record<string, number>).linked ?? 0).toBe(0);
    expect(JSON.stringify(await store().listPupils(centreId))).toBe(before);
  });

  it('returns later: another year group added; those synced before stay linked, nothing duplicated', async () => {
    const before = await store().listPupils(centreId);
    const offered = await choices();
    const year3 = offered.yearGroups.find((group) => group.name === 'Year 3')!.id;
    await pupils.send('PUT', '/selection', { planVersion: offered.planVersion, selection: { yearGroups: [year3], classes: [] } });
    const panel = await acceptAll((await pupils.open()) as unknown as Panel);
    expect(panel.rows.every((row) => !row.mis || row.mis.yearGroup === 'Year 3')).toBe(true);
    expect((await pupils.save()).body).toMatchObject({ status: 'succeeded' });
    const after = await store().listPupils(centreId);
    for (const pupil of before.filter((candidate) => candidate.syncStatus === 'synced'))
      expect(after.find((candidate) => candidate.pupilId === pupil.pupilId)).toEqual(pupil);
    const misIds = after.flatMap((pupil) => (pupil.misId && pupil.syncStatus !== 'none' ? [pupil.misId] : []));
    expect(new Set(misIds).size).toBe(misIds.length);
    expect(after.length).toBeGreaterThan(before.length);
  });

  it('unmatches a synced pupil: the Hub record exactly as it was before the sync, the MIS pupil New', async () => {
    const original = new Map(demoHubHistory().pupils.map((pupil: HubPupil) => [pupil.pupilId, pupil]));
    const linked = (await store().listPupils(centreId)).find(
      (pupil) =>
        pupil.syncStatus === 'synced' &&
        original.has(pupil.pupilId) &&
        original.get(pupil.pupilId)!.firstName !== pupil.firstName,
    )!;
    expect(linked).toBeDefined();
    const misId = linked.misId!;
    // All pupils, so the MIS pupil is in the review whatever their year.
    await pupils.send('PUT', '/selection', { planVersion: (await choices()).planVersion, selection: null });
    const answer = await pupils.send('POST', '/unmatch', { hubId: linked.pupilId });
    expect(answer.status).toBe(200);
    const restored = (await store().listPupils(centreId)).find((pupil) => pupil.pupilId === linked.pupilId)!;
    const was = original.get(linked.pupilId)!;
    for (const field of [
      'firstName',
      'middleName',
      'lastName',
      'dob',
      'upn',
      'gender',
      'yearGroupId',
      'classIds',
      'intakeYear',
    ] as const)
      expect(restored[field]).toEqual(was[field]);
    expect(restored).toMatchObject({ misId: null, syncStatus: 'none' });
    const panel = (answer.body as unknown as Panel).rows;
    expect(panel.find((row) => row.mis?.id === misId)).toMatchObject({ status: 'new' });
    const audit = await store().listAudit(centreId);
    expect(audit.some((entry) => entry.action === 'pupil.unmatched' && entry.subject === `pupil:${linked.pupilId}`)).toBe(true);
  });
});
