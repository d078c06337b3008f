import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { handler as authorisationHandler } from '../../functions/sync/authorisation';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { startStandInForHandlers } from '../support/assembly';
import { AUTHORISATION_CALLBACK_PATH, dependencies } from '../../shared/runtime/dependencies';
import { HAND_ENTERED } from '../../shared/domain/records';
import { apiEvent, call, givenAccount, sessionCookieFrom, tableSnapshot } from '../support/hub';

let standIn: AssemblyStandIn;

beforeAll(async () => {
  standIn = await startStandInForHandlers();
});
afterAll(() => standIn?.stop());

async function signedIn(centreId: string, role: 'access_coordinator' | 'teacher' = 'access_coordinator') {
  const account = await givenAccount(centreId, role);
  const response = await call(
    signInHandler,
    apiEvent('POST /api/auth/sign-in', { body: { email: account.email, password: account.password } }),
  );
  return sessionCookieFrom(response.cookies);
}

const as = (cookie: string, routeKey: string, body?: unknown) =>
  call(authorisationHandler, apiEvent(routeKey, { cookies: [cookie], body }));

/** What the school does on Assembly's consent page: approve (ticking the optional scope) or refuse. */
let schools = 5000;
/** Each consent is a different Assembly school unless `schoolId` says which. */
async function consent(authorizeUrl: string, decision: 'approve' | 'deny', tickOptional = true, schoolId = ++schools) {
  const url = new URL(authorizeUrl);
  const form = new URLSearchParams({
    client_id: url.searchParams.get('client_id')!,
    redirect_uri: url.searchParams.get('redirect_uri')!,
    state: url.searchParams.get('state')!,
    scope: url.searchParams.get('scope')!,
    decision,
    school_id: String(schoolId),
  });
  if (tickOptional) form.append('optional', 'assessments.write');
  const response = await fetch(`${standIn.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  const back = new URL(response.headers.get('location')!);
  expect(back.pathname).toBe(AUTHORISATION_CALLBACK_PATH);
  return Object.fromEntries(back.searchParams) as { state: string; code?: string; error?: string };
}

describe('Authorisation panel', () => {
  it('connects through Assembly’s consent page and stores the tokens encrypted', async () => {
    const cookie = await signedIn('centre-auth-1');
    expect((await as(cookie, 'GET /api/sync/authorisation')).body).toEqual({ status: 'not_connected' });

    const started = await as(cookie, 'POST /api/sync/authorisation/start');
    const returned = await consent(String(started.body!.authorizeUrl), 'approve');
    const completed = await as(cookie, 'POST /api/sync/authorisation/complete', returned);

    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({
      status: 'connected',
      schoolName: standIn.schoolName,
      uploadAssessmentData: true,
      syncEnabled: true,
    });
    expect((await as(cookie, 'GET /api/sync/authorisation')).body).toMatchObject({ status: 'connected' });
    const stored = (await tableSnapshot()).find((item) => item.includes('"ASSEMBLY"'))!;
    expect(stored).toContain('gcm:');
    expect(stored).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });

  it('refuses a replayed state, and stores nothing', async () => {
    const cookie = await signedIn('centre-auth-2');
    const returned = await consent(
      String((await as(cookie, 'POST /api/sync/authorisation/start')).body!.authorizeUrl),
      'approve',
    );
    expect((await as(cookie, 'POST /api/sync/authorisation/complete', returned)).status).toBe(200);
    const before = await tableSnapshot();

    const replay = await as(cookie, 'POST /api/sync/authorisation/complete', returned);

    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ fields: { state: expect.stringMatching(/already been used/) } });
    expect(await tableSnapshot()).toEqual(before);
  });

  it('refuses a forged state and a state issued to someone else, storing no token', async () => {
    const owner = await signedIn('centre-auth-3');
    const colleague = await signedIn('centre-auth-3');
    const returned = await consent(String((await as(owner, 'POST /api/sync/authorisation/start')).body!.authorizeUrl), 'approve');

    const forged = await as(owner, 'POST /api/sync/authorisation/complete', { ...returned, state: 'forged-state-value' });
    const stolen = await as(colleague, 'POST /api/sync/authorisation/complete', returned);

    expect(forged.status).toBe(400);
    expect(stolen.status).toBe(400);
    expect((await as(owner, 'GET /api/sync/authorisation')).body).toEqual({ status: 'not_connected' });
    expect((await tableSnapshot()).filter((item) => item.includes('"ASSEMBLY"') && item.includes('centre-auth-3'))).toEqual([]);
  });

  it('refuses a state older than ten minutes, storing nothing', async () => {
    const cookie = await signedIn('centre-auth-expired');
    const returned = await consent(
      String((await as(cookie, 'POST /api/sync/authorisation/start')).body!.authorizeUrl),
      'approve',
    );
    const before = await tableSnapshot();
    const deps = dependencies();
    const clock = deps.clock;
    deps.clock = { now: () => new Date(Date.now() + 11 * 60 * 1000) };
    try {
      const late = await as(cookie, 'POST /api/sync/authorisation/complete', returned);
      expect(late.status).toBe(400);
      expect(late.body).toMatchObject({ fields: { state: expect.any(String) } });
    } finally {
      deps.clock = clock;
    }
    // The spent state is gone; nothing was added.
    const after = await tableSnapshot();
    expect(after.filter((item) => !before.includes(item))).toEqual([]);
    expect(before.filter((item) => !after.includes(item))).toEqual([expect.stringContaining('"oauthState"')]);
    expect((await as(cookie, 'GET /api/sync/authorisation')).body).toEqual({ status: 'not_connected' });
  });

  it('refuses a forged code and a code already exchanged, storing no token', async () => {
    const forger = await signedIn('centre-auth-forged-code');
    const forgedReturn = await consent(
      String((await as(forger, 'POST /api/sync/authorisation/start')).body!.authorizeUrl),
      'approve',
    );
    const beforeForged = await tableSnapshot();
    const forged = await as(forger, 'POST /api/sync/authorisation/complete', { ...forgedReturn, code: 'forged-code' });
    expect(forged).toMatchObject({
      status: 400,
      body: { fields: { code: expect.stringMatching(/not valid or has already been used/) } },
    });
    expect((await tableSnapshot()).filter((item) => !beforeForged.includes(item) && item.includes('"ASSEMBLY"'))).toEqual([]);
    expect((await as(forger, 'GET /api/sync/authorisation')).body).toEqual({ status: 'not_connected' });

    // A code someone saw (a browser history, a log) is worthless once exchanged: with a fresh state of their own it is refused.
    const owner = await signedIn('centre-auth-spent-code');
    const used = await consent(String((await as(owner, 'POST /api/sync/authorisation/start')).body!.authorizeUrl), 'approve');
    expect((await as(owner, 'POST /api/sync/authorisation/complete', used)).status).toBe(200);
    const thief = await signedIn('centre-auth-code-thief');
    const thiefStart = new URL(String((await as(thief, 'POST /api/sync/authorisation/start')).body!.authorizeUrl));
    const before = await tableSnapshot();
    const replayed = await as(thief, 'POST /api/sync/authorisation/complete', {
      state: thiefStart.searchParams.get('state'),
      code: used.code,
    });
    expect(replayed).toMatchObject({ status: 400, body: { fields: { code: expect.any(String) } } });
    expect((await tableSnapshot()).filter((item) => !before.includes(item) && item.includes('"ASSEMBLY"'))).toEqual([]);
    expect((await as(thief, 'GET /api/sync/authorisation')).body).toEqual({ status: 'not_connected' });
  });

  it('says so when the school refuses on Assembly’s page', async () => {
    const cookie = await signedIn('centre-auth-4');
    const returned = await consent(String((await as(cookie, 'POST /api/sync/authorisation/start')).body!.authorizeUrl), 'deny');
    const response = await as(cookie, 'POST /api/sync/authorisation/complete', returned);
    expect(response.status).toBe(422);
    expect((await as(cookie, 'GET /api/sync/authorisation')).body).toEqual({ status: 'not_connected' });
  });

  it('deauthorises: tells Assembly, forgets the tokens and stops syncing', async () => {
    const cookie = await signedIn('centre-auth-5');
    const returned = await consent(
      String((await as(cookie, 'POST /api/sync/authorisation/start')).body!.authorizeUrl),
      'approve',
      false,
    );
    expect((await as(cookie, 'POST /api/sync/authorisation/complete', returned)).body).toMatchObject({
      uploadAssessmentData: false,
    });

    const store = dependencies().store;
    const now = new Date().toISOString();
    const teacher = (teacherId: string, misId: string | null) => ({
      teacherId,
      centreId: 'centre-auth-5',
      title: null,
      firstName: 'Eira',
      lastName: 'Lloyd',
      email: null,
      ...HAND_ENTERED,
      ...(misId ? { misId, syncStatus: 'synced' as const } : {}),
      createdAt: now,
      updatedAt: now,
    });
    await store.putTeachers([teacher('synced-1', 'mis-1'), teacher('hub-only-1', null)]);

    expect((await as(cookie, 'POST /api/sync/authorisation/deauthorise', {})).status).toBe(400);
    const response = await as(cookie, 'POST /api/sync/authorisation/deauthorise', { confirm: true });

    expect(response.body).toMatchObject({ status: 'deauthorised', syncEnabled: false, revokedInAssembly: false });
    const stored = (await tableSnapshot()).find((item) => item.includes('"ASSEMBLY"') && item.includes('centre-auth-5'))!;
    expect(stored).not.toContain('gcm:');
    // Synced records are Out of sync (deauthorised) and keep their link; Hub-only ones are untouched.
    expect(await store.getTeacher('centre-auth-5', 'synced-1')).toMatchObject({
      misId: 'mis-1',
      syncStatus: 'out_of_sync',
      syncReason: 'deauthorised',
    });
    expect(await store.getTeacher('centre-auth-5', 'hub-only-1')).toMatchObject({ misId: null, syncStatus: 'none', version: 0 });
  });

  it('shows "deauthorised" when the school revoked access in Assembly', async () => {
    const cookie = await signedIn('centre-auth-6');
    const returned = await consent(
      String((await as(cookie, 'POST /api/sync/authorisation/start')).body!.authorizeUrl),
      'approve',
    );
    await as(cookie, 'POST /api/sync/authorisation/complete', returned);

    standIn.revokeAll();

    expect((await as(cookie, 'GET /api/sync/authorisation')).body).toMatchObject({
      status: 'deauthorised',
      revokedInAssembly: true,
      syncEnabled: false,
    });
  });

  it('refreshes an expired access token and stores the new one, encrypted', async () => {
    const cookie = await signedIn('centre-auth-8');
    const returned = await consent(
      String((await as(cookie, 'POST /api/sync/authorisation/start')).body!.authorizeUrl),
      'approve',
    );
    await as(cookie, 'POST /api/sync/authorisation/complete', returned);
    const storedToken = async () =>
      JSON.parse((await tableSnapshot()).find((item) => item.includes('"ASSEMBLY"') && item.includes('centre-auth-8'))!)
        .accessTokenCiphertext.S;
    const before = await storedToken();
    // Token times have one-second resolution: expire everything issued so far, then ask again.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    standIn.expireAccessTokens();
    await new Promise((resolve) => setTimeout(resolve, 1100));

    expect((await as(cookie, 'GET /api/sync/authorisation')).body).toMatchObject({ status: 'connected' });
    const after = await storedToken();
    expect(after).toMatch(/^gcm:/);
    expect(after).not.toBe(before);
  });

  it('is the Access Co-ordinator’s alone', async () => {
    const teacher = await signedIn('centre-auth-7', 'teacher');
    expect((await as(teacher, 'POST /api/sync/authorisation/start')).status).toBe(403);
    expect((await as(teacher, 'GET /api/sync/authorisation')).status).toBe(403);
  });
});

/** Signs a co-ordinator of a new centre in and connects it: the session cookie. */
async function connected(centreId: string, schoolId?: number) {
  const cookie = await signedIn(centreId);
  const started = await as(cookie, 'POST /api/sync/authorisation/start');
  const returned = await consent(String(started.body!.authorizeUrl), 'approve', true, schoolId);
  const completed = await as(cookie, 'POST /api/sync/authorisation/complete', returned);
  return { cookie, completed };
}

async function expireAccessTokens() {
  // Token times have one-second resolution: expire everything issued so far.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  standIn.expireAccessTokens();
  await new Promise((resolve) => setTimeout(resolve, 1100));
}

describe('the Assembly connection when things go wrong', () => {
  it('keeps the school connected when the token endpoint fails for any reason but invalid_grant', async () => {
    const { cookie } = await connected('centre-conn-1');
    await expireAccessTokens();

    Object.assign(standIn.faults, { tokenErrorNext: 10, tokenErrorStatus: 503 });
    const outage = await as(cookie, 'GET /api/sync/authorisation');
    // A rotated client secret: Assembly refuses the app itself; the secret is read again, once.
    Object.assign(standIn.faults, { tokenErrorNext: 2, tokenErrorStatus: 401 });
    const refused = await as(cookie, 'GET /api/sync/authorisation');
    Object.assign(standIn.faults, { tokenErrorNext: 0 });

    expect(outage).toMatchObject({ status: 503, body: { error: 'assembly_unavailable' } });
    expect(refused).toMatchObject({ status: 503, body: { message: expect.stringMatching(/connection is unchanged/) } });
    expect((await dependencies().store.getAssemblyConnection('centre-conn-1'))?.status).toBe('connected');
    expect((await as(cookie, 'GET /api/sync/authorisation')).body).toMatchObject({ status: 'connected' });
  });

  it('recovers at once when only the first token request is refused for the app secret', async () => {
    const { cookie } = await connected('centre-conn-2');
    await expireAccessTokens();
    Object.assign(standIn.faults, { tokenErrorNext: 1, tokenErrorStatus: 401 });

    const response = await as(cookie, 'GET /api/sync/authorisation');

    expect(response.body).toMatchObject({ status: 'connected' });
  });

  for (const rotate of [false, true])
    it(`never disconnects a school when several requests refresh at once (refresh tokens ${rotate ? '' : 'not '}rotated)`, async () => {
      const centreId = `centre-conn-race-${rotate}`;
      const { cookie } = await connected(centreId);
      await expireAccessTokens();
      standIn.faults.rotateRefreshTokens = rotate;
      try {
        const answers = await Promise.all(Array.from({ length: 4 }, () => as(cookie, 'GET /api/sync/authorisation')));

        expect(answers.map((answer) => answer.body?.status)).toEqual(Array(4).fill('connected'));
        const stored = await dependencies().store.getAssemblyConnection(centreId);
        expect(stored).toMatchObject({ status: 'connected' });
        expect(stored!.version).toBeGreaterThan(1);
        // And the stored tokens still work afterwards, refreshed again if need be.
        await expireAccessTokens();
        expect((await as(cookie, 'GET /api/sync/authorisation')).body).toMatchObject({ status: 'connected' });
      } finally {
        standIn.faults.rotateRefreshTokens = false;
      }
    });

  it('writes the connection only on the version it read', async () => {
    await connected('centre-conn-3');
    const store = dependencies().store;
    const read = (await store.getAssemblyConnection('centre-conn-3'))!;

    expect(await store.saveAssemblyConnection({ ...read, schoolName: 'first writer' }, read.version)).toBe('saved');
    expect(await store.saveAssemblyConnection({ ...read, schoolName: 'second writer' }, read.version)).toBe('stale');
    expect(await store.getAssemblyConnection('centre-conn-3')).toMatchObject({ schoolName: 'first writer' });
  });

  it('answers at once that Assembly is busy, with the period to wait', async () => {
    const { cookie } = await connected('centre-conn-4');
    Object.assign(standIn.faults, { rateLimitNext: 1, rateLimitPeriod: 120 });

    const response = await as(cookie, 'GET /api/sync/authorisation');

    expect(response).toMatchObject({
      status: 503,
      body: { error: 'assembly_busy', retryAfterSeconds: 120, message: expect.stringMatching(/try again in 2 minutes/) },
    });
    expect((await dependencies().store.getAssemblyConnection('centre-conn-4'))?.status).toBe('connected');
  });

  it('refuses an Assembly school whose URN is not the centre’s', async () => {
    await dependencies().store.putCentreIfAbsent({
      centreId: 'centre-urn',
      name: 'St Other’s School',
      urn: '999999',
      createdAt: new Date().toISOString(),
    });

    const { cookie, completed } = await connected('centre-urn');

    expect(completed).toMatchObject({
      status: 422,
      body: { message: expect.stringMatching(/URN 999999.*sign in to Assembly as St Other’s School/) },
    });
    expect((await as(cookie, 'GET /api/sync/authorisation')).body).toEqual({ status: 'not_connected' });
  });

  it('connects one Assembly school to one centre only', async () => {
    const first = await connected('centre-school-a', 7777);
    expect(first.completed.status).toBe(200);

    const second = await connected('centre-school-b', 7777);

    expect(second.completed).toMatchObject({ status: 409, body: { error: 'school_taken' } });
    expect((await as(second.cookie, 'GET /api/sync/authorisation')).body).toEqual({ status: 'not_connected' });
    // Once the first centre deauthorises, the school is free to connect elsewhere.
    await as(first.cookie, 'POST /api/sync/authorisation/deauthorise', { confirm: true });
    const started = await as(second.cookie, 'POST /api/sync/authorisation/start');
    const returned = await consent(String(started.body!.authorizeUrl), 'approve', true, 7777);
    expect((await as(second.cookie, 'POST /api/sync/authorisation/complete', returned)).status).toBe(200);
  });
});
