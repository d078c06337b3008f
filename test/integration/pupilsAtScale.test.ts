import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { demoCentre, seedDemoCentre } from '../../shared/demo/seedDemo';
import { dependencies } from '../../shared/runtime/dependencies';
import { connectThroughConsent, startStandInForHandlers } from '../support/assembly';
import { bigSchool, seedBigHub } from '../support/bigSchool';
import { startPipelineEngines } from '../support/engines';
import { panelClient, syncYearGroupsAndClasses } from '../support/panels';

/**
 * A 5,000-pupil school against a Hub of 5,500 typed by hand, all of it saved in one run: the
 * run completes, and every MIS pupil ends in exactly one Hub record. About a minute on DynamoDB
 * Local on its own (`npm run test:scale`); `npm run bench:pupils` times it. Not in `npm test`:
 * DynamoDB Local serialises every write of every file, and beside the fault suite this one test
 * ran past fifteen minutes in CI.
 */
const scale = process.env.SCALE_TESTS === '1';
let big: ReturnType<typeof bigSchool>;
let standIn: AssemblyStandIn;
let engines: Awaited<ReturnType<typeof startPipelineEngines>>;
let cookie: string;

interface Panel {
  rows: { status: string; hub?: { id: string }; mis?: { id: string; blocked?: string | null } }[];
  plan: Record<string, unknown> & { version: number; confirmed: unknown[] };
  counts: Record<string, number>;
  nursery: { count: number } | null;
  problems: string[];
}

beforeAll(async () => {
  if (!scale) return;
  big = bigSchool('integration-5000', 5000, 5500);
  standIn = await startStandInForHandlers(undefined, big.ownSchool.school);
  engines = await startPipelineEngines();
  await seedDemoCentre(dependencies().store, big.ownSchool);
  cookie = await seedBigHub(big);
  await connectThroughConsent(standIn, cookie);
  await syncYearGroupsAndClasses(cookie);
}, 900_000);
afterAll(async () => {
  await standIn?.stop();
  engines?.stop();
});

describe.skipIf(!scale)('Pupils at 5,000 (npm run test:scale)', () => {
  it('saves a whole 5,000-pupil school in one run: every MIS pupil in exactly one Hub record', async () => {
    const pupils = await panelClient(cookie, 'pupils');
    const choice = (await pupils.send('GET', '/selection')).body as { planVersion: number };
    await pupils.send('PUT', '/selection', { planVersion: choice.planVersion, selection: null });
    let panel = (await pupils.open()) as unknown as Panel;
    const misRows = panel.rows.filter((row) => row.mis).length;
    // Every MIS pupil is in the review but Nursery, which the panel leaves out and says so.
    expect(misRows + (panel.nursery?.count ?? 0)).toBe(big.misPupils);
    const confirmed = panel.rows
      .filter((row) => row.status === 'mayMatch')
      .map((row) => ({ hubId: row.hub!.id, misId: row.mis!.id }));
    panel = (await pupils.send('PUT', '/plan', { ...panel.plan, confirmed: [...panel.plan.confirmed, ...confirmed] }))
      .body as unknown as Panel;
    expect(panel.problems).toEqual([]);
    const toImport = panel.rows.filter((row) => row.status === 'new' && !row.mis!.blocked).length;
    const toLink = panel.rows.filter((row) => row.status === 'matched' || row.status === 'mayMatch').length;

    const run = (await pupils.save()).body as { status: string; counts: Record<string, number> };
    expect(run).toMatchObject({ status: 'succeeded', counts: { imported: toImport, linked: toLink } });

    const stored = await dependencies().store.listPupils(demoCentre.centreId);
    expect(stored).toHaveLength(big.pupils.length + toImport);
    const linked = stored.filter((pupil) => pupil.misId !== null);
    expect(linked).toHaveLength(toImport + toLink);
    expect(new Set(linked.map((pupil) => pupil.misId)).size).toBe(linked.length);
  }, 900_000);
});
