import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { localDynamoClient } from '../../infra/local/dynamoLocal';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { createAccountWithPassword } from '../../shared/auth/signIn';
import { seedDemoCentre } from '../../shared/demo/seedDemo';
import type { Account, Role, SetPasswordPurpose } from '../../shared/domain/records';
import { storeSetPasswordLink } from '../../shared/auth/setPassword';
import { newToken } from '../../shared/auth/tokens';
import { systemClock, type Clock } from '../../shared/core/clock';
import type { HubStore } from '../../shared/store/hubStore';
import { ORIGIN_HEADER, type HttpHandler } from '../../shared/http/httpHandler';
import { dependencies } from '../../shared/runtime/dependencies';
import { invokeLocally } from '../../infra/local/lambdaContext';

/** Helpers for integration tests: API Gateway v2 events, sign-in accounts and table snapshots. */
export function apiEvent(
  routeKey: string,
  options: {
    body?: unknown;
    rawBody?: string;
    cookies?: string[];
    host?: string;
    pathParameters?: Record<string, string>;
    query?: Record<string, string>;
    sourceIp?: string;
    /** Headers to add, or (with `undefined`) to leave out, such as the origin header. */
    headers?: Record<string, string | undefined>;
  } = {},
): APIGatewayProxyEventV2 {
  const [method, path] = routeKey.split(' ') as [string, string];
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: Object.fromEntries(
      Object.entries({
        host: options.host ?? 'hub.example.org',
        'content-type': 'application/json',
        // As CloudFront adds it to every request it forwards.
        [ORIGIN_HEADER]: process.env.ORIGIN_SECRET,
        ...options.headers,
      }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    ...(options.cookies ? { cookies: options.cookies } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(options.query ? { queryStringParameters: options.query } : {}),
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: options.host ?? 'hub.example.org',
      domainPrefix: 'hub',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: options.sourceIp ?? '127.0.0.1', userAgent: 'vitest' },
      requestId: 'test-request',
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    isBase64Encoded: false,
  };
}

export async function call(handler: HttpHandler, event: APIGatewayProxyEventV2) {
  const result: APIGatewayProxyStructuredResultV2 = await invokeLocally(handler, event, 'test');
  return {
    status: result.statusCode ?? 200,
    body: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : null,
    cookies: result.cookies ?? [],
  };
}

let accounts = 0;
export async function givenAccount(
  centreId: string,
  role: Role,
  password = 'correct horse battery',
  /** The Hub teacher the account is (a teacher who marks their classes' papers). */
  teacherId: string | null = null,
): Promise<Account & { password: string }> {
  accounts++;
  await dependencies().store.putCentreIfAbsent({
    centreId,
    name: `School ${centreId}`,
    urn: null,
    createdAt: new Date().toISOString(),
  });
  const account = await createAccountWithPassword(
    dependencies().store,
    {
      userId: `user-${accounts}`,
      centreId,
      email: `${role}.${accounts}.${centreId}@school.example`,
      role,
      displayName: `${role} ${accounts}`,
      teacherId,
      createdAt: new Date().toISOString(),
    },
    password,
  );
  return { ...account, password };
}

/** Every item in the test file's table, to prove that a refused request wrote nothing. */
/** A new account of the centre with the role, signed in: its session cookie. */
export async function signedInAs(centreId: string, role: Role = 'access_coordinator'): Promise<string> {
  const account = await givenAccount(centreId, role);
  return sessionCookieFrom(
    (
      await call(
        signInHandler,
        apiEvent('POST /api/auth/sign-in', { body: { email: account.email, password: account.password } }),
      )
    ).cookies,
  );
}

export async function tableSnapshot(): Promise<string[]> {
  const client = localDynamoClient(process.env.AWS_ENDPOINT_URL_DYNAMODB!);
  const result = await client.send(new ScanCommand({ TableName: process.env.TABLE_NAME!, ConsistentRead: true }));
  return (result.Items ?? []).map((item) => JSON.stringify(item)).sort();
}

export function sessionCookieFrom(cookies: string[]): string {
  const cookie = cookies.find((candidate) => candidate.startsWith('hub_session='));
  if (!cookie) throw new Error('no session cookie was set');
  return cookie.split(';')[0]!;
}

/** Seeds the demo centre (idempotently) and signs in as its Access Co-ordinator: the session cookie. */
export async function signInAsDemoCoordinator(): Promise<string> {
  const seeded = await seedDemoCentre(dependencies().store);
  const credential = seeded.credentials.find((candidate) => candidate.role === 'access_coordinator')!;
  const response = await call(
    signInHandler,
    apiEvent('POST /api/auth/sign-in', { body: { email: credential.email, password: credential.password } }),
  );
  return sessionCookieFrom(response.cookies);
}

/** A new live set-password link for an existing account, as an email would carry it. */
export async function issueSetPasswordToken(
  store: HubStore,
  account: Pick<Account, 'userId' | 'centreId'>,
  clock: Clock = systemClock,
  purpose: SetPasswordPurpose = 'welcome',
): Promise<string> {
  const token = newToken();
  if (!(await storeSetPasswordLink(store, account, token, purpose, clock))) throw new Error('No such account');
  return token;
}
