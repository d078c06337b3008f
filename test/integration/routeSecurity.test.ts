import { join } from 'node:path';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { handler as signInHandler } from '../../functions/auth/signIn';
import type { Endpoints, HttpHandler } from '../../shared/http/httpHandler';
import { HAND_ENTERED, type LoadJob, type SyncRun } from '../../shared/domain/records';
import { handlerModules, routes, type RouteDeclaration } from '../../shared/http/routes';
import { dependencies } from '../../shared/runtime/dependencies';
import { REPO_ROOT } from '../../infra/local/localStack';
import { declarationProblems } from '../support/routeDeclarations';
import { apiEvent, call, givenAccount, sessionCookieFrom, tableSnapshot } from '../support/hub';
import type { AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { connectThroughConsent, startStandInForHandlers } from '../support/assembly';
import { startPipelineEngines } from '../support/engines';
import { getLoad, startLoad } from '../../shared/sync/loads';
import { loadKinds } from '../../shared/wizard/steps';

/**
 * The security suite over every declared route (shared/http/routes.ts), read from the route
 * table and each module's endpoints, so a route added later is covered without editing this
 * file: who may call it, what it refuses, and that a refused request writes nothing.
 */
type Module = HttpHandler & { endpoints: Endpoints };
const modules = new Map<string, Module>();
let coordinator: string;
let teacher: string;

const keyOf = (route: RouteDeclaration) => `${route.method} ${route.path}`;
const handlerOf = (route: RouteDeclaration) => modules.get(route.handler)!;
const bodySchemaOf = (route: RouteDeclaration) => {
  const body = handlerOf(route).endpoints[keyOf(route) as keyof Endpoints]?.body;
  return body && body !== 'none' ? (body as z.ZodType) : null;
};
/** Path parameters that are valid ids of nothing in particular. */
const pathParametersOf = (route: RouteDeclaration) =>
  Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, 'no-such-id']));
const cookieFor = (route: RouteDeclaration) => (route.access === 'public' ? [] : [coordinator]);

async function signedIn(role: 'access_coordinator' | 'teacher'): Promise<string> {
  const account = await givenAccount('centre-route-security', role);
  const response = await call(
    signInHandler,
    apiEvent('POST /api/auth/sign-in', { body: { email: account.email, password: account.password } }),
  );
  return sessionCookieFrom(response.cookies);
}

/** Calls the route and checks that nothing in the table changed. */
async function refused(route: RouteDeclaration, options: Parameters<typeof apiEvent>[1]) {
  const before = await tableSnapshot();
  const response = await call(handlerOf(route), apiEvent(keyOf(route), options));
  expect(await tableSnapshot(), `${keyOf(route)} wrote to the table`).toEqual(before);
  return response;
}

// Loaded before the tests are collected: which tests a route gets depends on what it declares.
for (const module of handlerModules())
  modules.set(
    module,
    ((await import(/* @vite-ignore */ join(REPO_ROOT, 'functions', `${module}.ts`))) as { handler: Module }).handler,
  );

beforeAll(async () => {
  coordinator = await signedIn('access_coordinator');
  teacher = await signedIn('teacher');
});

describe('the route declarations', () => {
  it('give every route an access level and an endpoint that declares its body', () => {
    expect(declarationProblems(routes, (module) => modules.get(module)?.endpoints)).toEqual([]);
  });

  it('would catch a route added without an access level, an endpoint or a body', () => {
    const added = [
      { method: 'POST', path: '/api/new/thing', handler: 'sync/teachers', access: undefined },
      { method: 'POST', path: '/api/auth/sign-out', handler: 'auth/signOut', access: 'public' },
    ] as unknown as RouteDeclaration[];
    const withoutBody = { 'POST /api/auth/sign-out': { run: async () => ({ status: 204 }) } } as unknown as Endpoints;
    expect(
      declarationProblems(added, (module) => (module === 'auth/signOut' ? withoutBody : modules.get(module)?.endpoints)),
    ).toEqual([
      'POST /api/new/thing: no access level',
      'POST /api/new/thing: no endpoint in functions/sync/teachers.ts',
      "POST /api/auth/sign-out: declares no body schema (or 'none')",
    ]);
  });
});

describe.each(routes.filter((route) => route.access !== 'public').map((route) => [keyOf(route), route] as const))(
  '%s',
  (_key, route) => {
    it('answers 401 without a session, and writes nothing', async () => {
      const response = await refused(route, { pathParameters: pathParametersOf(route), body: {} });
      expect(response.status).toBe(401);
    });
  },
);

describe.each(routes.filter((route) => route.access === 'access_coordinator').map((route) => [keyOf(route), route] as const))(
  '%s',
  (_key, route) => {
    it('answers 403 to a teacher, and writes nothing', async () => {
      const response = await refused(route, { cookies: [teacher], pathParameters: pathParametersOf(route), body: {} });
      expect(response.status).toBe(403);
    });
  },
);

describe.each(routes.map((route) => [keyOf(route), route] as const))('%s', (_key, route) => {
  it('refuses a query parameter it does not declare, naming it, and writes nothing', async () => {
    const response = await refused(route, {
      cookies: cookieFor(route),
      pathParameters: pathParametersOf(route),
      query: { utm_source: 'newsletter' },
      body: {},
    });
    expect(response).toMatchObject({ status: 400, body: { fields: { utm_source: expect.any(String) } } });
  });

  if (route.path.includes('{'))
    it('refuses path parameters that are not ids, with a field message, and writes nothing', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ minLength: 0, maxLength: 120 }).filter((value) => !/^[A-Za-z0-9._-]{1,100}$/.test(value)),
          async (value) => {
            const names = Object.keys(pathParametersOf(route));
            const response = await refused(route, {
              cookies: cookieFor(route),
              pathParameters: Object.fromEntries(names.map((name) => [name, value])),
              body: {},
            });
            expect(response.status).toBe(400);
            expect(Object.keys((response.body?.fields ?? {}) as object)).toEqual(expect.arrayContaining([names[0]]));
          },
        ),
        { numRuns: 10, seed: 11 },
      );
    });

  if (bodySchemaOf(route))
    it('refuses bodies its schema refuses, with field messages, and writes nothing', async () => {
      const schema = bodySchemaOf(route)!;
      const invalid = fc
        .oneof(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }), fc.jsonValue())
        .filter((value) => !schema.safeParse(value).success);
      await fc.assert(
        fc.asyncProperty(invalid, async (value) => {
          const response = await refused(route, {
            cookies: cookieFor(route),
            pathParameters: pathParametersOf(route),
            body: value,
          });
          expect(response.status).toBe(400);
          expect(response.body).toMatchObject({ error: 'invalid_request', fields: expect.any(Object) });
        }),
        { numRuns: 15, seed: 7 },
      );
    });
});

/**
 * A record of the given centre for each kind of path parameter, returning its id: a route that
 * takes a new kind of id fails below until it has one here.
 */
const OTHER_CENTRE = 'centre-route-security-other';
const recordIds: Record<string, (centreId: string) => Promise<string>> = {
  async runId(centreId) {
    const run: SyncRun = {
      runId: `run-of-${centreId}`,
      centreId,
      kind: 'teachers',
      startedBy: 'user-other',
      startedAt: new Date().toISOString(),
      status: 'running',
      step: 'backup',
      total: 0,
      chunks: 0,
      notices: 0,
      failureReason: null,
      finishedAt: null,
    };
    const store = dependencies().store;
    if (!(await store.getSyncRun(centreId, run.runId))) {
      await store.startRun(run, [], { centreId, runId: run.runId, kind: run.kind, startedAt: run.startedAt, expiresAt: 0 });
      await store.endRun({ ...run, status: 'succeeded', step: 'done', finishedAt: new Date().toISOString() });
    }
    expect(await store.getSyncRun(centreId, run.runId)).toMatchObject({ status: 'succeeded' });
    return run.runId;
  },
  async loadId(centreId) {
    const load: LoadJob = {
      loadId: `load-of-${centreId}`,
      centreId,
      kind: 'teachers',
      startedBy: 'user-other',
      startedAt: new Date().toISOString(),
      status: 'done',
      pages: 1,
      records: 1,
      failureReason: null,
      finishedAt: new Date().toISOString(),
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    };
    await dependencies().store.putLoad(load);
    expect(await dependencies().store.getLoad(centreId, load.loadId)).not.toBeNull();
    return load.loadId;
  },
  async teacherId(centreId) {
    const now = new Date().toISOString();
    await dependencies().store.putTeachers([
      {
        teacherId: `teacher-of-${centreId}`,
        centreId,
        title: 'Ms',
        firstName: 'Otherschool',
        lastName: 'Teacher',
        email: `otherschool.teacher@${centreId}.example`,
        ...HAND_ENTERED,
        createdAt: now,
        updatedAt: now,
      },
    ]);
    expect(await dependencies().store.getTeacher(centreId, `teacher-of-${centreId}`)).not.toBeNull();
    return `teacher-of-${centreId}`;
  },
  async classId(centreId) {
    await dependencies().store.putClasses([
      {
        classId: `class-of-${centreId}`,
        centreId,
        name: 'Otherschool class',
        description: null,
        yearGroupId: null,
        ...HAND_ENTERED,
      },
    ]);
    expect((await dependencies().store.listClasses(centreId)).some((group) => group.classId === `class-of-${centreId}`)).toBe(
      true,
    );
    return `class-of-${centreId}`;
  },
  async pupilId(centreId) {
    const now = new Date().toISOString();
    await dependencies().store.putPupils([
      {
        pupilId: `pupil-of-${centreId}`,
        centreId,
        upn: null,
        firstName: 'Otherschool',
        middleName: null,
        lastName: 'Pupil',
        dob: null,
        gender: null,
        pupilPremium: null,
        intakeYear: null,
        homeLanguage: null,
        username: `otherschool.pupil`,
        yearGroupId: null,
        classIds: [`class-of-${centreId}`],
        ...HAND_ENTERED,
        createdAt: now,
        updatedAt: now,
      },
    ]);
    expect(await dependencies().store.getPupil(centreId, `pupil-of-${centreId}`)).not.toBeNull();
    return `pupil-of-${centreId}`;
  },
  /** MARK's papers are the same for every centre: a real one, so that only the pupil is another centre's. */
  paperId: () => Promise.resolve('maths-3-autumn'),
};

/** Ids of the centre's own records for the route's path parameters. */
async function idsFor(route: RouteDeclaration, centreId: string): Promise<Record<string, string>> {
  const parameters: Record<string, string> = {};
  for (const name of Object.keys(pathParametersOf(route))) {
    const make = recordIds[name];
    expect(make, `give {${name}} a record in recordIds`).toBeDefined();
    parameters[name] = await make!(centreId);
  }
  return parameters;
}

describe.each(
  routes.filter((route) => route.access !== 'public' && route.path.includes('{')).map((route) => [keyOf(route), route] as const),
)('%s', (_key, route) => {
  it('answers 404 for another centre’s ids, revealing nothing and writing nothing', async () => {
    const parameters = await idsFor(route, OTHER_CENTRE);
    const schema = bodySchemaOf(route);
    const example = handlerOf(route).endpoints[keyOf(route) as keyof Endpoints]?.example;
    if (schema) expect(schema.safeParse(example).success, `declare an example body for ${keyOf(route)}`).toBe(true);
    const secrets = [OTHER_CENTRE, 'Otherschool', ...Object.values(parameters)];
    const asked = await refused(route, { cookies: [coordinator], pathParameters: parameters, body: example ?? {} });
    expect(asked.status).toBe(404);
    for (const secret of secrets) expect(JSON.stringify(asked.body)).not.toContain(secret);
    // The other centre named in the body as well: the centre comes from the session, whatever a body says.
    const body = { ...((example as object | undefined) ?? {}), centreId: OTHER_CENTRE };
    const named = await refused(route, { cookies: [coordinator], pathParameters: parameters, body });
    expect([400, 404]).toContain(named.status);
    for (const secret of secrets.slice(1)) expect(JSON.stringify(named.body)).not.toContain(secret);
  });
});

/**
 * GETs on a connected centre whose panel has loaded, with its access token expired: a GET writes
 * nothing but the side effects its endpoint declares (`sideEffects`, by item type), such as the
 * connection's refreshed tokens.
 */
describe('GETs on a connected centre', () => {
  const CENTRE = 'centre-route-security-gets';
  let standIn: AssemblyStandIn;
  let engines: Awaited<ReturnType<typeof startPipelineEngines>>;
  let cookie: string;
  beforeAll(async () => {
    standIn = await startStandInForHandlers();
    engines = await startPipelineEngines();
    const account = await givenAccount(CENTRE, 'access_coordinator');
    cookie = sessionCookieFrom(
      (
        await call(
          signInHandler,
          apiEvent('POST /api/auth/sign-in', { body: { email: account.email, password: account.password } }),
        )
      ).cookies,
    );
    await connectThroughConsent(standIn, cookie, 7001);
    // Every panel that loads MIS records has loaded them.
    const session = {
      userId: account.userId,
      centreId: CENTRE,
      role: 'access_coordinator' as const,
      expiresAt: 0,
      sessionVersion: 0,
    };
    for (const kind of loadKinds.values()) {
      const { loadId } = await startLoad(dependencies(), session, kind);
      for (let load = await getLoad(dependencies(), session, loadId); load.status !== 'done';) {
        expect(load.status, `the ${kind.kind} load`).toBe('running');
        await new Promise((resolve) => setTimeout(resolve, 100));
        load = await getLoad(dependencies(), session, loadId);
      }
    }
    // Token times have one-second resolution: every token issued so far expires.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    standIn.expireAccessTokens();
    await new Promise((resolve) => setTimeout(resolve, 1100));
  }, 60_000);
  afterAll(async () => {
    await standIn?.stop();
    engines?.stop();
  });

  it.each(routes.filter((route) => route.method === 'GET').map((route) => [keyOf(route), route] as const))(
    '%s writes nothing but its declared side effects',
    async (key, route) => {
      const declared = new Set(handlerOf(route).endpoints[key as keyof Endpoints]?.sideEffects ?? []);
      const parameters = await idsFor(route, CENTRE);
      const before = await tableSnapshot();
      const response = await call(handlerOf(route), apiEvent(key, { cookies: [cookie], pathParameters: parameters }));
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      const after = await tableSnapshot();
      const changed = [...after.filter((item) => !before.includes(item)), ...before.filter((item) => !after.includes(item))];
      const typeOf = (item: string) => (JSON.parse(item) as { type?: { S?: string } }).type?.S ?? '';
      expect(changed.filter((item) => !declared.has(typeOf(item))).map(typeOf)).toEqual([]);
    },
  );
});
