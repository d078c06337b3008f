import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { demoCentre } from '../../shared/demo/seedDemo';
import { dependencies } from '../../shared/runtime/dependencies';
import { connectThroughConsent, startStandInForHandlers } from '../support/assembly';
import { startPipelineEngines } from '../support/engines';
import { signInAsDemoCoordinator, tableSnapshot } from '../support/hub';
import { panelClient } from '../support/panels';

let standIn: AssemblyStandIn;
let engines: Awaited<ReturnType<typeof startPipelineEngines>>;
let classes: Awaited<ReturnType<typeof panelClient>>;

interface Row {
  status: string;
  hub?: { id: string; name: string; version: number };
  mis?: {
    id: string;
    name: string;
    kind: string;
    years: string[];
    yearGroupId: string | null;
    teachers: { name: string; synced: boolean }[];
  };
  import?: boolean;
  problem?: string | null;
  overwritten?: { field: string }[];
}
interface Panel {
  rows: Row[];
  plan: { version: number; imports: string[]; values: Record<string, Record<string, string>> } & Record<string, unknown>;
  yearGroupOptions: { id: string; name: string; code: string | null }[];
  nursery: { count: number; note: string } | null;
  problems: string[];
}

beforeAll(async () => {
  standIn = await startStandInForHandlers(demoCentre.seed);
  engines = await startPipelineEngines();
  const coordinator = await signInAsDemoCoordinator();
  await connectThroughConsent(standIn, coordinator);
  // Teachers, then year groups, as the wizard goes: the matched teachers linked, every year group synced.
  const teachers = await panelClient(coordinator, 'teachers');
  const staff = (await teachers.open()) as unknown as Panel;
  const mayMatches = staff.rows
    .filter((row) => row.status === 'mayMatch')
    .map((row) => ({ hubId: row.hub!.id, misId: row.mis!.id }));
  await teachers.send('PUT', '/plan', { ...staff.plan, confirmed: [...(staff.plan.confirmed as unknown[]), ...mayMatches] });
  expect((await teachers.save()).body).toMatchObject({ status: 'succeeded' });
  const yearGroups = await panelClient(coordinator, 'year-groups');
  const view = (await yearGroups.open()) as unknown as Panel;
  const newIds = view.rows.filter((row) => row.status === 'new').map((row) => row.mis!.id);
  await yearGroups.send('PUT', '/plan', { ...view.plan, imports: newIds });
  expect((await yearGroups.save()).body).toMatchObject({ status: 'succeeded' });
  classes = await panelClient(coordinator, 'classes');
}, 60_000);
afterAll(async () => {
  await standIn?.stop();
  engines?.stop();
});

const panel = async () => (await classes.send('GET')).body as unknown as Panel;

describe('Classes panel', () => {
  it('matches identical names, shows each class’s teachers, and leaves Nursery classes out', async () => {
    const view = (await classes.open()) as unknown as Panel;
    expect(view.nursery).toMatchObject({ note: expect.stringMatching(/Nursery classes are not synced/) });
    expect(view.rows.some((row) => row.mis?.years.length && row.mis.years.every((code) => code.startsWith('N')))).toBe(false);
    const matched = view.rows.filter((row) => row.status === 'matched');
    expect(matched.length).toBeGreaterThan(0);
    for (const row of matched) expect(row.hub!.name.toLowerCase().replace(/\s+/g, ' ')).toBe(row.mis!.name.toLowerCase());
    expect(view.rows.some((row) => row.mis?.teachers.some((teacher) => teacher.synced))).toBe(true);
    expect(view.rows.some((row) => row.mis?.kind === 'teaching')).toBe(true);
    // Only synced year groups are offered, Nursery never.
    expect(view.yearGroupOptions.map((option) => option.code)).toEqual(['R', '1', '2', '3', '4', '5', '6']);
  });

  it('sets up the mixed-year Swans once: the split Hub classes stay Not matched', async () => {
    const view = await panel();
    const swans = view.rows.find((row) => row.mis?.name === 'Swans')!;
    expect(swans).toMatchObject({ status: 'new', mis: { years: ['1', '2'], yearGroupId: null } });
    expect(view.rows.filter((row) => /^[12]Swans$/.test(row.hub?.name ?? '')).map((row) => row.status)).toEqual([
      'notMatched',
      'notMatched',
    ]);
    // Ticked with no year group chosen: Save cannot go ahead, and says why.
    const ticked = (await classes.send('PUT', '/plan', { ...view.plan, imports: [swans.mis!.id] })).body as unknown as Panel;
    expect(ticked.rows.find((row) => row.mis?.id === swans.mis!.id)?.problem).toMatch(/Choose a year group/);
    expect(ticked.problems).toEqual(['1 class to create needs a year group']);
    const year1 = view.yearGroupOptions.find((option) => option.code === '1')!.id;
    const chosen = (
      await classes.send('PUT', '/plan', {
        ...ticked.plan,
        values: { [swans.mis!.id]: { yearGroup: year1, description: 'Years 1 and 2 together' } },
      })
    ).body as unknown as Panel;
    expect(chosen.problems).toEqual([]);

    const run = (await classes.save()).body!;
    expect(run).toMatchObject({ status: 'succeeded', counts: { imported: 1, skipped: 0 } });
    const created = (await dependencies().store.listClasses(demoCentre.centreId)).filter((group) => group.name === 'Swans');
    expect(created).toEqual([
      expect.objectContaining({
        yearGroupId: year1,
        mixedYears: ['1', '2'],
        description: 'Years 1 and 2 together',
        syncStatus: 'synced',
        kind: 'registration',
      }),
    ]);
    const after = await panel();
    expect(after.rows.find((row) => row.mis?.name === 'Swans')).toMatchObject({ status: 'matched' });
    expect(after.rows.filter((row) => /^[12]Swans$/.test(row.hub?.name ?? '')).map((row) => row.status)).toEqual([
      'notMatched',
      'notMatched',
    ]);
  });

  it('returns later: reopened, it shows what was synced and what was left, and adds more without duplicates', async () => {
    const store = dependencies().store;
    const before = await store.listClasses(demoCentre.centreId);
    // Opened again, with a fresh load from the MIS: Swans (created above) is Matched, the rest still New.
    const reopened = (await classes.open()) as unknown as Panel;
    expect(reopened.rows.find((row) => row.mis?.name === 'Swans')).toMatchObject({ status: 'matched' });
    const left = reopened.rows.filter((row) => row.status === 'new' && row.mis!.yearGroupId !== null);
    expect(left.length).toBeGreaterThan(1);
    const more = left[0]!;
    await classes.send('PUT', '/plan', { ...reopened.plan, imports: [more.mis!.id] });
    expect((await classes.save()).body).toMatchObject({ status: 'succeeded', counts: { imported: 1 } });
    const after = await store.listClasses(demoCentre.centreId);
    expect(after.length).toBe(before.length + 1);
    expect(after.filter((group) => group.name === 'Swans')).toHaveLength(1);
    expect(after.filter((group) => group.misId === more.mis!.id)).toHaveLength(1);
    // Everything synced before is as it was.
    for (const group of before.filter((candidate) => candidate.syncStatus === 'synced'))
      expect(after.find((candidate) => candidate.classId === group.classId)).toMatchObject({
        misId: group.misId,
        syncStatus: 'synced',
      });
  });

  it('stores each class’s synced teachers with it, and saving again changes nothing', async () => {
    const store = dependencies().store;
    const linked = (await store.listClasses(demoCentre.centreId)).filter((group) => group.syncStatus === 'synced');
    expect(linked.length).toBeGreaterThan(1);
    const teachers = new Map((await store.listTeachers(demoCentre.centreId)).map((teacher) => [teacher.teacherId, teacher]));
    for (const group of linked) for (const id of group.teacherIds) expect(teachers.get(id)?.syncStatus).toBe('synced');
    expect(linked.some((group) => group.teacherIds.length > 0)).toBe(true);

    const before = JSON.stringify(await store.listClasses(demoCentre.centreId));
    const again = (await classes.save()).body!;
    expect(again).toMatchObject({ status: 'succeeded', counts: {} });
    expect(JSON.stringify(await store.listClasses(demoCentre.centreId))).toBe(before);
  });

  it('refuses plan values it does not take, writing nothing', async () => {
    const view = await panel();
    const newRow = view.rows.find((row) => row.status === 'new')!;
    const before = await tableSnapshot();
    const refused = await classes.send('PUT', '/plan', { ...view.plan, values: { [newRow.mis!.id]: { colour: 'blue' } } });
    expect(refused).toMatchObject({ status: 400, body: { fields: { [`values.${newRow.mis!.id}`]: expect.any(String) } } });
    expect(await tableSnapshot()).toEqual(before);
  });

  it('unmatches a synced class: its Hub name back, no pupil moved', async () => {
    const store = dependencies().store;
    const renamed = (await panel()).rows.find((row) => row.status === 'matched' && row.hub!.id.startsWith('hub-class-'))!;
    const pupils = JSON.stringify(await store.listPupils(demoCentre.centreId));
    const unmatched = await classes.send('POST', '/unmatch', { hubId: renamed.hub!.id });
    expect(unmatched.status).toBe(200);
    expect((await store.listClasses(demoCentre.centreId)).find((group) => group.classId === renamed.hub!.id)).toMatchObject({
      name: renamed.hub!.name,
      misId: null,
      syncStatus: 'none',
    });
    expect(JSON.stringify(await store.listPupils(demoCentre.centreId))).toBe(pupils);
  });
});
