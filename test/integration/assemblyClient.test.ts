import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssemblyClient, OPTIONAL_SCOPES, REQUIRED_SCOPES, type SchoolTokens } from '../../shared/assembly/client';
import { AssemblyRevokedError, AssemblyScopeError } from '../../shared/assembly/errors';
import { startAssemblyStandIn, type AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { schoolFileSchema } from '../../shared/files/schoolFile';

const CLIENT = {
  clientId: 'hub-test',
  clientSecret: 'hub-test-secret',
  redirectUris: ['http://localhost:9/callback'],
  name: 'Admin Hub (test)',
};
const ALL_SCOPES = [...REQUIRED_SCOPES, ...OPTIONAL_SCOPES];
let standIn: AssemblyStandIn;
let requests: string[] = [];

/** The client against the stand-in, with no real waiting; every request is noted, and `beforeFetch` may inject a fault. */
function client(beforeFetch: () => void = () => undefined): AssemblyClient {
  return new AssemblyClient({
    apiBaseUrl: standIn.url,
    oauthBaseUrl: standIn.url,
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    redirectUri: CLIENT.redirectUris[0]!,
    maxRateLimitRetries: 5,
    sleep: async () => undefined,
    fetch: async (input, init) => {
      requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      beforeFetch();
      return fetch(input, init);
    },
  });
}

function tokens(scopes: readonly string[] = ALL_SCOPES): SchoolTokens {
  const minted = standIn.mintToken(scopes);
  return { accessToken: minted.accessToken, refreshToken: minted.refreshToken };
}

beforeAll(async () => {
  standIn = await startAssemblyStandIn({ port: 0, pupils: 3200, seed: 'client-test', clients: [CLIENT] });
});
afterAll(() => standIn?.stop());

describe('Assembly client against the stand-in', () => {
  it('fetches 3,200 students in 3 requests of up to 1,500', async () => {
    requests = [];
    const listing = await client().students(tokens(), { include: ['demographics'] });
    expect(listing.notModified).toBe(false);
    if (listing.notModified) return;
    expect(listing.items).toHaveLength(3200);
    expect(requests).toEqual(['GET /students', 'GET /students', 'GET /students']);
    expect(listing.items[0]).toMatchObject({
      upn: expect.stringMatching(/^[A-Z]\d{12}$/),
      demographics: { gender: expect.stringMatching(/^[FM]$/) },
    });
  });

  it('waits out a 429 in the middle of a listing and still returns every student', async () => {
    let calls = 0;
    // Two 429s arrive just as the second page is asked for.
    const wrapped = client(() => {
      if (++calls === 2) standIn.faults.rateLimitNext = 2;
    });
    const listing = await wrapped.students(tokens());
    expect(listing.notModified ? 0 : listing.items.length).toBe(3200);
    expect(calls).toBe(5);
  });

  it('recovers from server errors with backoff', async () => {
    standIn.faults.serverErrorNext = 2;
    expect((await client().school(tokens())).name).toBe(standIn.schoolName);
  });

  it('gets a complete listing through a 30% rate of server errors', async () => {
    standIn.faults.serverErrorRate = 0.3;
    try {
      const listing = await client().students(tokens());
      expect(listing.notModified ? 0 : listing.items.length).toBe(3200);
    } finally {
      standIn.faults.serverErrorRate = 0;
    }
  });

  it('refreshes an expired token once, retries, and hands the new token over to be stored', async () => {
    const school = tokens();
    const stored: string[] = [];
    school.onRefreshed = async ({ accessToken }) => {
      stored.push(accessToken);
    };
    const before = school.accessToken;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    standIn.expireAccessTokens();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    requests = [];

    const staff = await client().staffMembers(school);

    expect(staff.notModified ? 0 : staff.items.length).toBe(standIn.generated!.staff.length);
    expect(stored).toHaveLength(1);
    expect(school.accessToken).toBe(stored[0]);
    expect(school.accessToken).not.toBe(before);
    expect(requests).toEqual(['GET /staff_members', 'POST /oauth/token', 'GET /staff_members']);
  });

  it('gives a typed error when the school has revoked access', async () => {
    const school = tokens();
    standIn.revokeAll();
    await expect(client().school(school)).rejects.toBeInstanceOf(AssemblyRevokedError);
  });

  it('names the scope the school did not grant', async () => {
    const withoutGroups = tokens(REQUIRED_SCOPES.filter((scope) => scope !== 'teaching_groups'));
    const error = await client()
      .teachingGroups(withoutGroups)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AssemblyScopeError);
    expect((error as AssemblyScopeError).scope).toBe('teaching_groups');
  });

  it('leaves out fields whose scope was not granted', async () => {
    const listing = await client().students(tokens(['school', 'students.basic']));
    expect(listing.notModified ? null : listing.items[0]).toMatchObject({ upn: null, dob: null, first_name: expect.any(String) });
  });

  it('answers a conditional request with 304 when nothing changed', async () => {
    const listing = await client().yearGroups(tokens(), { ifModifiedSince: new Date(Date.now() + 60_000) });
    expect(listing).toEqual({ notModified: true });
  });

  it('pages through the records changed since, when more changed than one page holds', async () => {
    const before = await client().students(tokens());
    if (before.notModified) throw new Error('a first listing is never 304');
    const file = schoolFileSchema.parse(standIn.served().toFile());
    const changed = new Set<number>();
    file.students.forEach((student, index) => {
      if (index % 3 === 2) return;
      file.students[index] = { ...student, middle_name: 'Changed' };
      changed.add(student.id);
    });
    expect(changed.size).toBeGreaterThan(1500);
    standIn.replaceSchool(file);
    requests = [];
    const since = await client().students(tokens(), { ifModifiedSince: new Date(before.lastModified!) });
    if (since.notModified) throw new Error('students changed');
    expect(requests).toEqual(['GET /students', 'GET /students']);
    expect(new Set(since.items.map((student) => student.id))).toEqual(changed);
  });

  it('writes results in batches of at most 50 and the stand-in keeps them', async () => {
    requests = [];
    const students = standIn.generated!.pupils.slice(0, 120);
    const created = await client().postResults(tokens(), {
      subject_id: 1,
      facet_id: 1,
      assessment_point_rank: 101,
      assessment_id: 101,
      results: students.map((pupil) => ({ student_id: pupil.id, grade_id: 1030 })),
    });
    expect(created).toHaveLength(120);
    expect(requests).toEqual(['POST /results', 'POST /results', 'POST /results']);
    expect(standIn.results.length).toBeGreaterThanOrEqual(120);
  });

  it('exchanges a code from the consent page, with the optional scope ticked', async () => {
    const api = client();
    const consent = await fetch(api.authorizeUrl('state-123'));
    expect(await consent.text()).toContain('upload assessment data');
    const approve = new URLSearchParams({
      client_id: CLIENT.clientId,
      redirect_uri: CLIENT.redirectUris[0]!,
      state: 'state-123',
      scope: [...REQUIRED_SCOPES.map((scope) => `${scope}:required`), 'assessments.write:optional'].join(' '),
      decision: 'approve',
      optional: 'assessments.write',
    });
    const redirect = await fetch(`${standIn.url}/oauth/authorize`, { method: 'POST', body: approve, redirect: 'manual' });
    const back = new URL(redirect.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('state-123');

    const granted = await api.exchangeCode(back.searchParams.get('code')!);

    expect(granted).toMatchObject({ level: 'school', school_id: expect.any(Number), refresh_token: expect.any(String) });
    expect(granted.scopes).toEqual(expect.arrayContaining(['assessments.write', 'students.dob']));
    await expect(api.exchangeCode(back.searchParams.get('code')!)).rejects.toThrow(/invalid_grant/);
  });
});

describe('the stand-in refuses what Assembly refuses', () => {
  it('406 without the version header', async () => {
    const response = await fetch(`${standIn.url}/school`, { headers: { authorization: `Bearer ${tokens().accessToken}` } });
    expect(response.status).toBe(406);
    expect(await response.json()).toEqual({ error: 'unsupported_version' });
  });

  it('401 invalid_request without a token, and invalid_token with a bad one', async () => {
    const accept = 'application/vnd.assembly+json; version=1.1';
    const none = await fetch(`${standIn.url}/school`, { headers: { accept } });
    const bad = await fetch(`${standIn.url}/school`, { headers: { accept, authorization: 'Bearer not.a.token' } });
    expect([none.status, await none.json()]).toEqual([
      401,
      { error: 'invalid_request', message: 'an access_token is required.' },
    ]);
    expect([bad.status, (await bad.json()).error]).toEqual([401, 'invalid_token']);
  });

  it('allows 600 requests in 5 minutes per token, then answers 429 with the documented body', async () => {
    const token = tokens().accessToken;
    const headers = { accept: 'application/vnd.assembly+json; version=1.1', authorization: `Bearer ${token}` };
    for (let request = 0; request < 600; request++) {
      const response = await fetch(`${standIn.url}/academic_years`, { headers });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const limited = await fetch(`${standIn.url}/academic_years`, { headers });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({
      error: 'too many requests',
      data: { count: 601, period: expect.any(Number), limit: 600 },
    });
  });

  it('pages with Assembly’s headers', async () => {
    const response = await fetch(`${standIn.url}/students?per_page=1000&page=4`, {
      headers: { accept: 'application/vnd.assembly+json; version=1.1', authorization: `Bearer ${tokens().accessToken}` },
    });
    expect(
      Object.fromEntries(
        ['page', 'per-page', 'total', 'total-pages', 'next-page'].map((name) => [name, response.headers.get(name)]),
      ),
    ).toEqual({
      page: '4',
      'per-page': '1000',
      total: '3200',
      'total-pages': '4',
      'next-page': '',
    });
  });
});
