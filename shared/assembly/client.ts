import type * as z from 'zod';
import {
  AssemblyClientRejectedError,
  AssemblyError,
  AssemblyRateLimitError,
  AssemblyRevokedError,
  AssemblyScopeError,
  AssemblyTokenError,
  AssemblyUnavailableError,
} from './errors';
import {
  academicYearSchema,
  assessmentPointSchema,
  assessmentSchema,
  errorBodySchema,
  facetSchema,
  gradeSetSchema,
  registrationGroupSchema,
  resultSchema,
  schoolSchema,
  schoolStatusSchema,
  staffMemberSchema,
  studentSchema,
  subjectSchema,
  teachingGroupSchema,
  tokenResponseSchema,
  yearGroupSchema,
  type AssemblyResult,
  type TokenResponse,
} from './schemas';

export const ACCEPT_V1_1 = 'application/vnd.assembly+json; version=1.1';
export const MAX_PER_PAGE = 1500;
export const MAX_RESULTS_PER_POST = 50;

/** The scopes the sync needs, and the one it asks for to send results back. */
export const REQUIRED_SCOPES = [
  'school',
  'students.basic',
  'students.upn',
  'students.mis_id',
  'students.middle_names',
  'students.dob',
  'students.gender',
  'students.pp',
  'staff_members.basic',
  'staff_members.emails',
  // Tells teaching from non-teaching staff in the Teachers panel, and the MIS's own id for support.
  'staff_members.teaching_status',
  'staff_members.mis_id',
  'registration_groups',
  'teaching_groups',
] as const;
export const OPTIONAL_SCOPES = ['assessments.write'] as const;

export interface AssemblyConfig {
  apiBaseUrl: string;
  oauthBaseUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Bounded retries: for 429s (waiting Assembly's `data.period`) and for 5xx / network errors. */
  /**
   * How many 429s to wait out in-process (default none: a Lambda answers, or fails its task, at
   * once with Assembly's period, and the state machine waits; the support CLI waits).
   */
  maxRateLimitRetries?: number;
  maxRetries?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** A school's tokens; `onRefreshed` persists a refreshed access token (encrypted) before use. */
export interface SchoolTokens {
  accessToken: string;
  refreshToken: string | null;
  onRefreshed?: (tokens: { accessToken: string; refreshToken: string | null; expiresIn: number | null }) => Promise<void>;
}

export interface Conditional {
  ifModifiedSince?: Date;
  ifNoneMatch?: string;
  /** Told after each page of a list: pages fetched so far and records in them (a load job's progress). */
  onPage?: (pages: number, records: number) => Promise<void>;
}

export type Listing<T> =
  { notModified: true } | { notModified: false; items: T[]; lastModified: string | null; etag: string | null };

/** A listing's records; none when it was asked conditionally and has not changed. */
export const itemsOf = <T>(listing: Listing<T>): T[] => ('items' in listing ? listing.items : []);

/** Which scope an endpoint needs, to name it when Assembly answers insufficient_scope. */
function scopeFor(method: string, path: string): string {
  if (path.startsWith('/results')) return method === 'GET' ? 'assessments.internal' : 'assessments.write';
  if (path.startsWith('/students')) return 'students.basic';
  if (path.startsWith('/staff_members')) return 'staff_members.basic';
  if (path.startsWith('/registration_groups')) return 'registration_groups';
  if (path.startsWith('/teaching_groups')) return 'teaching_groups';
  if (path.startsWith('/assessment') || path.startsWith('/grade_sets') || path.startsWith('/facets'))
    return 'assessments.internal';
  return 'school';
}

interface RequestOptions extends Conditional {
  method?: 'GET' | 'POST' | 'PATCH';
  query?: Record<string, string | number | boolean | readonly number[] | undefined>;
  body?: unknown;
}

/**
 * Speaks Assembly Platform API v1.1 for one app: OAuth (authorize URL, code exchange, refresh),
 * typed reads with paging, conditional requests, and result writes. Works against Assembly's
 * live or sandbox hosts, or the local stand-in, by configuration alone.
 */
export class AssemblyClient {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly config: AssemblyConfig) {
    this.fetch = config.fetch ?? globalThis.fetch.bind(globalThis);
    this.sleep = config.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = config.random ?? Math.random;
  }

  authorizeUrl(state: string, scopes = { required: REQUIRED_SCOPES, optional: OPTIONAL_SCOPES }): string {
    const url = new URL('/oauth/authorize', this.config.oauthBaseUrl);
    url.searchParams.set('client_id', this.config.clientId);
    url.searchParams.set('redirect_uri', this.config.redirectUri);
    url.searchParams.set(
      'scope',
      [...scopes.required.map((scope) => `${scope}:required`), ...scopes.optional.map((scope) => `${scope}:optional`)].join(' '),
    );
    url.searchParams.set('state', state);
    return url.toString();
  }

  exchangeCode(code: string): Promise<TokenResponse> {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: this.config.redirectUri });
  }

  refresh(refreshToken: string): Promise<TokenResponse> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  school(tokens: SchoolTokens) {
    return this.getOne(tokens, '/school', schoolSchema);
  }
  /** When the school's data last changed in Assembly, and how its last MIS sync went. */
  schoolStatus(tokens: SchoolTokens) {
    return this.getOne(tokens, '/school/status', schoolStatusSchema);
  }
  academicYears(tokens: SchoolTokens) {
    return this.listAll(tokens, '/academic_years', academicYearSchema);
  }
  students(tokens: SchoolTokens, options: Conditional & { yearCode?: string; include?: 'demographics'[] } = {}) {
    return this.list(
      tokens,
      '/students',
      studentSchema,
      { year_code: options.yearCode, demographics: options.include?.includes('demographics') || undefined },
      options,
    );
  }
  leftStudents(tokens: SchoolTokens, options: Conditional = {}) {
    return this.list(tokens, '/students/left', studentSchema, {}, options);
  }
  staffMembers(tokens: SchoolTokens, options: Conditional = {}) {
    return this.list(tokens, '/staff_members', staffMemberSchema, {}, options);
  }
  leftStaffMembers(tokens: SchoolTokens, options: Conditional = {}) {
    return this.list(tokens, '/staff_members/left', staffMemberSchema, {}, options);
  }
  yearGroups(tokens: SchoolTokens, options: Conditional = {}) {
    return this.list(tokens, '/year_groups', yearGroupSchema, {}, options);
  }
  registrationGroups(tokens: SchoolTokens, options: Conditional = {}) {
    return this.list(tokens, '/registration_groups', registrationGroupSchema, {}, options);
  }
  teachingGroups(tokens: SchoolTokens, options: Conditional = {}) {
    return this.list(tokens, '/teaching_groups', teachingGroupSchema, {}, options);
  }
  teachingGroupStudents(tokens: SchoolTokens, groupId: number) {
    return this.listAll(tokens, `/teaching_groups/${groupId}/students`, studentSchema);
  }
  assessments(tokens: SchoolTokens) {
    return this.listAll(tokens, '/assessments', assessmentSchema);
  }
  gradeSet(tokens: SchoolTokens, assessmentId: number) {
    return this.getOne(tokens, `/assessments/${assessmentId}/grade_set`, gradeSetSchema);
  }
  facets(tokens: SchoolTokens) {
    return this.listAll(tokens, '/facets', facetSchema);
  }
  assessmentPoints(tokens: SchoolTokens) {
    return this.listAll(tokens, '/assessment_points', assessmentPointSchema);
  }
  subjects(tokens: SchoolTokens) {
    return this.listAll(tokens, '/subjects', subjectSchema);
  }

  /** Writes results, at most 50 per request as Assembly requires; returns every created result. */
  async postResults(
    tokens: SchoolTokens,
    batch: {
      subject_id: number;
      facet_id: number;
      assessment_point_rank: number;
      assessment_id: number;
      results: { student_id: number; grade_id: number; result_date?: string }[];
    },
  ): Promise<AssemblyResult[]> {
    const created: AssemblyResult[] = [];
    for (let start = 0; start < batch.results.length; start += MAX_RESULTS_PER_POST) {
      const response = await this.request(tokens, '/results', {
        method: 'POST',
        body: { ...batch, results: batch.results.slice(start, start + MAX_RESULTS_PER_POST) },
      });
      created.push(...parseList(resultSchema, await response.json(), '/results'));
    }
    return created;
  }

  /** The results Assembly holds for these students (at most 50 asked at once). */
  async results(tokens: SchoolTokens, studentIds: readonly number[]): Promise<AssemblyResult[]> {
    const found: AssemblyResult[] = [];
    for (let start = 0; start < studentIds.length; start += MAX_RESULTS_PER_POST) {
      const listing = await this.list(
        tokens,
        '/results',
        resultSchema,
        { 'students[]': studentIds.slice(start, start + MAX_RESULTS_PER_POST) },
        {},
      );
      found.push(...itemsOf(listing));
    }
    return found;
  }

  async patchResults(
    tokens: SchoolTokens,
    results: { result_id: number; grade_id?: number; result_date?: string }[],
  ): Promise<void> {
    await this.request(tokens, '/results', { method: 'PATCH', body: { results } });
  }

  /** Disables the app for the school; Assembly answers with an empty body. */
  async deauthorize(tokens: SchoolTokens): Promise<void> {
    await this.request(tokens, '/school/deauthorize', { method: 'POST' });
  }

  private async getOne<T>(tokens: SchoolTokens, path: string, schema: z.ZodType<T>): Promise<T> {
    const response = await this.request(tokens, path, {});
    return parseOne(schema, await response.json(), path);
  }

  private async listAll<T>(tokens: SchoolTokens, path: string, schema: z.ZodType<T>): Promise<T[]> {
    const listing = await this.list(tokens, path, schema, {}, {});
    return listing.notModified ? [] : listing.items;
  }

  /** Follows `Next-Page` until it is empty or absent, asking for the largest pages Assembly allows. */
  private async list<T>(
    tokens: SchoolTokens,
    path: string,
    schema: z.ZodType<T>,
    query: RequestOptions['query'],
    conditional: Conditional,
  ): Promise<Listing<T>> {
    const items: T[] = [];
    let page: string | null = '1';
    let lastModified: string | null = null;
    let etag: string | null = null;
    let pages = 0;
    const { onPage, ...condition } = conditional;
    while (page) {
      const response = await this.request(tokens, path, {
        query: { ...query, page, per_page: MAX_PER_PAGE },
        // On every page: Assembly pages the records changed since, not the whole list.
        ...condition,
      });
      if (response.status === 304) {
        if (pages === 0) return { notModified: true };
        break;
      }
      lastModified ??= response.headers.get('last-modified');
      etag ??= response.headers.get('etag');
      const text = await response.text();
      items.push(...parseList(schema, text ? JSON.parse(text) : [], path));
      await onPage?.(++pages, items.length);
      page = response.headers.get('next-page')?.trim() || null;
    }
    return { notModified: false, items, lastModified, etag };
  }

  private async request(tokens: SchoolTokens, path: string, options: RequestOptions): Promise<Response> {
    const method = options.method ?? 'GET';
    let refreshed = false;
    for (;;) {
      const response = await this.send(() => {
        const url = new URL(path.replace(/^\//, ''), withSlash(this.config.apiBaseUrl));
        for (const [name, value] of Object.entries(options.query ?? {})) {
          if (Array.isArray(value)) for (const each of value) url.searchParams.append(name, String(each));
          else if (value !== undefined) url.searchParams.set(name, String(value));
        }
        const headers: Record<string, string> = { accept: ACCEPT_V1_1, authorization: `Bearer ${tokens.accessToken}` };
        if (options.body !== undefined) headers['content-type'] = 'application/json';
        if (options.ifModifiedSince) headers['if-modified-since'] = options.ifModifiedSince.toUTCString();
        if (options.ifNoneMatch) headers['if-none-match'] = options.ifNoneMatch;
        return {
          url: url.toString(),
          init: { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) },
        };
      });
      if (response.status !== 401) return await this.ensureOk(response, path);
      const problem = await errorBody(response);
      if (problem.error === 'insufficient_scope') throw new AssemblyScopeError(scopeFor(method, path));
      if (problem.error === 'invalid_token' && !refreshed && tokens.refreshToken) {
        refreshed = true;
        await this.refreshInto(tokens);
        continue;
      }
      // An access token refused with no refresh token to renew it: only authorising again helps.
      if (problem.error === 'invalid_token' && !tokens.refreshToken) throw new AssemblyRevokedError();
      // Any other 401 (refused even after a refresh, or with no reason given) is a failure to
      // report, not a revocation: the connection stays as it is.
      throw new AssemblyError(`Assembly answered 401 for ${path}${problem.error ? ` (${problem.error})` : ''}`, 401);
    }
  }

  private async refreshInto(tokens: SchoolTokens): Promise<void> {
    let fresh: TokenResponse;
    try {
      fresh = await this.refresh(tokens.refreshToken!);
    } catch (error) {
      // Only invalid_grant says the school's authorisation is gone; anything else (our own
      // credentials refused, Assembly failing) leaves the connection as it is.
      if (error instanceof AssemblyTokenError && error.code === 'invalid_grant') throw new AssemblyRevokedError();
      throw error;
    }
    tokens.accessToken = fresh.access_token;
    // Assembly's refresh answer may carry no new refresh token: keep using the old one.
    tokens.refreshToken = fresh.refresh_token ?? tokens.refreshToken;
    await tokens.onRefreshed?.({
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresIn: fresh.expires_in ?? null,
    });
  }

  private async token(params: Record<string, string>): Promise<TokenResponse> {
    const response = await this.send(() => ({
      url: new URL('oauth/token', withSlash(this.config.oauthBaseUrl)).toString(),
      init: {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams(params).toString(),
      },
    }));
    if (!response.ok) {
      const problem = await errorBody(response);
      if (problem.error === 'invalid_client') throw new AssemblyClientRejectedError();
      throw new AssemblyTokenError(problem.error ?? null, response.status);
    }
    return parseOne(tokenResponseSchema, await response.json(), '/oauth/token');
  }

  private async ensureOk(response: Response, path: string): Promise<Response> {
    if (response.ok || response.status === 304) return response;
    const problem = await errorBody(response);
    throw new AssemblyError(
      `Assembly answered ${response.status} for ${path}${problem.message ? `: ${problem.message}` : ''}`,
      response.status,
    );
  }

  /**
   * One HTTP exchange with bounded retries: a 429 waits the `data.period` Assembly names (only
   * as often as maxRateLimitRetries allows, then AssemblyRateLimitError carries the period); a
   * 5xx, a timeout or a network failure backs off exponentially with jitter.
   */
  private async send(build: () => { url: string; init: RequestInit }): Promise<Response> {
    const maxRetries = this.config.maxRetries ?? 4;
    const maxRateLimitRetries = this.config.maxRateLimitRetries ?? 0;
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      const { url, init } = build();
      let response: Response;
      try {
        response = await this.fetch(url, { ...init, signal: AbortSignal.timeout(this.config.timeoutMs ?? 30_000) });
      } catch (error) {
        if (++failures > maxRetries)
          throw new AssemblyUnavailableError(error instanceof Error ? error.name : 'network error', null);
        await this.sleep(this.backoff(failures));
        continue;
      }
      if (response.status === 429) {
        const period = (await errorBody(response)).data?.period ?? 60;
        if (++rateLimited > maxRateLimitRetries) throw new AssemblyRateLimitError(period);
        await this.sleep(Math.max(0, period) * 1000);
        continue;
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        if (++failures > maxRetries) throw new AssemblyUnavailableError(`HTTP ${response.status}`, response.status);
        await this.sleep(this.backoff(failures));
        continue;
      }
      return response;
    }
  }

  /** Full jitter: a random wait up to 250 ms × 2^(attempt-1), capped at 8 s. */
  private backoff(attempt: number): number {
    return Math.round(this.random() * Math.min(8000, 250 * 2 ** (attempt - 1)));
  }
}

function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

async function errorBody(response: Response): Promise<z.infer<typeof errorBodySchema>> {
  try {
    const text = await response.text();
    const parsed = errorBodySchema.safeParse(text ? JSON.parse(text) : {});
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function parseOne<T>(schema: z.ZodType<T>, body: unknown, path: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AssemblyError(`Assembly's answer for ${path} was not in the expected shape`, null);
  return parsed.data;
}

function parseList<T>(schema: z.ZodType<T>, body: unknown, path: string): T[] {
  if (!Array.isArray(body)) throw new AssemblyError(`Assembly's answer for ${path} was not a list`, null);
  return body.map((item) => parseOne(schema, item, path));
}
