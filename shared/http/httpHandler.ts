import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createHash, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import {
  AssemblyClientRejectedError,
  AssemblyError,
  AssemblyRateLimitError,
  AssemblyRevokedError,
  AssemblyScopeError,
  AssemblyUnavailableError,
} from '../assembly/errors';
import { resolveSession } from '../auth/signIn';
import type { Session } from '../domain/records';
import { dependencies, type Dependencies } from '../runtime/dependencies';
import { lambdaEntry, logger } from '../runtime/observability';
import {
  DomainError,
  ForbiddenError,
  TooManyRequestsError,
  UnauthenticatedError,
  ValidationError,
  type DomainErrorKind,
  type FieldErrors,
  ConflictError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  waitPhrase,
} from '../core/errors';
import { allowedMethods, MAX_BODY_BYTES, ORIGIN_HEADER, routeFor, type RouteKey } from './routes';

export const SESSION_COOKIE = 'hub_session';

export interface Reply {
  status: number;
  body?: unknown;
  cookies?: string[];
  /** For a 405: the methods the path takes. */
  allow?: readonly string[];
  /** For a 429 or a 503: seconds before trying again (the Retry-After header). */
  retryAfter?: number;
}

export interface RequestContext<Body> {
  body: Body;
  /** Present on every route whose access is not public. */
  session: Session | null;
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  cookies: Record<string, string>;
  /** The client's address, for throttling (see sourceAddressOf). */
  sourceAddress: string;
  deps: Dependencies;
}

export interface Endpoint<Body> {
  /** The JSON body, checked with zod before anything runs; a route that reads none says `'none'`. */
  body: z.ZodType<Body> | 'none';
  /**
   * A body the schema accepts, for a route with path parameters: the security suite sends it with
   * another centre's ids, which must be refused as not found (test/integration/routeSecurity.test.ts).
   */
  example?: Body;
  /**
   * What a GET may write besides answering, by item type (e.g. the connection whose tokens it
   * refreshed). The security suite checks that a GET writes nothing else.
   */
  sideEffects?: readonly string[];
  /** The query parameters the route takes, checked with zod; without it, any query parameter is refused. */
  query?: z.ZodType<Record<string, string>>;
  run(context: RequestContext<Body>): Promise<Reply>;
}

export type Endpoints = Partial<Record<RouteKey, Endpoint<unknown>>>;

/** Keeps each endpoint's body type while letting one module serve several routes. */
export function endpoint<Body = undefined>(definition: Endpoint<Body>): Endpoint<unknown> {
  return definition as Endpoint<unknown>;
}

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The one adapter between API Gateway (HTTP API, payload v2) and the core: checks the
 * session and role declared for the route, validates the body with zod, runs the use case
 * and maps typed errors to statuses. Internals never leak into a 500.
 */
export function httpHandler(endpoints: Endpoints): HttpHandler & { endpoints: Endpoints } {
  const handler = respond(async (event) => {
    const routeKey = event.routeKey as RouteKey;
    const definition = endpoints[routeKey];
    if (!definition) throw new Error(`No endpoint for ${routeKey}`);
    return handle(routeKey, definition, event);
  });
  // The security suite reads each route's declared body and query from here.
  return Object.assign(handler, { endpoints });
}

/** The `$default` route: 405 with the path's methods, or 404, both in the app's error shape. */
export const fallbackHandler: HttpHandler = respond(async (event) => {
  const allow = allowedMethods(event.requestContext.http.path);
  if (allow.length) throw new MethodNotAllowedError(allow);
  throw new NotFoundError('There is nothing at this address.');
});

/** Every HTTP entry: on the Powertools middy stack, one log line per request (ids and status only). */
function respond(work: (event: APIGatewayProxyEventV2) => Promise<Reply>): HttpHandler {
  return lambdaEntry(async (event: APIGatewayProxyEventV2) => {
    const started = Date.now();
    const routeKey = event.routeKey;
    let reply: Reply;
    try {
      await checkOrigin(event);
      reply = await work(event);
    } catch (error) {
      reply = errorReply(error, routeKey);
    }
    logger.info('request', {
      route: routeKey,
      status: reply.status,
      ms: Date.now() - started,
      apiRequestId: event.requestContext.requestId,
    });
    const result: APIGatewayProxyStructuredResultV2 = {
      statusCode: reply.status,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        ...(reply.retryAfter ? { 'retry-after': String(reply.retryAfter) } : {}),
        ...(reply.allow ? { allow: reply.allow.join(', ') } : {}),
      },
      cookies: reply.cookies ?? [],
      body: reply.body === undefined ? '' : JSON.stringify(reply.body),
    };
    return result;
  });
}

async function handle(routeKey: RouteKey, definition: Endpoint<unknown>, event: APIGatewayProxyEventV2): Promise<Reply> {
  const deps = dependencies();
  const route = routeFor(routeKey);
  const cookies = parseCookies(event.cookies ?? []);
  let session: Session | null = null;
  if (route.access !== 'public') {
    const token = cookies[SESSION_COOKIE];
    session = token ? await resolveSession(deps.store, token, deps.clock) : null;
    if (!session) throw new UnauthenticatedError();
    logger.appendKeys({ centreId: session.centreId, userId: session.userId });
    if (route.access === 'access_coordinator' && session.role !== 'access_coordinator') throw new ForbiddenError();
  }
  const pathParameters = parsePathParameters(event);
  const query = parseQuery(definition.query, event);
  const body = definition.body === 'none' ? undefined : parseBody(definition.body, event);
  return definition.run({
    body,
    session,
    pathParameters,
    query,
    cookies,
    sourceAddress: sourceAddressOf(event),
    deps,
  });
}

/** Every path parameter is an id (a run, a load, a teacher): checked like a body field, before any read. */
const PATH_ID = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'This is not a valid id');

function parsePathParameters(event: APIGatewayProxyEventV2): Record<string, string> {
  const parameters = (event.pathParameters as Record<string, string> | undefined) ?? {};
  const problems: FieldErrors = {};
  for (const [name, value] of Object.entries(parameters)) {
    const parsed = PATH_ID.safeParse(value);
    if (!parsed.success) problems[name] = parsed.error.issues[0]?.message ?? 'This is not a valid id';
  }
  if (Object.keys(problems).length) throw new ValidationError(problems);
  return parameters;
}

/** Only the parameters a route declares: a misspelt or unexpected one is an error, not silently ignored. */
function parseQuery(
  schema: z.ZodType<Record<string, string>> | undefined,
  event: APIGatewayProxyEventV2,
): Record<string, string> {
  const raw = (event.queryStringParameters as Record<string, string> | undefined) ?? {};
  if (!schema) {
    const names = Object.keys(raw);
    if (!names.length) return {};
    throw new ValidationError(
      Object.fromEntries(names.map((name) => [name.slice(0, 100), 'This address takes no such parameter'])),
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  return parsed.data;
}

function parseBody<Body>(schema: z.ZodType<Body>, event: APIGatewayProxyEventV2): Body {
  if (event.body && Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8') > MAX_BODY_BYTES)
    throw new PayloadTooLargeError(MAX_BODY_BYTES);
  let raw: unknown;
  try {
    const text = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    raw = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ValidationError({ body: 'Send a JSON object' });
  }
  if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ValidationError({ body: 'Send a JSON object' });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  return parsed.data;
}

export function fieldErrors(error: z.ZodError): FieldErrors {
  // No prototype: a field named "constructor" or "toString" gets its message like any other.
  const fields: FieldErrors = Object.create(null) as FieldErrors;
  for (const issue of error.issues) {
    const at = issue.path.join('.');
    // A strict object's unexpected fields: each named, rather than one message for the whole body.
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[[at, key.slice(0, 100)].filter(Boolean).join('.')] ??= 'There is no such field here';
      continue;
    }
    fields[at || 'body'] ??= issue.message;
  }
  return { ...fields };
}

/** The one place where the core's domain errors become HTTP statuses. */
const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  too_many_requests: 429,
  unavailable: 503,
  too_large: 413,
  method_not_allowed: 405,
};

function errorReply(error: unknown, routeKey: string): Reply {
  if (error instanceof ValidationError) {
    return { status: 400, body: { error: 'invalid_request', message: error.message, fields: error.fields } };
  }
  if (error instanceof TooManyRequestsError) {
    return {
      status: 429,
      body: { error: 'too_many_requests', message: error.message, retryAfterSeconds: error.retryAfterSeconds },
      retryAfter: error.retryAfterSeconds,
    };
  }
  if (error instanceof MethodNotAllowedError) {
    return { status: 405, body: { error: error.kind, message: error.message }, allow: error.allow };
  }
  if (error instanceof ConflictError) {
    const fields = Object.keys(error.fields).length ? { fields: error.fields } : {};
    return { status: 409, body: { error: error.reason, message: error.message, ...fields } };
  }
  if (error instanceof DomainError) {
    return { status: STATUS[error.kind], body: { error: error.kind, message: error.message } };
  }
  const assembly = assemblyReply(error);
  if (assembly) return assembly;
  // Only the error's class name is logged: messages can carry personal data.
  logger.error('request failed', { route: routeKey, error: error instanceof Error ? error.name : typeof error });
  return { status: 500, body: { error: 'internal', message: 'Something went wrong on our side. Please try again.' } };
}

export { ORIGIN_HEADER };

/**
 * Requests must come through CloudFront, which adds the origin secret (kept in Secrets Manager):
 * a request without it went around the distribution (and its WAF, headers and logs) and is
 * refused before anything is read. The current and the previous secret are both accepted, so
 * a rotation never refuses requests while CloudFront is being updated.
 */
async function checkOrigin(event: APIGatewayProxyEventV2): Promise<void> {
  const presented = event.headers[ORIGIN_HEADER];
  const accepted = await dependencies().originSecrets();
  if (!presented || !accepted.some((secret) => sameSecret(secret, presented)))
    throw new ForbiddenError('Use the Admin Hub at its own address.');
}

function sameSecret(expected: string, presented: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(presented));
}

/**
 * The client's address: behind CloudFront the viewer's, from the CloudFront-Viewer-Address
 * header, but only where the deployment says the API is reachable through CloudFront alone
 * (TRUST_VIEWER_ADDRESS); otherwise, and locally, the connection's own address.
 */
function sourceAddressOf(event: APIGatewayProxyEventV2): string {
  const viewer = event.headers['cloudfront-viewer-address'];
  if (process.env.TRUST_VIEWER_ADDRESS === 'true' && viewer) return viewer.replace(/:\d+$/, '');
  return event.requestContext.http.sourceIp;
}

function parseCookies(headers: string[]): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const header of headers) {
    for (const part of header.split(';')) {
      const index = part.indexOf('=');
      if (index <= 0) continue;
      try {
        cookies[part.slice(0, index).trim()] = decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        throw new ValidationError({
          cookie: 'A cookie from this site could not be read. Clear this site’s cookies and sign in again.',
        });
      }
    }
  }
  return cookies;
}

/**
 * HttpOnly, SameSite=Strict, and Secure whenever the app is served over HTTPS: decided by the
 * configured APP_URL, never by anything the client sends (such as x-forwarded-host). Only the
 * local stack, on http://localhost, leaves Secure out.
 */
export function sessionCookie(token: string, maxAgeSeconds: number): string {
  const secure = !process.env.APP_URL?.startsWith('http://');
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(): string {
  return sessionCookie('', 0);
}

/** Assembly's failures, told the way an Access Co-ordinator can act on them. */
function assemblyReply(error: unknown): Reply | null {
  if (error instanceof AssemblyRevokedError) {
    return {
      status: 409,
      body: {
        error: 'assembly_revoked',
        message: 'Access to your MIS through Assembly has been revoked. Please authorise again.',
      },
    };
  }
  if (error instanceof AssemblyScopeError) {
    return {
      status: 409,
      body: {
        error: 'assembly_scope',
        scope: error.scope,
        message: `Your school has not granted the "${error.scope}" permission in Assembly. Please authorise again and approve it.`,
      },
    };
  }
  if (error instanceof AssemblyRateLimitError) {
    // Answered at once: the period can be minutes, too long to hold a request (or a Lambda) open.
    return {
      status: 503,
      body: {
        error: 'assembly_busy',
        retryAfterSeconds: error.retryAfterSeconds,
        message: `Assembly is busy: your school has used its requests for the moment. Please try again in ${waitPhrase(error.retryAfterSeconds)}.`,
      },
      retryAfter: error.retryAfterSeconds,
    };
  }
  if (error instanceof AssemblyClientRejectedError) {
    logger.error('Assembly refused the app’s client credentials');
    return {
      status: 503,
      body: {
        error: 'assembly_unavailable',
        message:
          'The Admin Hub could not sign in to Assembly just now. Your connection is unchanged; please try again in a few minutes.',
      },
    };
  }
  if (error instanceof AssemblyUnavailableError || error instanceof AssemblyError) {
    return {
      status: 503,
      body: {
        error: 'assembly_unavailable',
        message: 'Assembly is not answering at the moment. Please try again in a few minutes.',
      },
    };
  }
  return null;
}
