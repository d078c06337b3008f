import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as signInHandler } from '../../functions/auth/signIn';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { stateMachines } from '../../infra/pipeline/syncPipeline';
import type { Session } from '../../shared/domain/records';
import { hashToken } from '../../shared/auth/tokens';
import { dependencies } from '../../shared/runtime/dependencies';
import { getLoad, startLoad, type LoadView } from '../../shared/sync/loads';
import { CHUNK_SIZE, getRun, startRun, type RunView } from '../../shared/sync/runs';
import { loadKinds, runKinds } from '../../shared/wizard/steps';
import { connectThroughConsent, startStandInForHandlers } from '../support/assembly';
import { linkTokenIn, sentEmails, startPipelineEngines, type SentEmail } from '../support/engines';
import { aroundTask, installFaults, type DynamoFault, type FaultPlan, type WriteCall } from '../support/faults';
import { apiEvent, call, givenAccount, sessionCookieFrom } from '../support/hub';
import { centreState, loadScenarios, runScenarios } from '../support/runScenarios';

/**
 * The fault matrix: every kind of run and of load the wizard registers, run on the local engines
 * with faults injected, must end exactly as the same run without them: no record, email or link
 * lost or duplicated, the lock released, the run's outcome true. Retries are not waited out
 * (the local Step Functions retries at once); everything else is as deployed.
 */
process.env.ASSEMBLY_TIMEOUT_MS = '400';
// Each case is a whole run on the local engines: a few seconds, more on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

let standIn: AssemblyStandIn;
let engines: Awaited<ReturnType<typeof startPipelineEngines>>;
let faults: ReturnType<typeof installFaults>;
const deps = dependencies();

beforeAll(async () => {
  standIn = await startStandInForHandlers();
  engines = await startPipelineEngines({ retryIntervalMs: 0, aroundTask });
  faults = installFaults(deps, process.env.TABLE_NAME!);
});
afterAll(async () => {
  faults?.restore();
  await standIn?.stop();
  engines?.stop();
});

let centres = 0;
const freshCentre = (label: string) => `faults-${String(++centres).padStart(3, '0')}-${label}`;
const sessionOf = (centreId: string): Session => ({
  userId: `coordinator-${centreId}`,
  centreId,
  role: 'access_coordinator',
  expiresAt: 0,
  sessionVersion: 0,
});

async function until<T extends { status: string }>(read: () => Promise<T>, seconds = 120): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const current = await read();
    if (current.status !== 'running') return current;
    if (Date.now() > deadline) throw new Error(`still running after ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Emails the run's centre was sent, in the order sent. */
async function emailsOf(centreId: string): Promise<SentEmail[]> {
  return (await sentEmails(engines.sesUrl)).filter((mail) => mail.destination.to.some((to) => to.includes(centreId)));
}
/** By address, with the centre's id replaced. */
const addressesOf = (emails: readonly SentEmail[], centreId: string) =>
  emails.flatMap((mail) => mail.destination.to.map((to) => to.replace(centreId, '<C>'))).sort();

interface Outcome {
  centreId: string;
  view: RunView;
  state: string[];
  emails: SentEmail[];
  seen: (WriteCall & { fault: DynamoFault | null })[];
}

async function runWith(kind: string, plan: FaultPlan): Promise<Outcome> {
  const scenario = runScenarios[kind]!;
  const centreId = freshCentre(kind);
  const entries = await scenario.prepare(deps, centreId);
  faults.startCase(plan);
  const session = sessionOf(centreId);
  const { runId } = await startRun(deps, session, runKinds.get(kind)!, entries as never[]);
  const view = await until(() => getRun(deps, session, runId));
  return {
    centreId,
    view,
    state: await centreState(centreId, { R: runId }),
    emails: await emailsOf(centreId),
    seen: faults.seen(),
  };
}

/** The pipeline's task states, from its declaration; the Catch's own state is not faulted here. */
const pipelineStates = Object.keys(stateMachines.sync.tasks).filter((state) => state !== 'RecordFailure');

describe.each([...runKinds.keys()])('a %s run under faults', (kind) => {
  let baseline: Outcome;
  const writesOf = (state: string) => baseline.seen.filter((call) => call.state === state && call.invocation === 1).length;
  /** The write half-way through each state's first invocation (its first chunk); 0, its start, if it writes nothing. */
  const halfWay = (state: string) => Math.ceil(writesOf(state) / 2);
  const expectSameEnd = async (outcome: Outcome, { crashed = false } = {}) => {
    expect(outcome.view).toMatchObject({ status: 'succeeded', failureReason: null });
    expect(outcome.view.counts).toEqual(baseline.view.counts);
    expect(outcome.view.notices).toEqual(baseline.view.notices);
    expect(outcome.state).toEqual(baseline.state);
    const addresses = addressesOf(outcome.emails, outcome.centreId);
    const expected = addressesOf(baseline.emails, baseline.centreId);
    if (!crashed) return expect(addresses).toEqual(expected);
    // A task that dies while an email is with SES and before its sending is recorded cannot
    // know it went: the retry sends it again (no email is lost). The new link replaces the
    // old, so one link is ever live.
    expect([...new Set(addresses)]).toEqual(expected);
    for (const to of new Set(outcome.emails.flatMap((mail) => mail.destination.to))) {
      const links = outcome.emails.filter((mail) => mail.destination.to.includes(to)).map(linkTokenIn);
      const live = await Promise.all(
        links.map(async (token) => (await deps.store.getSetPasswordToken(hashToken(token))) !== null),
      );
      expect(live, `the links sent to ${to}, oldest first: only the newest is live`).toEqual(
        links.map((_, i) => i === links.length - 1),
      );
    }
  };

  beforeAll(async () => {
    expect(runScenarios[kind], `add a fault scenario for ${kind} runs to test/support/runScenarios.ts`).toBeDefined();
    baseline = await runWith(kind, () => null);
  }, 120_000);

  it('has a fault-free run to compare with: more than one chunk, succeeded, everyone emailed once', () => {
    expect(baseline.view.status).toBe('succeeded');
    expect(baseline.seen.some((call) => call.state === 'Apply' && call.invocation === 2)).toBe(true);
    const addresses = addressesOf(baseline.emails, baseline.centreId);
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(addresses.length).toBe(baseline.view.notices.total);
    expect(Object.values(baseline.view.counts).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
  });

  it.each(pipelineStates)('ends the same when %s dies half-way through its first chunk and is retried', async (state) => {
    const write = halfWay(state);
    const outcome = await runWith(kind, (call) =>
      call.state === state && call.invocation === 1 && call.write === write ? 'crash' : null,
    );
    expect(outcome.seen.filter((call) => call.fault === 'crash')).toHaveLength(write === 0 ? 0 : 1);
    await expectSameEnd(outcome, { crashed: true });
  });

  it.each(pipelineStates)('ends the same when every answer to %s’s first chunk is lost and resent', async (state) => {
    const outcome = await runWith(kind, (call) => (call.state === state && call.invocation === 1 ? 'ackLost' : null));
    // A state that writes nothing (a run kind that emails nobody) has no answers to lose: it still writes nothing.
    expect(outcome.seen.some((call) => call.fault === 'ackLost')).toBe(writesOf(state) > 0);
    await expectSameEnd(outcome);
  });

  it.each(pipelineStates)('ends the same when DynamoDB throttles %s half-way through', async (state) => {
    const write = halfWay(state);
    const outcome = await runWith(kind, (call) =>
      call.state === state && call.invocation === 1 && call.write >= write && call.write < write + 3 ? 'throttle' : null,
    );
    expect(outcome.seen.some((call) => call.fault === 'throttle')).toBe(writesOf(state) > 0);
    await expectSameEnd(outcome);
  });

  it('ends the same when every transaction is first cancelled by a conflicting one', async () => {
    const attempted = new Set<string>();
    const outcome = await runWith(kind, (call) => {
      if (call.command !== 'TransactWriteCommand') return null;
      const transaction = JSON.stringify(call.input);
      if (attempted.has(transaction)) return null;
      attempted.add(transaction);
      return 'conflict';
    });
    expect(outcome.seen.filter((call) => call.fault === 'conflict').length).toBeGreaterThan(CHUNK_SIZE);
    await expectSameEnd(outcome);
  });
});

describe('every registered kind has a fault scenario', () => {
  it('runs and loads', () => {
    expect([...runKinds.keys()].filter((kind) => !runScenarios[kind])).toEqual([]);
    expect([...loadKinds.keys()].filter((kind) => !loadScenarios[kind])).toEqual([]);
  });
});

interface LoadOutcome {
  load: LoadView;
  /** What the load wrote: the centre's items after it that were not there before. */
  written: string[];
  connection: string | undefined;
}

let schools = 1000;
async function loadWith(kind: string, fault: () => unknown, plan: FaultPlan = () => null): Promise<LoadOutcome> {
  const centreId = freshCentre(kind);
  const coordinator = await givenAccount(centreId, 'access_coordinator');
  const cookie = sessionCookieFrom(
    (
      await call(
        signInHandler,
        apiEvent('POST /api/auth/sign-in', { body: { email: coordinator.email, password: coordinator.password } }),
      )
    ).cookies,
  );
  await connectThroughConsent(standIn, cookie, ++schools);
  const session = { ...sessionOf(centreId), userId: coordinator.userId };
  const ids = { U: coordinator.userId };
  const before = await centreState(centreId, ids);
  await fault();
  faults.startCase(plan);
  try {
    const { loadId } = await startLoad(deps, session, loadKinds.get(kind)!);
    const load = await until(() => getLoad(deps, session, loadId));
    const after = await centreState(centreId, { ...ids, L: loadId });
    return {
      load,
      written: after.filter((item) => !before.includes(item)),
      connection: after.find((item) => item.includes('"SK":"ASSEMBLY"')),
    };
  } finally {
    Object.assign(standIn.faults, { rateLimitNext: 0, serverErrorNext: 0, serverErrorRate: 0, stallNext: 0 });
  }
}

describe.each([...loadKinds.keys()])('a %s load under Assembly faults', (kind) => {
  let baseline: LoadOutcome;
  const expectSameEnd = (outcome: LoadOutcome) => {
    expect(outcome.load).toMatchObject({ status: 'done', failureReason: null, records: baseline.load.records });
    expect(outcome.written).toEqual(baseline.written);
  };
  const expectCleanFailure = (outcome: LoadOutcome, reason: RegExp) => {
    expect(outcome.load).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(reason) });
    // The panel's snapshot was not written: only the load's own record says what happened.
    expect(outcome.written.filter((item) => !/"SK":"(LOAD|LOADLATEST)#/.test(item) && !item.includes('"SK":"ASSEMBLY"'))).toEqual(
      [],
    );
  };

  beforeAll(async () => {
    baseline = await loadWith(kind, () => undefined);
  }, 60_000);

  it('has a fault-free load to compare with', () => {
    expect(baseline.load).toMatchObject({ status: 'done' });
    expect(baseline.load.records).toBeGreaterThan(0);
    expect(baseline.written.some((item) => item.includes('"SK":"DOC#'))).toBe(true);
  });

  it('ends the same after a storm of 429s the state machine waits out', async () => {
    expectSameEnd(await loadWith(kind, () => Object.assign(standIn.faults, { rateLimitNext: 3, rateLimitPeriod: 60 })));
  });

  it('fails cleanly, saying so, when the 429s outlast the retries', async () => {
    const outcome = await loadWith(kind, () => Object.assign(standIn.faults, { rateLimitNext: 50, rateLimitPeriod: 60 }));
    expectCleanFailure(outcome, /Assembly is not answering/);
    expect(outcome.connection).toContain('"status":"connected"');
  });

  it('ends the same after a burst of 5xx answers', async () => {
    expectSameEnd(await loadWith(kind, () => Object.assign(standIn.faults, { serverErrorNext: 3 })));
  });

  it('ends the same when a third of the answers are 5xx', async () => {
    expectSameEnd(await loadWith(kind, () => Object.assign(standIn.faults, { serverErrorRate: 0.3 })));
  });

  it('ends the same after requests time out', async () => {
    expectSameEnd(await loadWith(kind, () => Object.assign(standIn.faults, { stallNext: 2, stallMs: 1500 })));
  });

  it('ends the same when the access token has expired (it is refreshed)', async () => {
    // Token times have one-second resolution: every token issued so far is expired, none issued after.
    const expire = async () => {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      standIn.expireAccessTokens();
      await new Promise((resolve) => setTimeout(resolve, 1100));
    };
    expectSameEnd(await loadWith(kind, expire));
  });

  it('ends the same when the task dies after its first write and is retried', async () => {
    expectSameEnd(
      await loadWith(
        kind,
        () => undefined,
        (call) => (call.invocation === 1 && call.write === 1 ? 'crash' : null),
      ),
    );
  });

  it('fails cleanly when the school has revoked access, and shows the connection revoked', async () => {
    const outcome = await loadWith(kind, () => standIn.revokeAll());
    expectCleanFailure(outcome, /revoked/);
    expect(outcome.connection).toContain('"deauthorisedBecause":"revoked_in_assembly"');
  });
});
