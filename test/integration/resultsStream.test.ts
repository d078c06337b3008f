import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as authorisationHandler } from '../../functions/sync/authorisation';
import { handler as finishHandler } from '../../functions/sync/finish';
import { handler as deliveriesHandler } from '../../functions/results/deliveries';
import { handler as markingHandler } from '../../functions/results/marking';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { localDynamoClient } from '../../infra/local/dynamoLocal';
import { QUEUES, startLocalResults, type LocalResults } from '../../infra/local/resultsStream';
import { demoCentre } from '../../shared/demo/seedDemo';
import type { HubPupil } from '../../shared/domain/records';
import { resultIdOf } from '../../shared/results/papers';
import { redrive } from '../../shared/results/redrive';
import { SqsDeadLetters, SqsParkingQueue } from '../../shared/results/sqsParking';
import { DynamoStreamRecords } from '../../shared/results/streamRecords';
import { dependencies } from '../../shared/runtime/dependencies';
import { createDocumentClient } from '../../shared/store/dynamo/dynamoHubStore';
import { keys } from '../../shared/store/keys';
import { connectThroughConsent, startStandInForHandlers } from '../support/assembly';
import { startPipelineEngines } from '../support/engines';
import { apiEvent, call, signInAsDemoCoordinator } from '../support/hub';
import { syncAllPupils, syncYearGroupsAndClasses } from '../support/panels';

/**
 * The results stream on the local engines: DynamoDB Local's real stream, read by the local poller
 * with the declared filter and retry semantics, the sender's handler module, the local parking
 * queue and the Assembly stand-in, which refuses a second POST of one result with 422.
 */

let standIn: AssemblyStandIn;
let engines: Awaited<ReturnType<typeof startPipelineEngines>>;
let results: LocalResults;
let coordinator: string;
let synced: HubPupil[];
let unsynced: HubPupil;
const centreId = demoCentre.centreId;
const store = () => dependencies().store;

const finish = (method: 'GET' | 'PUT', body?: unknown) =>
  call(
    finishHandler,
    apiEvent(method === 'GET' ? 'GET /api/sync/finish' : 'PUT /api/sync/finish/sharing', { cookies: [coordinator], body }),
  );
async function share(shareAll: boolean) {
  const { version } = (await finish('GET')).body!.sharing as { version: number };
  const saved = await finish('PUT', { version, shareAll, shareHistorical: false });
  expect(saved.status).toBe(200);
}
/** A pupil's paper for their year, marked (or marked again) by the co-ordinator. */
async function mark(pupil: HubPupil, standardisedScore: number, paper = 'reading') {
  const paperId = `${paper}-${yearOf(pupil)}-autumn`;
  const current = (await store().listPupilResults(centreId, pupil.pupilId)).find((result) => result.paperId === paperId);
  const answer = await call(
    markingHandler,
    apiEvent('PUT /api/marking/pupils/{pupilId}/results/{paperId}', {
      cookies: [coordinator],
      pathParameters: { pupilId: pupil.pupilId, paperId },
      body: { rawMark: 30, standardisedScore, sat: '2026-11-12', version: current?.version ?? 0 },
    }),
  );
  expect(answer.status).toBe(200);
  return resultIdOf(pupil.pupilId, paperId);
}
let years: Map<string, string>;
const yearOf = (pupil: HubPupil) => years.get(pupil.yearGroupId ?? '') ?? '3';
const heldFor = (pupil: HubPupil) => standIn.results.filter((result) => result.student_id === Number(pupil.misId));

async function until<T>(read: () => T | undefined, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** While set, the sender fails every batch that holds this result id. */
let faultyFor: string | null = null;
let next = 0;
/** A synced pupil no test has marked yet. */
const freshPupil = () => synced[next++]!;

beforeAll(async () => {
  standIn = await startStandInForHandlers(demoCentre.seed);
  engines = await startPipelineEngines();
  coordinator = await signInAsDemoCoordinator();
  await connectThroughConsent(standIn, coordinator, undefined, ['assessments.write']);
  await syncYearGroupsAndClasses(coordinator, { teachers: true });
  await syncAllPupils(coordinator);
  years = new Map(
    (await store().listYearGroups(centreId)).flatMap((group) => (group.yearCode ? [[group.yearGroupId, group.yearCode]] : [])),
  );
  const pupils = await store().listPupils(centreId);
  // Year 1 to 6: the years MARK has papers for.
  const marked = (pupil: HubPupil) => pupil.yearGroupId && /^[1-6]$/.test(years.get(pupil.yearGroupId) ?? '');
  synced = pupils.filter((pupil) => pupil.syncStatus === 'synced' && marked(pupil));
  // A Hub pupil left Not matched (the co-ordinator may mark any pupil).
  unsynced = pupils.find((pupil) => pupil.syncStatus !== 'synced')!;
  expect(synced.length).toBeGreaterThan(20);
  expect(unsynced).toBeDefined();
  process.env.RESULTS_UNAVAILABLE_BASE_SECONDS = '1';
  results = await startLocalResults({
    dynamo: localDynamoClient(process.env.AWS_ENDPOINT_URL_DYNAMODB!),
    dynamoEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB!,
    tableName: process.env.TABLE_NAME!,
    sqsPort: 0,
    retryDelayMs: 50,
    // The sender, with a fault that can be switched on for one result (a bug, fixed later).
    loadHandler: async () => {
      const { handler } = await import('../../functions/results/send');
      return async (event, context) => {
        if (faultyFor && JSON.stringify(event).includes(faultyFor)) throw new Error('a sender fault');
        return handler(event, context);
      };
    },
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SQS: results.sqsEndpoint,
    RESULTS_PARKING_QUEUE_URL: results.queueUrl(QUEUES.parked),
  });
}, 180_000);
afterAll(async () => {
  await results?.stop();
  await standIn?.stop();
  engines?.stop();
});
beforeEach(() => {
  Object.assign(standIn.faults, { serverErrorNext: 0, rateLimitNext: 0 });
});

describe('results streamed to Assembly', () => {
  it('sends nothing while the school does not share', async () => {
    const pupil = freshPupil();
    await mark(pupil, 104);
    await results.settled();
    expect(heldFor(pupil)).toEqual([]);
  });

  it('sends a mark for a synced pupil once sharing is on, then PATCHes the one result when the mark changes', async () => {
    await share(true);
    const pupil = freshPupil();
    const resultId = await mark(pupil, 104);
    const [held] = await until(() => (heldFor(pupil).length ? heldFor(pupil) : undefined), 'the result in Assembly');
    expect(held).toMatchObject({ assessment_id: 101, facet_id: 1, grade_id: 1034, result_date: '2026-11-12' });
    await results.settled();
    expect(await store().getResultDelivery(centreId, resultId)).toMatchObject({ status: 'sent', assemblyResultId: held!.id });

    await mark(pupil, 117);
    await until(() => (heldFor(pupil)[0]!.grade_id === 1047 ? true : undefined), 'the changed grade');
    await results.settled();
    expect(heldFor(pupil)).toHaveLength(1);
    expect(await store().getResultDelivery(centreId, resultId)).toMatchObject({ status: 'sent', version: 2, gradeId: 1047 });
  });

  it('sends nothing for a pupil who is not synced with the MIS', async () => {
    const before = standIn.results.length;
    await mark(unsynced, 110);
    await results.settled();
    expect(standIn.results.length).toBe(before);
    expect(
      await store().getResultDelivery(centreId, resultIdOf(unsynced.pupilId, `reading-${yearOf(unsynced)}-autumn`)),
    ).toBeNull();
  });

  it('fails a score with no grade in Assembly’s grade set, with its reason', async () => {
    const pupil = freshPupil();
    const resultId = await mark(pupil, 145);
    await results.settled();
    expect(heldFor(pupil)).toEqual([]);
    expect(await store().getResultDelivery(centreId, resultId)).toMatchObject({
      status: 'failed',
      reason: 'No grade for 145 in Assembly’s grade set',
    });
  });

  it('lists a failed result with its reason, and sends it once when retried after the cause is fixed', async () => {
    const pupil = freshPupil();
    const resultId = await mark(pupil, 146);
    await results.settled();
    const status = async (query: Record<string, string>) =>
      (await call(deliveriesHandler, apiEvent('GET /api/results/deliveries', { cookies: [coordinator], query }))).body as {
        rows: { resultId: string; state: string; reason: string | null; version: number }[];
        counts: Record<string, number>;
      };
    const failed = await status({ status: 'failed', q: pupil.lastName });
    const row = failed.rows.find((candidate) => candidate.resultId === resultId)!;
    expect(row).toMatchObject({ state: 'failed', reason: 'No grade for 146 in Assembly’s grade set' });
    expect(failed.counts.failed).toBeGreaterThanOrEqual(1);
    const retry = (version: number) =>
      call(
        deliveriesHandler,
        apiEvent('POST /api/results/deliveries/retry', { cookies: [coordinator], body: { results: [{ resultId, version }] } }),
      );
    // Only a failed result can be retried: one already sent is refused, and nothing is written.
    const sentOne = await mark(freshPupil(), 101);
    await results.settled();
    const sentVersion = (await store().getResult(centreId, sentOne))!.version;
    expect(
      await call(
        deliveriesHandler,
        apiEvent('POST /api/results/deliveries/retry', {
          cookies: [coordinator],
          body: { results: [{ resultId: sentOne, version: sentVersion }] },
        }),
      ),
    ).toMatchObject({ status: 409, body: { error: 'not_failed' } });

    // The school adds the grade in Assembly, then retries (twice: a double click).
    const grades = (standIn.served().catalogue.gradeSets.get(101) as { grades: Record<string, unknown>[] }).grades;
    grades.push({ object: 'grade', id: 1076, name: '146', value: 146 });
    try {
      expect(await retry(row.version)).toMatchObject({ status: 200, body: { retried: 1 } });
      expect(await retry(row.version)).toMatchObject({ status: 200, body: { retried: 1 } });
      await until(() => (heldFor(pupil).length ? true : undefined), 'the retried result in Assembly');
      await results.settled();
      expect(heldFor(pupil)).toHaveLength(1);
      expect((await status({ q: pupil.lastName })).rows.find((candidate) => candidate.resultId === resultId)).toMatchObject({
        state: 'sent',
      });
      const audit = (await store().listAudit(centreId)).filter((entry) => entry.action === 'result.retried');
      expect(audit.map((entry) => entry.subject)).toEqual([resultId]);
      // A teacher who opened the paper before the retry can still mark it again: the retry changed no mark.
      const remarked = await call(
        markingHandler,
        apiEvent('PUT /api/marking/pupils/{pupilId}/results/{paperId}', {
          cookies: [coordinator],
          pathParameters: { pupilId: pupil.pupilId, paperId: `reading-${yearOf(pupil)}-autumn` },
          body: { rawMark: 31, standardisedScore: 140, sat: '2026-11-12', version: row.version },
        }),
      );
      expect(remarked.status).toBe(200);
      await results.settled();
    } finally {
      grades.pop();
    }
  });

  it('shows a result parked after a 429 as parked, with why', async () => {
    const pupil = freshPupil();
    Object.assign(standIn.faults, { rateLimitNext: 1, rateLimitPeriod: 3 });
    const resultId = await mark(pupil, 118);
    await until(() => (results.messages(QUEUES.parked).length ? true : undefined), 'a parked result');
    const listed = (
      await call(
        deliveriesHandler,
        apiEvent('GET /api/results/deliveries', { cookies: [coordinator], query: { status: 'parked' } }),
      )
    ).body as { rows: { resultId: string; reason: string }[] };
    expect(listed.rows.find((row) => row.resultId === resultId)?.reason).toMatch(/Assembly asked us to wait/);
    await until(() => (heldFor(pupil).length ? true : undefined), 'the parked result in Assembly');
    await results.settled();
  });

  it('delivers once after Assembly has failed with 5xx for a while', async () => {
    const pupil = freshPupil();
    // More failures than the client's own retries: the result is parked, then sent.
    standIn.faults.serverErrorNext = 12;
    await mark(pupil, 99);
    await until(() => (results.messages(QUEUES.parked).length ? true : undefined), 'a result parked while Assembly fails');
    await until(() => (heldFor(pupil).length ? true : undefined), 'the result after the outage', 60_000);
    await results.settled();
    expect(standIn.faults.serverErrorNext).toBe(0);
    expect(heldFor(pupil)).toHaveLength(1);
  });

  it('parks results for the period a 429 names, then delivers them once', async () => {
    const pupil = freshPupil();
    Object.assign(standIn.faults, { rateLimitNext: 1, rateLimitPeriod: 2 });
    const marked = Date.now();
    await mark(pupil, 121);
    await until(() => (results.messages(QUEUES.parked).length ? true : undefined), 'a parked result');
    await until(() => (heldFor(pupil).length ? true : undefined), 'the parked result in Assembly');
    expect(Date.now() - marked).toBeGreaterThanOrEqual(2000);
    await results.settled();
    expect(heldFor(pupil)).toHaveLength(1);
    expect(results.messages(QUEUES.parked)).toHaveLength(0);
  });

  it('takes up a POST whose answer was lost: the result found in Assembly is adopted, never posted twice', async () => {
    const pupil = freshPupil();
    await share(false);
    const resultId = await mark(pupil, 108);
    await results.settled();
    // As a crash leaves it: Assembly holds the result, our claim was never resolved.
    await postDirectly(pupil, 1038);
    const stale = new Date(Date.now() - 5 * 60_000).toISOString();
    await store().saveResultDelivery(
      {
        centreId,
        resultId,
        status: 'sending',
        version: 1,
        assemblyResultId: null,
        gradeId: null,
        resultDate: null,
        reason: null,
        claimId: 'crashed',
        at: stale,
        revision: 1,
      },
      0,
    );
    await share(true);
    await mark(pupil, 112);
    await until(() => (heldFor(pupil)[0]!.grade_id === 1042 ? true : undefined), 'the PATCHed result');
    await results.settled();
    expect(heldFor(pupil)).toHaveLength(1);
    expect(await store().getResultDelivery(centreId, resultId)).toMatchObject({
      status: 'sent',
      assemblyResultId: heldFor(pupil)[0]!.id,
    });
  });

  it('corrects a result Assembly already holds with an older grade: adopted on the 422, then PATCHed', async () => {
    const pupil = freshPupil();
    await share(false);
    const resultId = await mark(pupil, 108);
    await results.settled();
    // An earlier POST landed but its answers were lost until the result was given up on.
    await postDirectly(pupil, 1038);
    await store().saveResultDelivery(
      {
        centreId,
        resultId,
        status: 'failed',
        version: 1,
        assemblyResultId: null,
        gradeId: null,
        resultDate: null,
        reason: 'Assembly did not answer for several hours. Mark the paper again to send it.',
        claimId: null,
        at: new Date(Date.now() - 5 * 60_000).toISOString(),
        revision: 1,
      },
      0,
    );
    await share(true);
    await mark(pupil, 112);
    await until(() => (heldFor(pupil)[0]!.grade_id === 1042 ? true : undefined), 'the corrected result');
    await results.settled();
    expect(heldFor(pupil)).toHaveLength(1);
    expect(await store().getResultDelivery(centreId, resultId)).toMatchObject({
      status: 'sent',
      gradeId: 1042,
      assemblyResultId: heldFor(pupil)[0]!.id,
    });
  });

  it('sends a poison record to the dead-letter queue, and goes on with the others', async () => {
    const documents = createDocumentClient(localDynamoClient(process.env.AWS_ENDPOINT_URL_DYNAMODB!));
    await documents.send(
      new PutCommand({
        TableName: process.env.TABLE_NAME!,
        Item: {
          ...keys.result(centreId, 'poison#paper'),
          type: 'result',
          centreId,
          resultId: 'poison#paper',
          rawMark: 'not a number',
        },
      }),
    );
    const pupil = freshPupil();
    await mark(pupil, 100);
    await until(() => (results.messages(QUEUES.deadLetters).length ? true : undefined), 'a dead letter');
    await until(() => (heldFor(pupil).length ? true : undefined), 'the good result');
    const [letter] = results.messages(QUEUES.deadLetters);
    expect(JSON.parse(letter!.body)).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted' },
      // From the poison record on: the records after it in its batch are tried again with it (and change nothing).
      DDBStreamBatchInfo: { batchSize: expect.any(Number), streamArn: expect.stringContaining('stream') },
    });
  });

  it('redrives what reached the dead-letter queue once the fault is fixed: sent once, and shown as sent', async () => {
    // The data fault of the poison record above is fixed too (the record removed), so it is skipped.
    await createDocumentClient(localDynamoClient(process.env.AWS_ENDPOINT_URL_DYNAMODB!)).send(
      new DeleteCommand({ TableName: process.env.TABLE_NAME!, Key: keys.result(centreId, 'poison#paper') }),
    );
    const pupil = freshPupil();
    const before = results.messages(QUEUES.deadLetters).length;
    faultyFor = resultIdOf(pupil.pupilId, `reading-${yearOf(pupil)}-autumn`);
    const resultId = await mark(pupil, 104);
    await until(() => (results.messages(QUEUES.deadLetters).length > before ? true : undefined), 'the dead letter');
    expect(heldFor(pupil)).toEqual([]);
    faultyFor = null;

    const deps = {
      streamLetters: new SqsDeadLetters(results.queueUrl(QUEUES.deadLetters)),
      parkedLetters: new SqsDeadLetters(results.queueUrl(QUEUES.parkedDeadLetters)),
      parking: new SqsParkingQueue(results.queueUrl(QUEUES.parked)),
      stream: new DynamoStreamRecords(
        new DynamoDBStreamsClient({
          endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB!,
          region: 'eu-west-2',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }),
      ),
      clock: { now: () => new Date() },
    };
    // Another centre's: everything stays.
    expect(await redrive(deps, 'another-centre')).toMatchObject({ redriven: 0 });
    expect(results.messages(QUEUES.deadLetters).length).toBeGreaterThan(before);

    const report = await redrive(deps, centreId);
    expect(report.redriven).toBeGreaterThanOrEqual(1);
    expect(results.messages(QUEUES.deadLetters)).toHaveLength(0);
    await until(() => (heldFor(pupil).length ? true : undefined), 'the redriven result in Assembly');
    await results.settled();
    // Again: nothing left to redrive, and still one result in Assembly.
    expect(await redrive(deps, centreId)).toMatchObject({ redriven: 0 });
    await results.settled();
    expect(heldFor(pupil)).toHaveLength(1);
    const listed = (
      await call(
        deliveriesHandler,
        apiEvent('GET /api/results/deliveries', { cookies: [coordinator], query: { q: pupil.lastName } }),
      )
    ).body as { rows: { resultId: string; state: string }[] };
    expect(listed.rows.find((row) => row.resultId === resultId)).toMatchObject({ state: 'sent' });
  });

  it('stops sending at once when sharing is switched off', async () => {
    await share(false);
    const pupil = freshPupil();
    await mark(pupil, 113);
    await results.settled();
    expect(heldFor(pupil)).toEqual([]);
    await share(true);
  });

  it('stops sending when the school is deauthorised, though sharing stays chosen', async () => {
    const deauthorised = await call(
      authorisationHandler,
      apiEvent('POST /api/sync/authorisation/deauthorise', { cookies: [coordinator], body: { confirm: true } }),
    );
    expect(deauthorised.status).toBe(200);
    const pupil = freshPupil();
    const before = standIn.results.length;
    await mark(pupil, 115);
    await results.settled();
    expect(standIn.results.length).toBe(before);
    expect(((await finish('GET')).body!.sharing as { shareAll: boolean }).shareAll).toBe(true);
  });
});

/** A result written to Assembly as an earlier POST of ours would have left it. */
async function postDirectly(pupil: HubPupil, gradeId: number): Promise<void> {
  const token = standIn.mintToken(['assessments.write', 'assessments.internal']);
  const posted = await fetch(`${standIn.url}/results`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token.accessToken}`,
      accept: 'application/vnd.assembly+json; version=1.1',
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      assessment_id: 101,
      facet_id: 1,
      subject_id: heldSubject(),
      assessment_point_rank: pointRank(yearOf(pupil)),
      results: [{ student_id: Number(pupil.misId), grade_id: gradeId, result_date: '2026-11-12' }],
    }),
  });
  expect(posted.status).toBe(200);
}

function heldSubject(): number {
  const subjects = standIn.served().catalogue.subjects as { id: number; name?: string }[];
  return (subjects.find((subject) => /^reading$/i.test(subject.name ?? '')) ??
    subjects.find((subject) => /^english$/i.test(subject.name ?? '')))!.id;
}
function pointRank(yearCode: string): number {
  const points = standIn.served().catalogue.assessmentPoints as { rank: number; year_code: string; name: string }[];
  return points.find((point) => point.year_code === yearCode && /Autumn/.test(point.name))!.rank;
}
