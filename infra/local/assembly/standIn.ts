import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../../../shared/assembly/client';
import { SeededRandom } from '../../../shared/demo/random';
import { generateSchool, type MisSchool } from '../../../shared/demo/school';
import { JsonFileError, parseJsonValue } from '../../../shared/files/jsonFile';
import { schoolFileSchema, type SchoolFile, type SchoolFileCollection } from '../../../shared/files/schoolFile';
import { schoolFileFor } from './schoolData';
import { ServedSchool, type ReplaceOutcome, type ServedRecord } from './servedSchool';
import { signJwt, verifyJwt } from './jwt';

/**
 * A local stand-in for Assembly's Platform API v1.1 and its OAuth server, serving a generated
 * demo school or one given as SCHOOL.json (docs/own-school.md), and any number of schools
 * at once, one per school token. It refuses what Assembly refuses (406 without the version
 * header; 401 with invalid_request / invalid_token / insufficient_scope; 429 past 600 requests
 * in 5 minutes per token), pages with Assembly's headers, answers conditional requests with
 * only the records changed since (or 304), reports `/school/status`, and keeps the results
 * written to it. A school can be replaced while it runs (`POST /_standin/school`) to play a
 * night's changes. Faults can be injected for tests.
 */
export interface StandInClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs registered for the app. */
  redirectUris: string[];
  name?: string;
}

export interface StandInOptions {
  port: number;
  host?: string;
  seed?: string | number;
  pupils?: number;
  /** The school to serve (SCHOOL.json); without it, a school generated from `seed` and `pupils`. */
  school?: SchoolFile;
  clients: StandInClient[];
  /** Lifetime of school access tokens (Assembly: 86,400 s). */
  tokenSeconds?: number;
  jwtSecret?: string;
}

export interface Faults {
  /** The next N API requests are answered 429 with `data.period` = rateLimitPeriod. */
  rateLimitNext: number;
  rateLimitPeriod: number;
  /** The next N API requests are answered 500. */
  serverErrorNext: number;
  /** Besides those, this share of API requests (0-1) is answered 500, drawn from a seeded sequence. */
  serverErrorRate: number;
  latencyMs: number;
  /** The next N API requests are held for stallMs before they are answered (longer than the client waits: a timeout). */
  stallNext: number;
  stallMs: number;
  /** Refresh answers carry a new refresh token and the old one stops working (Assembly may do either). */
  rotateRefreshTokens: boolean;
  /** The next N token-endpoint requests are answered with this status (503, or 401 invalid_client). */
  tokenErrorNext: number;
  tokenErrorStatus: number;
  /** Each school token's budget: Assembly allows 600 requests per 300 seconds. Tests lower it. */
  budgetRequests: number;
  budgetWindowSeconds: number;
}

interface Grant {
  schoolId: number;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

export interface AssemblyStandIn {
  url: string;
  /** The school served to tokens that name no other. */
  schoolId: number;
  schoolName: string;
  /** The generated school behind it, when it was generated rather than given. */
  generated: MisSchool | null;
  faults: Faults;
  results: Record<string, unknown>[];
  /** Makes every access token issued so far expired (refresh tokens still work). */
  expireAccessTokens(): void;
  /** As if the school pressed "Do not authorise" in its Assembly dashboard. */
  revokeAll(): void;
  /** Mints a school access token directly, like the developer dashboard does for the sandbox. */
  mintToken(scopes: readonly string[], clientId?: string, schoolId?: number): { accessToken: string; refreshToken: string };
  /** Serves a new copy of a school (a new school under a new id), as `POST /_standin/school` does. */
  replaceSchool(file: SchoolFile, options?: { schoolId?: number; full?: boolean }): ReplaceOutcome;
  served(schoolId?: number): ServedSchool;
  stop(): Promise<void>;
}

const SCHOOL_ID = 4242;
/** What a sandbox token minted in the dashboard carries here: everything the app asks for. */
const SANDBOX_SCOPES = [...REQUIRED_SCOPES, ...OPTIONAL_SCOPES];
const VERSION_ACCEPT = /application\/vnd\.assembly\+json;\s*version=1\.1/;
const MAX_PER_PAGE = 1500;

const IMPLIED_BASE: Record<string, string> = {
  students: 'students.basic',
  staff_members: 'staff_members.basic',
  contacts: 'contacts.basic',
};

export async function startAssemblyStandIn(options: StandInOptions): Promise<AssemblyStandIn> {
  const generated = options.school
    ? null
    : generateSchool({ seed: options.seed ?? 'demo', pupils: options.pupils ?? 224, academicYearStart: 2026 });
  const firstFile = options.school ?? schoolFileSchema.parse(schoolFileFor(generated!));
  const schools = new Map<number, ServedSchool>([[SCHOOL_ID, new ServedSchool(SCHOOL_ID, firstFile)]]);
  /** A school id nobody registered (a test's consent naming another school) serves a copy of the first as it is now. */
  const schoolFor = (schoolId: number) => {
    let served = schools.get(schoolId);
    if (!served) {
      const first = schoolFileSchema.parse(schools.get(SCHOOL_ID)!.toFile());
      schools.set(schoolId, (served = new ServedSchool(schoolId, first)));
    }
    return served;
  };
  const replaceSchool = (file: SchoolFile, replace: { schoolId?: number; full?: boolean } = {}) => {
    const schoolId = replace.schoolId ?? SCHOOL_ID;
    const served = schools.get(schoolId);
    if (!served) {
      const added = new ServedSchool(schoolId, file);
      schools.set(schoolId, added);
      return added.firstOutcome;
    }
    return served.replace(file, { full: replace.full ?? false });
  };
  const jwtSecret = options.jwtSecret ?? randomBytes(32).toString('hex');
  const tokenSeconds = options.tokenSeconds ?? 86_400;
  const faults: Faults = {
    rateLimitNext: 0,
    rateLimitPeriod: 1,
    serverErrorNext: 0,
    serverErrorRate: 0,
    latencyMs: 0,
    stallNext: 0,
    stallMs: 0,
    rotateRefreshTokens: false,
    tokenErrorNext: 0,
    tokenErrorStatus: 503,
    budgetRequests: 600,
    budgetWindowSeconds: 300,
  };
  const faultDraws = new SeededRandom(`faults:${options.seed ?? 'demo'}`);
  const results: Record<string, unknown>[] = [];
  const codes = new Map<
    string,
    { clientId: string; redirectUri: string; scopes: string[]; expiresAt: number; schoolId: number }
  >();
  const grants = new Map<string, Grant>();
  const refreshTokens = new Map<string, string>();
  const usage = new Map<string, { windowStart: number; count: number }>();
  let notBefore = 0;
  const now = () => Math.floor(Date.now() / 1000);

  const issue = (grantId: string, grant: Grant) => {
    const iat = now();
    return signJwt(
      {
        iss: 'https://platform.assembly.education',
        iat,
        nbf: iat,
        exp: iat + tokenSeconds,
        level: 'school',
        scopes: grant.scopes,
        app_id: grant.clientId,
        school_id: grant.schoolId,
        jti: grantId + ':' + randomBytes(4).toString('hex'),
        grant: grantId,
      },
      jwtSecret,
    );
  };
  const newGrant = (clientId: string, scopes: string[], schoolId = SCHOOL_ID) => {
    const grantId = randomBytes(12).toString('hex');
    const grant: Grant = { schoolId, clientId, scopes: withImpliedScopes(scopes), revoked: false };
    grants.set(grantId, grant);
    const refreshToken = randomBytes(24).toString('base64url');
    refreshTokens.set(refreshToken, grantId);
    return { grantId, grant, refreshToken };
  };

  const mint = (scopes: string[], clientId = options.clients[0]!.clientId, schoolId = SCHOOL_ID) => {
    const { grantId, grant, refreshToken } = newGrant(clientId, scopes, schoolId);
    return { accessToken: issue(grantId, grant), refreshToken };
  };

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, {});
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<unknown> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const body = await readBody(request);
    if (url.pathname === '/_standin/faults' && request.method === 'POST') {
      Object.assign(faults, JSON.parse(body || '{}'));
      return sendJson(response, 200, faults);
    }
    if (url.pathname === '/_standin/results') return sendJson(response, 200, results);
    if (url.pathname === '/_standin/school') return standInSchool(request, response, url, body);
    if (url.pathname === '/_standin/tokens' && request.method === 'POST') {
      // Like minting a sandbox token in Assembly's developer dashboard: for support and demos.
      const requested = JSON.parse(body || '{}') as { scopes?: string[]; school_id?: number };
      const { accessToken } = mint(requested.scopes ?? [...SANDBOX_SCOPES], undefined, requested.school_id ?? SCHOOL_ID);
      return sendJson(response, 200, {
        access_token: accessToken,
        token_type: 'bearer',
        level: 'school',
        expires_in: tokenSeconds,
      });
    }
    if (url.pathname === '/oauth/authorize') return authorize(request, response, url, body);
    if (url.pathname === '/oauth/token' && request.method === 'POST') return token(request, response, url, body);
    if (faults.latencyMs) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (faults.stallNext > 0) {
      faults.stallNext--;
      await new Promise((resolve) => setTimeout(resolve, faults.stallMs));
    }
    return api(request, response, url, body);
  }

  /** GET: the school served, as SCHOOL.json. POST: serve this SCHOOL.json instead (`?full=true`: all changed). */
  function standInSchool(request: IncomingMessage, response: ServerResponse, url: URL, body: string): unknown {
    const schoolId = Number(url.searchParams.get('school_id') ?? SCHOOL_ID);
    if (!Number.isInteger(schoolId) || schoolId <= 0)
      return sendJson(response, 400, { error: 'invalid_request', message: 'school_id must be a positive whole number' });
    if (request.method === 'GET') {
      const served = schools.get(schoolId);
      return served
        ? sendJson(response, 200, served.toFile())
        : sendJson(response, 404, { error: 'not_found', message: `no school ${schoolId} is served` });
    }
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'method_not_allowed' });
    let file: SchoolFile;
    try {
      file = parseJsonValue(schoolFileSchema, JSON.parse(body || 'null'), 'SCHOOL.json');
    } catch (error) {
      if (error instanceof JsonFileError) return sendJson(response, 400, { error: 'invalid_school', problems: error.problems });
      return sendJson(response, 400, { error: 'invalid_school', problems: ['$: not valid JSON'] });
    }
    const outcome = replaceSchool(file, { schoolId, full: ['true', '1'].includes(url.searchParams.get('full') ?? '') });
    return sendJson(response, 200, {
      school_id: schoolId,
      changed: outcome.changed,
      removed: outcome.removed,
      last_modified: outcome.lastModified,
    });
  }

  function findClient(clientId: string | null): StandInClient | undefined {
    return options.clients.find((client) => client.clientId === clientId);
  }

  function authorize(request: IncomingMessage, response: ServerResponse, url: URL, body: string): unknown {
    const params = request.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
    const client = findClient(params.get('client_id'));
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!client || !client.redirectUris.includes(redirectUri)) {
      return sendHtml(
        response,
        400,
        page('Authorisation failed', '<p>The application or its redirect address is not registered with Assembly.</p>'),
      );
    }
    const state = params.get('state') ?? '';
    const requested = (params.get('scope') ?? '').split(/[ +]/).filter(Boolean);
    const required = requested.filter((scope) => !scope.endsWith(':optional')).map((scope) => scope.replace(/:required$/, ''));
    const optional = requested.filter((scope) => scope.endsWith(':optional')).map((scope) => scope.replace(/:optional$/, ''));
    if (request.method === 'POST') {
      const back = new URL(redirectUri);
      if (params.get('decision') !== 'approve') {
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_description', 'The school did not authorise the application');
      } else {
        const ticked = params.getAll('optional').filter((scope) => optional.includes(scope));
        const code = randomBytes(16).toString('base64url');
        // Tests may say which school's staff approved (as a different school signing in to Assembly would).
        const schoolId = Number(params.get('school_id') ?? SCHOOL_ID) || SCHOOL_ID;
        codes.set(code, {
          clientId: client.clientId,
          redirectUri,
          scopes: [...required, ...ticked],
          expiresAt: now() + 600,
          schoolId,
        });
        back.searchParams.set('code', code);
      }
      if (state) back.searchParams.set('state', state);
      response.writeHead(302, { location: back.toString() });
      return void response.end();
    }
    const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    sendHtml(
      response,
      200,
      page(
        'Data Access Request',
        `<p><strong>${escapeHtml(client.name ?? client.clientId)}</strong> would like to access data from <strong>${escapeHtml(String(schoolFor(SCHOOL_ID).school.name))}</strong>.</p>
<form method="post" action="/oauth/authorize">
${hidden('client_id', client.clientId)}${hidden('redirect_uri', redirectUri)}${hidden('state', state)}${hidden('scope', requested.join(' '))}
<h2>Required Scopes</h2><ul>${required.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('')}</ul>
<h2>Optional scopes</h2>${optional.map((scope) => `<label><input type="checkbox" name="optional" value="${escapeHtml(scope)}"> ${escapeHtml(scope === 'assessments.write' ? 'upload assessment data' : scope)}</label>`).join('<br>') || '<p>None</p>'}
<p><button type="submit" name="decision" value="approve">Authorise app</button> <button type="submit" name="decision" value="deny">Do not authorise</button></p>
</form>`,
      ),
    );
  }

  function token(request: IncomingMessage, response: ServerResponse, url: URL, body: string): unknown {
    // Assembly documents query parameters; clients send form or JSON bodies: accept all three.
    const params = new URLSearchParams(url.searchParams);
    if (body) {
      const contentType = request.headers['content-type'] ?? '';
      const fields: Record<string, unknown> = contentType.includes('json')
        ? (JSON.parse(body) as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(body));
      for (const [name, value] of Object.entries(fields)) params.set(name, String(value));
    }
    const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const [clientId, clientSecret] = basic
      ? Buffer.from(basic, 'base64').toString('utf8').split(':')
      : [params.get('client_id'), params.get('client_secret')];
    const client = findClient(clientId ?? null);
    if (faults.tokenErrorNext > 0) {
      faults.tokenErrorNext--;
      if (faults.tokenErrorStatus === 401)
        return sendJson(response, 401, { error: 'invalid_client', message: 'client authentication failed' });
      return sendJson(response, faults.tokenErrorStatus, { error: 'server_error', message: 'try again later' });
    }
    if (!client || client.clientSecret !== clientSecret)
      return sendJson(response, 401, { error: 'invalid_client', message: 'client authentication failed' });
    const grantType = params.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = codes.get(params.get('code') ?? '');
      codes.delete(params.get('code') ?? '');
      if (
        !code ||
        code.clientId !== client.clientId ||
        code.expiresAt < now() ||
        code.redirectUri !== params.get('redirect_uri')
      ) {
        return sendJson(response, 400, { error: 'invalid_grant', message: 'the authorization code is invalid or has expired' });
      }
      const { grantId, grant, refreshToken } = newGrant(client.clientId, code.scopes, code.schoolId);
      return sendJson(response, 200, {
        access_token: issue(grantId, grant),
        refresh_token: refreshToken,
        token_type: 'bearer',
        level: 'school',
        expires_in: tokenSeconds,
        school_id: grant.schoolId,
        scopes: grant.scopes,
      });
    }
    if (grantType === 'refresh_token') {
      const grantId = refreshTokens.get(params.get('refresh_token') ?? '');
      const grant = grantId ? grants.get(grantId) : undefined;
      if (!grantId || !grant || grant.revoked || grant.clientId !== client.clientId)
        return sendJson(response, 400, { error: 'invalid_grant', message: 'the refresh token is invalid or revoked' });
      let rotated: string | undefined;
      if (faults.rotateRefreshTokens) {
        refreshTokens.delete(params.get('refresh_token') ?? '');
        rotated = randomBytes(24).toString('base64url');
        refreshTokens.set(rotated, grantId);
      }
      return sendJson(response, 200, {
        access_token: issue(grantId, grant),
        ...(rotated ? { refresh_token: rotated } : {}),
        token_type: 'bearer',
        level: 'school',
        expires_in: tokenSeconds,
        school_id: grant.schoolId,
        scopes: grant.scopes,
      });
    }
    if (grantType === 'client_credentials') {
      const iat = now();
      return sendJson(response, 200, {
        access_token: signJwt(
          { iss: 'https://platform.assembly.education', iat, nbf: iat, level: 'app', scopes: [], app_id: client.clientId },
          jwtSecret,
        ),
        token_type: 'bearer',
        level: 'app',
        expires_in: null,
        scopes: [],
      });
    }
    sendJson(response, 400, {
      error: 'unsupported_grant_type',
      message: 'grant_type must be authorization_code, refresh_token or client_credentials',
    });
  }

  function api(request: IncomingMessage, response: ServerResponse, url: URL, body: string): unknown {
    if (!VERSION_ACCEPT.test(request.headers.accept ?? '')) return sendJson(response, 406, { error: 'unsupported_version' });
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer) return sendJson(response, 401, { error: 'invalid_request', message: 'an access_token is required.' });
    const claims = verifyJwt(bearer, jwtSecret);
    const grant = claims ? grants.get(String(claims.grant)) : undefined;
    if (!claims || !grant || grant.revoked)
      return sendJson(response, 401, { error: 'invalid_token', message: 'the access token is invalid' });
    if (Number(claims.exp) <= now() || Number(claims.iat) < notBefore)
      return sendJson(response, 401, { error: 'invalid_token', message: 'token has expired' });

    // The budget belongs to the school's authorisation: a refreshed access token shares it.
    const budgetKey = String(claims.grant);
    const limit = usage.get(budgetKey) ?? { windowStart: now(), count: 0 };
    if (now() - limit.windowStart >= faults.budgetWindowSeconds) Object.assign(limit, { windowStart: now(), count: 0 });
    limit.count++;
    usage.set(budgetKey, limit);
    if (faults.rateLimitNext > 0) {
      faults.rateLimitNext--;
      return sendJson(response, 429, {
        error: 'too many requests',
        data: { count: limit.count, period: faults.rateLimitPeriod, limit: faults.budgetRequests },
      });
    }
    if (limit.count > faults.budgetRequests) {
      return sendJson(response, 429, {
        error: 'too many requests',
        data: {
          count: limit.count,
          period: Math.max(1, faults.budgetWindowSeconds - (now() - limit.windowStart)),
          limit: faults.budgetRequests,
        },
      });
    }
    if (faults.serverErrorNext > 0 || (faults.serverErrorRate > 0 && faultDraws.next() < faults.serverErrorRate)) {
      faults.serverErrorNext = Math.max(0, faults.serverErrorNext - 1);
      response.writeHead(500);
      return void response.end();
    }

    const has = (scope: string) => grant.scopes.includes(scope);
    const requireScope = (...anyOf: string[]) => {
      if (anyOf.some(has)) return true;
      sendJson(response, 401, { error: 'insufficient_scope', message: `the ${anyOf[0]} scope is required` });
      return false;
    };
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = request.method ?? 'GET';
    const served = schoolFor(grant.schoolId);
    served.apiRequests++;
    const list = (items: readonly Record<string, unknown>[]) => sendPage(response, url, items, null);
    /** A listing that answers conditional requests: only what changed since, or 304. */
    const changes = (key: SchoolFileCollection, records: ServedRecord[], membersChangedAt?: number) => {
      const lastModified = Math.max(served.lastModified(key), membersChangedAt ?? 0);
      const since = ifModifiedSince(request);
      if (since !== null && since >= lastModified) {
        response.writeHead(304, { 'last-modified': new Date(lastModified).toUTCString() });
        return void response.end();
      }
      // A group whose membership changed since lists all its members: who joined is news too.
      const changedSince = membersChangedAt !== undefined && since !== null && membersChangedAt > since ? null : since;
      return sendPage(response, url, served.changedSince(key, records, changedSince), lastModified);
    };

    if (method === 'POST' && path === '/school/sync') {
      if (!requireScope('school')) return;
      served.requestSync();
      response.writeHead(200);
      return void response.end();
    }
    if (method === 'POST' && path === '/school/deauthorize') {
      for (const other of grants.values())
        if (other.schoolId === grant.schoolId && other.clientId === grant.clientId) other.revoked = true;
      response.writeHead(200);
      return void response.end();
    }
    if (path === '/results' && (method === 'POST' || method === 'PATCH')) {
      if (!requireScope('assessments.write')) return;
      return method === 'POST' ? writeResults(response, body, served) : updateResults(response, body);
    }
    if (method !== 'GET') return sendJson(response, 404, { error: 'not_found', message: 'not found' });

    if (path === '/me')
      return sendJson(response, 200, {
        object: 'application',
        id: 1,
        name: grant.clientId,
        token: { access_level: 'school', scopes: grant.scopes },
      });
    if (path === '/school') return requireScope('school') && sendJson(response, 200, served.school);
    if (path === '/school/status') return requireScope('school') && sendJson(response, 200, served.schoolStatus());
    if (path === '/academic_years') return requireScope('school') && list(served.records('academic_years'));
    if (path === '/students' || path === '/students/left') {
      if (!requireScope('students.basic')) return;
      const key = path === '/students' ? 'students' : 'students_left';
      const yearCode = url.searchParams.get('year_code');
      const withDemographics = ['true', '1'].includes(url.searchParams.get('demographics') ?? '');
      return changes(
        key,
        served
          .records(key)
          .filter((student) => !yearCode || student.year_code === yearCode)
          .map((student) => studentFor(student, has, withDemographics)),
      );
    }
    if (path === '/staff_members' || path === '/staff_members/left') {
      if (!requireScope('staff_members.basic')) return;
      const key = path === '/staff_members' ? 'staff_members' : 'staff_members_left';
      const teachersOnly = ['true', '1'].includes(url.searchParams.get('teachers_only') ?? '');
      return changes(
        key,
        served
          .records(key)
          .filter((member) => !teachersOnly || member.is_teaching_staff)
          .map((member) => staffFor(member, has)),
      );
    }
    if (path === '/year_groups') return requireScope('school') && changes('year_groups', served.records('year_groups'));
    if (path === '/registration_groups')
      return requireScope('registration_groups') && changes('registration_groups', served.records('registration_groups'));
    if (path === '/teaching_groups')
      return requireScope('teaching_groups') && changes('teaching_groups', served.records('teaching_groups'));
    const groupStudents = /^\/teaching_groups\/(\d+)\/students$/.exec(path);
    if (groupStudents) {
      if (!requireScope('teaching_groups')) return;
      const group = served.record('teaching_groups', Number(groupStudents[1]));
      if (!group) return sendJson(response, 404, { error: 'not_found', message: 'not found' });
      const members = new Set((group.student_ids as number[] | undefined) ?? []);
      return changes(
        'students',
        served
          .records('students')
          .filter((student) => members.has(student.id))
          .map((student) => studentFor(student, has, false)),
        served.changedAt('teaching_groups', group.id),
      );
    }
    const assessmentScopes = ['assessments.write', 'assessments.internal', 'assessments.national'];
    const { catalogue } = served;
    if (path === '/subjects') return requireScope('school') && list(catalogue.subjects);
    if (path === '/assessments') return requireScope(...assessmentScopes) && list(catalogue.assessments);
    if (path === '/facets') return requireScope(...assessmentScopes) && list(catalogue.facets);
    if (path === '/assessment_points') return requireScope(...assessmentScopes) && list(catalogue.assessmentPoints);
    const gradeSet = /^\/assessments\/(\d+)\/grade_set$/.exec(path);
    if (gradeSet) {
      if (!requireScope(...assessmentScopes)) return;
      const found = catalogue.gradeSets.get(Number(gradeSet[1]));
      return found ? sendJson(response, 200, found) : sendJson(response, 404, { error: 'not_found', message: 'not found' });
    }
    if (path === '/results') {
      if (!requireScope(...assessmentScopes)) return;
      const students = parseIds(url.searchParams);
      if (!students.length) return sendJson(response, 400, { error: 'invalid_request', message: 'students[] is required' });
      return list(results.filter((result) => students.includes(result.student_id as number)));
    }
    sendJson(response, 404, { error: 'not_found', message: 'not found' });
  }

  function writeResults(response: ServerResponse, body: string, served: ServedSchool): unknown {
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return sendJson(response, 400, { error: 'invalid_request', message: 'malformed JSON' });
    }
    const rows = Array.isArray(payload.results) ? (payload.results as Record<string, unknown>[]) : [];
    const errors: string[] = [];
    for (const field of ['subject_id', 'facet_id', 'assessment_point_rank', 'assessment_id'])
      if (typeof payload[field] !== 'number') errors.push(`${field} is required`);
    if (!rows.length) errors.push('results must not be empty');
    if (rows.length > 50) errors.push('at most 50 results per request');
    const known = new Set(served.records('students').map((student) => student.id));
    for (const row of rows)
      if (!known.has(row.student_id as number) || typeof row.grade_id !== 'number')
        errors.push(`invalid result for student ${String(row.student_id)}`);
    const key = (row: Record<string, unknown>) =>
      [row.student_id, payload.assessment_id, payload.facet_id, payload.assessment_point_rank, payload.subject_id].join('|');
    const existing = new Set(
      results.map((result) =>
        [result.student_id, result.assessment_id, result.facet_id, result.assessment_point_rank, result.subject_id].join('|'),
      ),
    );
    for (const row of rows)
      if (existing.has(key(row))) errors.push(`a result already exists for student ${String(row.student_id)}; PATCH it instead`);
    if (errors.length) return sendJson(response, 422, { message: 'Validation failed', errors });
    const stamp = new Date().toISOString();
    const created = rows.map((row) => ({
      object: 'result',
      id: results.length + 1,
      student_id: row.student_id,
      subject_id: payload.subject_id,
      assessment_id: payload.assessment_id,
      assessment_point_rank: payload.assessment_point_rank,
      facet_id: payload.facet_id,
      grade_id: row.grade_id,
      result_date: row.result_date ?? stamp,
      created_at: stamp,
      updated_at: stamp,
    }));
    for (const result of created) results.push({ ...result, id: results.length + 1 });
    sendJson(response, 200, results.slice(-created.length));
  }

  function updateResults(response: ServerResponse, body: string): unknown {
    const payload = JSON.parse(body || '{}') as { results?: { result_id?: number; grade_id?: number; result_date?: string }[] };
    const updates = payload.results ?? [];
    if (updates.some((update) => !results.some((result) => result.id === update.result_id)))
      return sendJson(response, 422, { message: 'Validation failed', errors: ['unknown result_id'] });
    for (const update of updates) {
      const result = results.find((candidate) => candidate.id === update.result_id)!;
      if (update.grade_id !== undefined) result.grade_id = update.grade_id;
      if (update.result_date !== undefined) result.result_date = update.result_date;
      result.updated_at = new Date().toISOString();
    }
    sendJson(response, 200, { message: 'Results updated' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    schoolId: SCHOOL_ID,
    schoolName: String(schoolFor(SCHOOL_ID).school.name),
    generated,
    faults,
    results,
    expireAccessTokens: () => {
      notBefore = now() + 1;
    },
    revokeAll: () => {
      for (const grant of grants.values()) grant.revoked = true;
    },
    mintToken: (scopes, clientId, schoolId) => mint([...scopes], clientId, schoolId),
    replaceSchool,
    served: (schoolId = SCHOOL_ID) => schoolFor(schoolId),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function withImpliedScopes(scopes: string[]): string[] {
  const all = new Set(scopes);
  for (const scope of scopes) {
    const base = IMPLIED_BASE[scope.split('.')[0]!];
    if (base && scope.includes('.')) all.add(base);
  }
  return [...all];
}

/** Fields the school did not grant are left out, as Assembly does. */
function studentFor(student: ServedRecord, has: (scope: string) => boolean, withDemographics: boolean): ServedRecord {
  const demographics = (student.demographics ?? {}) as Record<string, unknown>;
  return {
    ...student,
    upn: has('students.upn') ? student.upn : null,
    mis_id: has('students.mis_id') ? student.mis_id : null,
    middle_name: has('students.middle_names') ? student.middle_name : null,
    legal_first_name: has('students.legal_names') ? student.legal_first_name : null,
    legal_last_name: has('students.legal_names') ? student.legal_last_name : null,
    dob: has('students.dob') ? student.dob : null,
    demographics: withDemographics
      ? {
          object: 'student_demographics',
          gender: has('students.gender') ? demographics.gender : null,
          is_pp: has('students.pp') ? demographics.is_pp : null,
        }
      : null,
  };
}

function staffFor(member: ServedRecord, has: (scope: string) => boolean): ServedRecord {
  return {
    ...member,
    email: has('staff_members.emails') ? member.email : null,
    emails: has('staff_members.emails') ? member.emails : null,
    mis_id: has('staff_members.mis_id') ? (member.mis_id ?? null) : null,
    is_teaching_staff: has('staff_members.teaching_status') ? member.is_teaching_staff : null,
  };
}

function parseIds(params: URLSearchParams): number[] {
  // students[]=1&students[]=2, students[]=1,2 and students=1+2 are all in use.
  return [...params.getAll('students[]'), ...params.getAll('students')]
    .flatMap((value) => value.split(/[ ,+]/))
    .filter(Boolean)
    .map(Number);
}

/** The request's If-Modified-Since in ms, or null (absent or not a date: Assembly then lists everything). */
function ifModifiedSince(request: IncomingMessage): number | null {
  const since = Date.parse(request.headers['if-modified-since'] ?? '');
  return Number.isNaN(since) ? null : since;
}

function sendPage(
  response: ServerResponse,
  url: URL,
  items: readonly Record<string, unknown>[],
  lastModified: number | null,
): void {
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Number(url.searchParams.get('per_page') ?? 100) || 100));
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    page: String(page),
    'per-page': String(perPage),
    total: String(items.length),
    'total-pages': String(totalPages),
    'next-page': page < totalPages ? String(page + 1) : '',
    'prev-page': page > 1 ? String(page - 1) : '',
    ...(lastModified === null ? {} : { 'last-modified': new Date(lastModified).toUTCString() }),
  });
  response.end(JSON.stringify(items.slice((page - 1) * perPage, page * perPage)));
}

function sendJson(response: ServerResponse, status: number, body: unknown): true {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
  return true;
}

function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  response.end(html);
}

function page(title: string, content: string): string {
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Assembly – ${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;color:#222}button{font:inherit;padding:.5rem 1rem;margin-right:.5rem}</style></head>
<body><p><strong>Assembly</strong> (local stand-in)</p><h1>${escapeHtml(title)}</h1>${content}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
