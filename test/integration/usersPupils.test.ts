import { describe, expect, it } from 'vitest';
import { handler as pupilsHandler } from '../../functions/users/pupils';
import { HAND_ENTERED, type HubPupilInput } from '../../shared/domain/records';
import { makeUpn as upnOf } from '../../shared/domain/upn';
import { dependencies } from '../../shared/runtime/dependencies';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../../infra/local/dynamoLocal';
import { erasePupilNow } from '../../shared/users/eraseNow';
import { sweepErasures } from '../../shared/users/eraseSweep';
import { apiEvent, call, signedInAs, tableSnapshot } from '../support/hub';

const now = new Date().toISOString();
const makeUpn = (serial: number) => upnOf(380, 2001, 18, serial);
const pupil = (centreId: string, index: number, overrides: Partial<HubPupilInput> = {}): HubPupilInput => ({
  pupilId: `pupil-${index}`,
  centreId,
  upn: makeUpn(index),
  firstName: `First${index}`,
  middleName: null,
  lastName: `Last${String(index).padStart(3, '0')}`,
  dob: '2018-03-04',
  gender: 'F',
  pupilPremium: null,
  intakeYear: null,
  homeLanguage: null,
  username: `user${index}`,
  yearGroupId: index % 2 ? 'year-5' : 'year-6',
  classIds: [index % 2 ? 'class-5w' : 'class-6b'],
  ...HAND_ENTERED,
  createdAt: now,
  updatedAt: now,
  ...overrides,
});

const list = (cookie: string, query: Record<string, string> = {}) =>
  call(pupilsHandler, apiEvent('GET /api/users/pupils', { cookies: [cookie], query }));
const edit = (cookie: string, pupilId: string, body: unknown) =>
  call(pupilsHandler, apiEvent('PATCH /api/users/pupils/{pupilId}', { cookies: [cookie], pathParameters: { pupilId }, body }));

/** A marked paper for a pupil and, unless told otherwise, its record of having been sent to Assembly. */
async function givenMarked(centreId: string, pupilId: string, paperId: string, { sent = true } = {}) {
  const { store } = dependencies();
  const resultId = `${pupilId}#${paperId}`;
  const sat = '2026-11-12';
  await store.putResult(
    {
      resultId,
      centreId,
      pupilId,
      paperId,
      rawMark: 30,
      standardisedScore: 104,
      sat,
      markedBy: 'user-1',
      markedAt: now,
      version: 1,
    },
    0,
  );
  if (sent)
    await store.saveResultDelivery(
      {
        centreId,
        resultId,
        status: 'sent',
        version: 1,
        assemblyResultId: 77,
        gradeId: 3,
        resultDate: sat,
        reason: null,
        claimId: null,
        at: now,
        revision: 1,
      },
      0,
    );
}

const remove = (cookie: string, pupils: { pupilId: string; version: number }[]) =>
  call(pupilsHandler, apiEvent('POST /api/users/pupils/delete', { cookies: [cookie], body: { pupils } }));
const restore = (cookie: string, pupilId: string, deletedAt: string) =>
  call(
    pupilsHandler,
    apiEvent('POST /api/users/pupils/deleted/{pupilId}/restore', {
      cookies: [cookie],
      pathParameters: { pupilId },
      body: { deletedAt },
    }),
  );

async function givenCentre(centreId: string) {
  const { store } = dependencies();
  await store.putYearGroups(
    ['5', '6'].map((code) => ({
      yearGroupId: `year-${code}`,
      centreId,
      name: `Year ${code}`,
      yearCode: code,
      intakeYear: null,
      ...HAND_ENTERED,
    })),
  );
  await store.putClasses(
    [
      ['class-5w', '5W', 'year-5'],
      ['class-6b', '6B', 'year-6'],
    ].map(([classId, name, yearGroupId]) => ({
      classId: classId!,
      centreId,
      name: name!,
      description: null,
      yearGroupId: yearGroupId!,
      ...HAND_ENTERED,
    })),
  );
  await store.putPupils([
    ...Array.from({ length: 118 }, (_, index) => pupil(centreId, index + 1)),
    pupil(centreId, 200, { firstName: 'Zoë', lastName: 'Ashworth', misId: 'mis-200', syncStatus: 'synced' }),
    pupil(centreId, 201, {
      firstName: 'Wilf',
      lastName: 'Left',
      misId: 'mis-201',
      syncStatus: 'out_of_sync',
      syncReason: 'left_mis',
    }),
  ]);
}

describe('Users › Pupils', () => {
  it('lists a page at a time, searches and filters, with the Synced column’s reason', async () => {
    await givenCentre('centre-p1');
    const cookie = await signedInAs('centre-p1');

    const first = await list(cookie);
    expect(first.body).toMatchObject({ page: 1, pages: 3, matching: 120, total: 120, pageSize: 50 });
    expect((first.body!.rows as unknown[]).length).toBe(50);
    expect(first.body!.yearGroups).toEqual([
      { id: 'year-5', name: 'Year 5' },
      { id: 'year-6', name: 'Year 6' },
    ]);

    const found = await list(cookie, { q: 'zoe ashw' });
    expect(found.body).toMatchObject({ matching: 1, rows: [{ firstName: 'Zoë', synced: 'synced', syncReason: null }] });
    const byUpn = await list(cookie, { q: makeUpn(7).slice(0, 10).toLowerCase() });
    expect(byUpn.body!.rows).toContainEqual(expect.objectContaining({ pupilId: 'pupil-7' }));
    const leaver = await list(cookie, { sync: 'out_of_sync' });
    expect(leaver.body).toMatchObject({ matching: 1, rows: [{ lastName: 'Left', syncReason: 'Left your MIS' }] });
    const inClass = await list(cookie, { class: 'class-6b', yearGroup: 'year-6', q: '6b' });
    expect(inClass.body!.matching).toBe(60);
    expect((inClass.body!.rows as { classes: string[] }[]).every((row) => row.classes.includes('6B'))).toBe(true);
    expect((await list(cookie, { page: '3' })).body!.rows).toHaveLength(20);
  });

  it('refuses a query it does not take, with a message for each parameter', async () => {
    const cookie = await signedInAs('centre-p2');
    const refused = await list(cookie, { page: 'two', sync: 'maybe', colour: 'red' });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body!.fields as object).sort()).toEqual(['colour', 'page', 'sync']);
  });

  it('shows only the signed-in centre’s pupils', async () => {
    await givenCentre('centre-p3');
    const cookie = await signedInAs('centre-p4');
    expect((await list(cookie)).body).toMatchObject({ total: 0, rows: [] });
    expect((await edit(cookie, 'pupil-1', { firstName: 'X', version: 0 })).status).toBe(404);
  });

  it('refuses with 409 a change to what the MIS manages, naming the field, and writes nothing', async () => {
    await givenCentre('centre-p5');
    const cookie = await signedInAs('centre-p5');
    const before = await tableSnapshot();
    const refused = await edit(cookie, 'pupil-200', { firstName: 'Zoe', dob: '2018-03-04', version: 0 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'managed_by_mis',
      message: expect.stringContaining('first name: change it in your MIS'),
      fields: { firstName: expect.stringContaining('Managed by your MIS') },
    });
    expect(Object.keys(refused.body!.fields as object)).toEqual(['firstName']);
    expect(await tableSnapshot()).toEqual(before);
  });

  it('edits a Hub-only or Out of sync pupil fully, with field messages, and never over a change made meanwhile', async () => {
    await givenCentre('centre-p6');
    const cookie = await signedInAs('centre-p6');
    const bad = await edit(cookie, 'pupil-1', { lastName: ' ', upn: 'A12', dob: '2099-01-01', version: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body!.fields).toEqual({
      lastName: 'Enter a last name',
      upn: expect.stringContaining('13-character UPN'),
      dob: 'Enter a real date of birth in the past',
    });

    const saved = await edit(cookie, 'pupil-1', { firstName: 'Ada', upn: makeUpn(999).toLowerCase(), version: 0 });
    expect(saved).toMatchObject({ status: 200, body: { firstName: 'Ada', upn: makeUpn(999), version: 1 } });
    expect(await dependencies().store.getPupil('centre-p6', 'pupil-1')).toMatchObject({ firstName: 'Ada', upn: makeUpn(999) });
    // The same form sent again, from the version before: refused, not overwritten.
    expect(await edit(cookie, 'pupil-1', { firstName: 'Ida', version: 0 })).toMatchObject({
      status: 409,
      body: { error: 'stale_pupil' },
    });
    expect(await edit(cookie, 'pupil-2', { upn: makeUpn(999), version: 0 })).toMatchObject({
      status: 409,
      body: { error: 'upn_taken', fields: { upn: expect.any(String) } },
    });
    expect((await edit(cookie, 'pupil-201', { firstName: 'Wilfred', version: 0 })).status).toBe(200);
  });

  it('deletes leavers at once, keeps them six months under Recently deleted, and restores exactly what was deleted', async () => {
    await givenCentre('centre-p8');
    const cookie = await signedInAs('centre-p8');
    const { store } = dependencies();
    const leaver = (await store.getPupil('centre-p8', 'pupil-201'))!;
    const handEntered = (await store.getPupil('centre-p8', 'pupil-1'))!;
    await givenMarked('centre-p8', 'pupil-201', 'reading-6-autumn', { sent: false });

    const deleted = await remove(
      cookie,
      [leaver, handEntered].map(({ pupilId, version }) => ({ pupilId, version })),
    );
    expect(deleted).toMatchObject({ status: 200, body: { deleted: 2 } });
    expect((await list(cookie, { q: 'Wilf Left' })).body).toMatchObject({ matching: 0 });
    expect((await list(cookie)).body).toMatchObject({ total: 118 });

    const bin = await call(pupilsHandler, apiEvent('GET /api/users/pupils/deleted', { cookies: [cookie] }));
    const rows = bin.body!.pupils as { pupilId: string; deletedAt: string; erasesAt: string; results: number }[];
    expect(rows.map((row) => row.pupilId).sort()).toEqual(['pupil-1', 'pupil-201']);
    const row = rows.find((candidate) => candidate.pupilId === 'pupil-201')!;
    expect(row.results).toBe(1);
    const months = (Date.parse(row.erasesAt) - Date.parse(row.deletedAt)) / (30.44 * 24 * 60 * 60 * 1000);
    expect(months).toBeGreaterThan(5.9);
    expect(months).toBeLessThan(6.1);

    const restored = await restore(cookie, 'pupil-201', row.deletedAt);
    expect(restored.status).toBe(200);
    expect(await store.getPupil('centre-p8', 'pupil-201')).toEqual({ ...leaver, version: leaver.version + 1 });
    expect(await store.listPupilResults('centre-p8', 'pupil-201')).toHaveLength(1);
    // Sent again (the answer was lost): it is restored, once.
    const again = await restore(cookie, 'pupil-201', row.deletedAt);
    expect(again.status).toBe(200);
    expect(await store.getPupil('centre-p8', 'pupil-201')).toEqual({ ...leaver, version: leaver.version + 1 });
  });

  it('refuses to delete a synced pupil, or one changed since the list was read, and deletes nothing', async () => {
    await givenCentre('centre-p9');
    const cookie = await signedInAs('centre-p9');
    const before = await tableSnapshot();
    expect(
      await remove(cookie, [
        { pupilId: 'pupil-1', version: 0 },
        { pupilId: 'pupil-200', version: 0 },
      ]),
    ).toMatchObject({
      status: 409,
      body: { error: 'pupil_synced', message: expect.stringContaining('synced with your MIS') },
    });
    expect(await remove(cookie, [{ pupilId: 'pupil-1', version: 3 }])).toMatchObject({
      status: 409,
      body: { error: 'stale_pupil' },
    });
    expect((await remove(cookie, [])).status).toBe(400);
    expect(await tableSnapshot()).toEqual(before);
  });

  it('erases a deleted pupil six months on, with its results, deliveries, backups and link: a scan finds nothing of it', async () => {
    await givenCentre('centre-p10');
    const cookie = await signedInAs('centre-p10');
    const deps = dependencies();
    const { store } = deps;
    const leaver = (await store.getPupil('centre-p10', 'pupil-201'))!;
    const kept = (await store.getPupil('centre-p10', 'pupil-1'))!;
    for (const pupilId of ['pupil-201', 'pupil-1']) await givenMarked('centre-p10', pupilId, 'maths-6-autumn');
    await store.putBackupIfAbsent({
      centreId: 'centre-p10',
      runId: '20261101000000-run-1',
      recordKind: 'pupil',
      recordId: 'pupil-201',
      record: { ...leaver },
      takenAt: now,
    });
    // A link guard, as a run that linked the pupil leaves it.
    await store.putPupils([leaver]);
    expect((await remove(cookie, [{ pupilId: 'pupil-201', version: leaver.version }])).status).toBe(200);

    const clock = deps.clock;
    try {
      // A day short of six months: nothing is erased, and it can still be restored.
      deps.clock = { now: () => new Date(Date.now() + 180 * 24 * 60 * 60 * 1000) };
      expect(await sweepErasures(deps)).toEqual({ erased: 0, more: false });
      expect(await store.getDeletedPupil('centre-p10', 'pupil-201')).not.toBeNull();

      deps.clock = { now: () => new Date(Date.now() + 186 * 24 * 60 * 60 * 1000) };
      // Every centre's pupils due are erased (other tests here deleted some too).
      expect((await sweepErasures(deps)).erased).toBeGreaterThanOrEqual(1);
      // Again: nothing more to do.
      expect(await sweepErasures(deps)).toEqual({ erased: 0, more: false });
    } finally {
      deps.clock = clock;
    }
    const everything = (await tableSnapshot()).filter((item) => item.includes('centre-p10'));
    const traces = everything.filter(
      (item) => item.includes('pupil-201') && !item.includes('"pupil.deleted"') && !item.includes('"pupil.erased"'),
    );
    expect(traces).toEqual([]);
    expect(everything.some((item) => item.includes('Wilf') || item.includes('mis-201'))).toBe(false);
    // The audit log keeps that it happened, by id, without the pupil's details.
    const audit = (await store.listAudit('centre-p10')).filter((entry) => entry.subject === 'pupil-201');
    expect(audit.map((entry) => entry.action)).toEqual(['pupil.deleted', 'pupil.erased']);
    // The other pupil and its result are untouched.
    expect(await store.getPupil('centre-p10', 'pupil-1')).toEqual(kept);
    expect(await store.listPupilResults('centre-p10', 'pupil-1')).toHaveLength(1);
  });

  it('erases a pupil now, synced or not, from every item that mentions it, and says what it could not', async () => {
    await givenCentre('centre-p12');
    const deps = dependencies();
    const { store } = deps;
    const pupil = (await store.getPupil('centre-p12', 'pupil-200'))!;
    await givenMarked('centre-p12', 'pupil-200', 'reading-6-summer');
    await store.putBackupIfAbsent({
      centreId: 'centre-p12',
      runId: 'run-1',
      recordKind: 'pupil',
      recordId: 'pupil-200',
      record: { ...pupil },
      takenAt: now,
    });
    // A MIS snapshot that holds the pupil (long enough to be chunked), and one that does not.
    const padding = 'x'.repeat(250_000);
    await store.putDocument(
      'centre-p12',
      'pupils#snapshot',
      JSON.stringify({ padding, pupils: [{ misId: 'mis-200', upn: pupil.upn }] }),
      'any',
      now,
    );
    await store.putDocument('centre-p12', 'teachers#snapshot', JSON.stringify({ staff: [{ misId: 'staff-1' }] }), 'any', now);

    const report = await erasePupilNow(deps, 'centre-p12', 'pupil-200');
    expect(report.erased).toMatchObject({ 'pupil record': 1, results: 1, backups: 1, 'MIS link': 1 });
    expect(report.notErased.join(' ')).toMatch(/1 result was already shared with Assembly.*point-in-time recovery/);

    const items = (await tableSnapshot()).filter((item) => item.includes('centre-p12'));
    const about = items.filter(
      (item) =>
        (item.includes('pupil-200') || item.includes('mis-200') || item.includes(pupil.upn!)) && !item.includes('"AUDIT#'),
    );
    expect(about).toEqual([]);
    expect(await store.getDocument('centre-p12', 'pupils#snapshot')).toBeNull();
    expect(await store.getDocument('centre-p12', 'teachers#snapshot')).not.toBeNull();
    expect((await store.listAudit('centre-p12')).map((entry) => entry.action)).toContain('pupil.erased_now');
    await expect(erasePupilNow(deps, 'centre-p12', 'pupil-200')).rejects.toThrow(/has no pupil/);
  });

  it('deletes a pupil stored before versions existed, frees its MIS link, and will not restore over a newcomer', async () => {
    await givenCentre('centre-p13');
    const cookie = await signedInAs('centre-p13');
    const { store } = dependencies();
    const dynamo = localDynamoClient(process.env.AWS_ENDPOINT_URL_DYNAMODB!);
    await dynamo.send(
      new UpdateItemCommand({
        TableName: process.env.TABLE_NAME!,
        Key: { PK: { S: 'CENTRE#centre-p13' }, SK: { S: 'PUPIL#pupil-201' } },
        UpdateExpression: 'REMOVE #version',
        ExpressionAttributeNames: { '#version': 'version' },
      }),
    );
    const once = () => remove(cookie, [{ pupilId: 'pupil-201', version: 0 }]);
    expect(await once()).toMatchObject({ status: 200, body: { deleted: 1 } });
    // Sent again after a lost answer: deleted, once.
    expect(await once()).toMatchObject({ status: 200, body: { deleted: 1 } });
    expect(await store.getLinkHolder('centre-p13', 'pupil', 'mis-201')).toBeNull();

    // The child comes back to the MIS meanwhile and is imported as a new pupil, linked to the same MIS record.
    await store.putPupils([pupil('centre-p13', 300, { misId: 'mis-201', syncStatus: 'synced' })]);
    const deleted = (await store.getDeletedPupil('centre-p13', 'pupil-201'))!;
    expect(await restore(cookie, 'pupil-201', deleted.deletedAt)).toMatchObject({ status: 409, body: { error: 'mis_taken' } });
    expect(await store.getPupil('centre-p13', 'pupil-201')).toBeNull();
    expect(await store.getLinkHolder('centre-p13', 'pupil', 'mis-201')).toBe('pupil-300');
  });

  it('never restores a pupil whose erasure has begun', async () => {
    await givenCentre('centre-p11');
    const cookie = await signedInAs('centre-p11');
    const { store } = dependencies();
    const leaver = (await store.getPupil('centre-p11', 'pupil-201'))!;
    await remove(cookie, [{ pupilId: 'pupil-201', version: leaver.version }]);
    const deleted = (await store.getDeletedPupil('centre-p11', 'pupil-201'))!;
    // The sweep has claimed it (and may be erasing its results) when the restore arrives.
    await localDynamoClient(process.env.AWS_ENDPOINT_URL_DYNAMODB!).send(
      new UpdateItemCommand({
        TableName: process.env.TABLE_NAME!,
        Key: { PK: { S: 'CENTRE#centre-p11' }, SK: { S: 'DELETED#PUPIL#pupil-201' } },
        UpdateExpression: 'SET erasing = :true',
        ExpressionAttributeValues: { ':true': { BOOL: true } },
      }),
    );
    expect(await restore(cookie, 'pupil-201', deleted.deletedAt)).toMatchObject({
      status: 409,
      body: { error: 'not_restorable' },
    });
    expect(await store.getPupil('centre-p11', 'pupil-201')).toBeNull();
  });

  it('lets only the Access Co-ordinator edit', async () => {
    await givenCentre('centre-p7');
    expect((await edit(await signedInAs('centre-p7', 'teacher'), 'pupil-1', { firstName: 'X', version: 0 })).status).toBe(403);
  });
});
