import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as loadsHandler } from '../../functions/sync/loads';
import { handler as runsHandler } from '../../functions/sync/runs';
import { handler as yearGroupsHandler } from '../../functions/sync/yearGroups';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { demoCentre } from '../../shared/demo/seedDemo';
import { dependencies } from '../../shared/runtime/dependencies';
import { connectThroughConsent, startStandInForHandlers } from '../support/assembly';
import { startPipelineEngines } from '../support/engines';
import { apiEvent, call, signInAsDemoCoordinator, tableSnapshot } from '../support/hub';

let standIn: AssemblyStandIn;
let coordinator: string;
let engines: Awaited<ReturnType<typeof startPipelineEngines>>;

beforeAll(async () => {
  standIn = await startStandInForHandlers(demoCentre.seed);
  engines = await startPipelineEngines();
  coordinator = await signInAsDemoCoordinator();
  await connectThroughConsent(standIn, coordinator);
});
afterAll(async () => {
  await standIn?.stop();
  engines?.stop();
});

interface Row {
  status: string;
  hub?: { id: string; name: string; version: number; intakeYear: number | null };
  mis?: { id: string; name: string; code: string | null; cohort: number | null };
  import?: boolean;
  overwritten?: { field: string; hubValue: string | null; misValue: string | null }[];
}
interface Panel {
  rows: Row[];
  plan: { version: number; imports: string[]; settings: Record<string, string> } & Record<string, unknown>;
  schoolYear: { choice: string; startYear: number; why: string };
  nursery: { count: number; note: string } | null;
  problems: string[];
}

const yearGroups = async (routeKey: string, body?: unknown) =>
  call(yearGroupsHandler, apiEvent(routeKey, { cookies: [coordinator], body }));
const panel = async () => (await yearGroups('GET /api/sync/year-groups')).body as unknown as Panel;
const reviewedOf = (view: Panel) => ({
  planVersion: view.plan.version,
  reviewed: Object.fromEntries(
    view.rows.flatMap((row) =>
      row.status === 'matched' ? [[row.hub!.id, { misId: row.mis!.id, version: row.hub!.version }]] : [],
    ),
  ),
});

async function until<T extends { status?: unknown }>(read: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    const current = await read();
    if (current.status !== 'running') return current;
    if (tries > 600) throw new Error('still running');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const runOf = (runId: string) =>
  until(
    async () =>
      (await call(runsHandler, apiEvent('GET /api/sync/runs/{runId}', { cookies: [coordinator], pathParameters: { runId } })))
        .body!,
  );

describe('Year groups panel', () => {
  it('matches by year code, leaves Nursery out, and gives each year group its intake cohort', async () => {
    const started = await yearGroups('POST /api/sync/year-groups/load');
    expect(started.status).toBe(202);
    const load = await until(
      async () =>
        (
          await call(
            loadsHandler,
            apiEvent('GET /api/sync/loads/{loadId}', {
              cookies: [coordinator],
              pathParameters: { loadId: String(started.body!.loadId) },
            }),
          )
        ).body!,
    );
    expect(load.status).toBe('done');

    const view = await panel();
    expect(view.nursery).toMatchObject({ count: 1, note: expect.stringMatching(/Nursery is not synced/) });
    expect(view.rows.some((row) => row.mis?.code?.startsWith('N'))).toBe(false);
    const year3 = view.rows.find((row) => row.mis?.code === '3')!;
    expect(year3).toMatchObject({ status: 'matched', hub: { id: 'hub-year-3', name: 'Yr 3' }, mis: { name: 'Year 3' } });
    expect(year3.overwritten).toEqual(expect.arrayContaining([{ field: 'name', hubValue: 'Yr 3', misValue: 'Year 3' }]));
    const start = view.schoolYear.startYear;
    expect(year3.mis!.cohort).toBe(start - 3);
    expect(view.rows.filter((row) => row.status === 'new').map((row) => row.mis!.code)).toEqual(['5', '6']);

    // The other school year: every cohort moves by one.
    const other = view.schoolYear.choice === 'this' ? 'last' : 'this';
    const changed = (await yearGroups('PUT /api/sync/year-groups/plan', { ...view.plan, settings: { schoolYear: other } }))
      .body as unknown as Panel;
    expect(changed.schoolYear.choice).toBe(other);
    expect(changed.rows.find((row) => row.mis?.code === '3')!.mis!.cohort).toBe(year3.mis!.cohort! + (other === 'last' ? -1 : 1));
    await yearGroups('PUT /api/sync/year-groups/plan', { ...changed.plan, settings: { schoolYear: view.schoolYear.choice } });
  });

  it('refuses a setting it does not have, or a school year that is neither, writing nothing', async () => {
    const view = await panel();
    const before = await tableSnapshot();
    const refused = await yearGroups('PUT /api/sync/year-groups/plan', { ...view.plan, settings: { schoolYear: 'next' } });
    expect(refused).toMatchObject({ status: 400, body: { fields: { 'settings.schoolYear': 'Choose this year or last year' } } });
    const unknown = await yearGroups('PUT /api/sync/year-groups/plan', { ...view.plan, settings: { colour: 'blue' } });
    expect(unknown).toMatchObject({ status: 400, body: { fields: { 'settings.colour': expect.any(String) } } });
    expect(await tableSnapshot()).toEqual(before);
  });

  it('saves through the pipeline: backed up, renamed and created; saving again changes nothing; unmatch restores the name', async () => {
    const view = await panel();
    const newIds = view.rows.filter((row) => row.status === 'new').map((row) => row.mis!.id);
    const ticked = (await yearGroups('PUT /api/sync/year-groups/plan', { ...view.plan, imports: newIds }))
      .body as unknown as Panel;
    const saved = await yearGroups('POST /api/sync/year-groups/save', reviewedOf(ticked));
    expect(saved.status).toBe(202);
    const run = await runOf(String(saved.body!.runId));
    expect(run).toMatchObject({ status: 'succeeded', counts: { linked: 5, imported: 2, skipped: 0 } });

    const store = dependencies().store;
    const hub = await store.listYearGroups(demoCentre.centreId);
    expect(hub.find((group) => group.yearGroupId === 'hub-year-3')).toMatchObject({
      name: 'Year 3',
      syncStatus: 'synced',
      intakeYear: ticked.schoolYear.startYear - 3,
    });
    expect(
      hub
        .filter((group) => group.syncStatus === 'synced')
        .map((group) => group.yearCode)
        .sort(),
    ).toEqual(['1', '2', '3', '4', '5', '6', 'R'].sort());
    const backups = await store.listBackups(demoCentre.centreId, 'yearGroup', 'hub-year-3');
    expect(backups.map((backup) => backup.record.name)).toEqual(['Yr 3']);

    // Saving the same panel again writes no year group.
    const before = JSON.stringify(await store.listYearGroups(demoCentre.centreId));
    const again = await runOf(
      String((await yearGroups('POST /api/sync/year-groups/save', reviewedOf(await panel()))).body!.runId),
    );
    expect(again).toMatchObject({ status: 'succeeded', progress: { total: 0 } });
    expect(again.counts).toEqual({});
    expect(JSON.stringify(await store.listYearGroups(demoCentre.centreId))).toBe(before);

    // Unmatch: the Hub name back from the backup, the link gone, audited; the pupils stay where they are.
    const pupilsBefore = JSON.stringify(await store.listPupils(demoCentre.centreId));
    const unmatched = await yearGroups('POST /api/sync/year-groups/unmatch', { hubId: 'hub-year-3' });
    expect(unmatched.status).toBe(200);
    expect((await store.listYearGroups(demoCentre.centreId)).find((group) => group.yearGroupId === 'hub-year-3')).toMatchObject({
      name: 'Yr 3',
      misId: null,
      syncStatus: 'none',
    });
    expect(JSON.stringify(await store.listPupils(demoCentre.centreId))).toBe(pupilsBefore);
    const rows = (unmatched.body as unknown as Panel).rows;
    expect(rows.find((row) => row.hub?.id === 'hub-year-3')?.status).toBe('notMatched');
    expect(rows.find((row) => row.mis?.code === '3')?.status).toBe('new');
    expect(await store.listAudit(demoCentre.centreId)).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'yearGroup.unmatched', subject: 'yearGroup:hub-year-3' })]),
    );
  });
});
