import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as finishHandler } from '../../functions/sync/finish';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { demoCentre } from '../../shared/demo/seedDemo';
import { dependencies } from '../../shared/runtime/dependencies';
import type { FinishView } from '../../shared/wizard/finish/useCases';
import { connectThroughConsent, startStandInForHandlers } from '../support/assembly';
import { startPipelineEngines } from '../support/engines';
import { apiEvent, call, signInAsDemoCoordinator, tableSnapshot } from '../support/hub';
import { syncYearGroupsAndClasses } from '../support/panels';

let standIn: AssemblyStandIn;
let engines: Awaited<ReturnType<typeof startPipelineEngines>>;
let coordinator: string;

const view = async () =>
  (await call(finishHandler, apiEvent('GET /api/sync/finish', { cookies: [coordinator] }))).body as unknown as FinishView;
const share = (body: Record<string, unknown>) =>
  call(finishHandler, apiEvent('PUT /api/sync/finish/sharing', { cookies: [coordinator], body }));

beforeAll(async () => {
  standIn = await startStandInForHandlers(demoCentre.seed);
  engines = await startPipelineEngines();
  coordinator = await signInAsDemoCoordinator();
  // Authorised without "upload assessment data", as a school may first do.
  await connectThroughConsent(standIn, coordinator);
  await syncYearGroupsAndClasses(coordinator, { teachers: true });
}, 120_000);
afterAll(async () => {
  await standIn?.stop();
  engines?.stop();
});

describe('Finish panel: what was synced, and data sharing preferences', () => {
  it('sums up what the wizard synced, and says why sharing cannot be switched on yet', async () => {
    const finish = await view();
    expect(finish.synced.teachers).toBeGreaterThan(0);
    expect(finish.synced.yearGroups).toBeGreaterThan(0);
    expect(finish.synced.classes).toBeGreaterThan(0);
    expect(finish.synced.pupils).toBe(0);
    expect(finish.sharing).toMatchObject({ shareAll: false, shareHistorical: false, version: 0, changedAt: null });
    expect(finish.cannotShare).toMatch(/did not grant “upload assessment data”/);
  });

  it('refuses to switch sharing on without the upload permission, and historical sharing without sharing, writing nothing', async () => {
    const before = await tableSnapshot();
    expect(await share({ version: 0, shareAll: true, shareHistorical: false })).toMatchObject({
      status: 409,
      body: { message: expect.stringMatching(/Authorise again and tick it/) },
    });
    expect(await share({ version: 0, shareAll: false, shareHistorical: true })).toMatchObject({
      status: 400,
      body: { fields: { shareHistorical: expect.any(String) } },
    });
    expect(await share({ version: 0, shareAll: 'yes' })).toMatchObject({ status: 400 });
    expect(await tableSnapshot()).toEqual(before);
  });

  it('switches sharing on once the school grants the permission, recording who and when, once', async () => {
    await connectThroughConsent(standIn, coordinator, undefined, ['assessments.write']);
    expect((await view()).cannotShare).toBeNull();
    const on = await share({ version: 0, shareAll: true, shareHistorical: true });
    expect(on.status).toBe(200);
    expect((on.body as unknown as FinishView).sharing).toMatchObject({
      shareAll: true,
      shareHistorical: true,
      version: 1,
      changedBy: expect.any(String),
      changedAt: expect.any(String),
    });
    // The same save again (a double click, a retry) is refused as stale: one change, one audit entry.
    expect(await share({ version: 0, shareAll: true, shareHistorical: true })).toMatchObject({ status: 409 });
    const audit = (await dependencies().store.listAudit(demoCentre.centreId)).filter(
      (entry) => entry.action === 'sharing.changed',
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toEqual({ shareAll: 'true', shareHistorical: 'true' });
  });

  it('can always switch sharing off, and says when sharing is on but paused by a lost connection', async () => {
    await dependencies().store.saveAssemblyConnection(
      { ...(await dependencies().store.getAssemblyConnection(demoCentre.centreId))!, scopes: [] },
      (await dependencies().store.getAssemblyConnection(demoCentre.centreId))!.version,
    );
    expect((await view()).paused).toMatch(/no results are being sent/);
    const off = await share({ version: 1, shareAll: false, shareHistorical: false });
    expect(off.status).toBe(200);
    expect((off.body as unknown as FinishView).sharing).toMatchObject({ shareAll: false, shareHistorical: false, version: 2 });
    expect((await view()).paused).toBeNull();
  });
});
