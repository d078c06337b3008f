/**
 * Every API route, declared once. The CDK API stack creates one Lambda per `handler`
 * module under functions/ and one HTTP API route per entry; the local API gateway reads the
 * same list and calls the same modules. `access` is enforced inside the handler adapter.
 */
export type Access = 'public' | 'signed_in' | 'access_coordinator';

export interface RouteDeclaration {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** Module under functions/ (without extension) exporting `handler`. */
  handler: string;
  access: Access;
  /** The handler calls Assembly: it gets the Assembly configuration, the app secret and the token key. */
  usesAssembly?: boolean;
  /** The handler starts the sync pipeline. */
  startsSync?: boolean;
  /** The handler starts load jobs. */
  startsLoad?: boolean;
  /** The handler sends email (set-password links): it gets MAIL_FROM and APP_URL and may send through SES. */
  sendsEmail?: boolean;
}

/**
 * The routes every wizard panel has (shared/wizard/review/panel.ts): load its MIS records as a
 * job, read the review, keep the plan, Save and sync, and unmatch a synced record.
 */
function panelRoutes<Panel extends string, Handler extends string>(panel: Panel, handler: Handler) {
  const base = `/api/sync/${panel}` as const;
  const access = 'access_coordinator' as const;
  return [
    { method: 'POST', path: `${base}/load`, handler, access, startsLoad: true },
    { method: 'GET', path: base, handler, access },
    { method: 'PUT', path: `${base}/plan`, handler, access },
    { method: 'POST', path: `${base}/save`, handler, access, startsSync: true },
    { method: 'POST', path: `${base}/unmatch`, handler, access },
  ] as const;
}

export const routes = [
  { method: 'POST', path: '/api/auth/sign-in', handler: 'auth/signIn', access: 'public' },
  { method: 'POST', path: '/api/auth/sign-out', handler: 'auth/signOut', access: 'public' },
  { method: 'GET', path: '/api/auth/session', handler: 'auth/session', access: 'signed_in' },
  { method: 'POST', path: '/api/auth/set-password/check', handler: 'auth/setPassword', access: 'public' },
  { method: 'POST', path: '/api/auth/set-password', handler: 'auth/setPassword', access: 'public' },
  {
    method: 'POST',
    path: '/api/auth/forgot-password',
    handler: 'auth/setPassword',
    access: 'public',
    sendsEmail: true,
  },
  { method: 'GET', path: '/api/sync/overview', handler: 'sync/overview', access: 'access_coordinator' },
  // MARK's marking: a teacher for the classes they teach, the co-ordinator for any pupil (checked in the use case).
  { method: 'GET', path: '/api/marking', handler: 'results/marking', access: 'signed_in' },
  { method: 'GET', path: '/api/marking/classes/{classId}', handler: 'results/marking', access: 'signed_in' },
  {
    method: 'PUT',
    path: '/api/marking/pupils/{pupilId}/results/{paperId}',
    handler: 'results/marking',
    access: 'signed_in',
  },
  // What became of each marked paper in Assembly, and sending failed ones again.
  { method: 'GET', path: '/api/results/deliveries', handler: 'results/deliveries', access: 'access_coordinator' },
  { method: 'POST', path: '/api/results/deliveries/retry', handler: 'results/deliveries', access: 'access_coordinator' },
  { method: 'GET', path: '/api/sync/finish', handler: 'sync/finish', access: 'access_coordinator' },
  { method: 'PUT', path: '/api/sync/finish/sharing', handler: 'sync/finish', access: 'access_coordinator' },
  {
    method: 'GET',
    path: '/api/sync/authorisation',
    handler: 'sync/authorisation',
    access: 'access_coordinator',
    usesAssembly: true,
  },
  {
    method: 'POST',
    path: '/api/sync/authorisation/start',
    handler: 'sync/authorisation',
    access: 'access_coordinator',
    usesAssembly: true,
  },
  {
    method: 'POST',
    path: '/api/sync/authorisation/complete',
    handler: 'sync/authorisation',
    access: 'access_coordinator',
    usesAssembly: true,
  },
  {
    method: 'POST',
    path: '/api/sync/authorisation/deauthorise',
    handler: 'sync/authorisation',
    access: 'access_coordinator',
    usesAssembly: true,
  },
  ...panelRoutes('teachers', 'sync/teachers'),
  { method: 'POST', path: '/api/sync/teachers/emails', handler: 'sync/teachers', access: 'access_coordinator' },
  ...panelRoutes('year-groups', 'sync/yearGroups'),
  ...panelRoutes('classes', 'sync/classes'),
  ...panelRoutes('pupils', 'sync/pupils'),
  { method: 'GET', path: '/api/sync/pupils/selection', handler: 'sync/pupils', access: 'access_coordinator' },
  { method: 'PUT', path: '/api/sync/pupils/selection', handler: 'sync/pupils', access: 'access_coordinator' },
  { method: 'GET', path: '/api/sync/runs/{runId}', handler: 'sync/runs', access: 'access_coordinator' },
  { method: 'GET', path: '/api/sync/loads/{loadId}', handler: 'sync/loads', access: 'access_coordinator' },
  { method: 'GET', path: '/api/users/teachers', handler: 'users/teachers', access: 'signed_in' },
  { method: 'PATCH', path: '/api/users/teachers/{teacherId}', handler: 'users/teachers', access: 'access_coordinator' },
  { method: 'POST', path: '/api/users/teachers/{teacherId}/access', handler: 'users/teachers', access: 'access_coordinator' },
  { method: 'POST', path: '/api/users/teachers/delete', handler: 'users/teachers', access: 'access_coordinator' },
  { method: 'GET', path: '/api/users/teachers/deleted', handler: 'users/teachers', access: 'access_coordinator' },
  {
    method: 'POST',
    path: '/api/users/teachers/deleted/{teacherId}/restore',
    handler: 'users/teachers',
    access: 'access_coordinator',
  },
  {
    method: 'POST',
    path: '/api/users/teachers/{teacherId}/set-password-link',
    handler: 'users/teachers',
    access: 'access_coordinator',
    sendsEmail: true,
  },
  { method: 'GET', path: '/api/users/pupils', handler: 'users/pupils', access: 'signed_in' },
  { method: 'PATCH', path: '/api/users/pupils/{pupilId}', handler: 'users/pupils', access: 'access_coordinator' },
  { method: 'POST', path: '/api/users/pupils/delete', handler: 'users/pupils', access: 'access_coordinator' },
  { method: 'GET', path: '/api/users/pupils/deleted', handler: 'users/pupils', access: 'access_coordinator' },
  {
    method: 'POST',
    path: '/api/users/pupils/deleted/{pupilId}/restore',
    handler: 'users/pupils',
    access: 'access_coordinator',
  },
] as const satisfies readonly RouteDeclaration[];

export type RouteKey = `${(typeof routes)[number]['method']} ${(typeof routes)[number]['path']}`;

export function routeFor(key: RouteKey): RouteDeclaration {
  const found = routes.find((route) => `${route.method} ${route.path}` === key);
  if (!found) throw new Error(`Undeclared route ${key}`);
  return found;
}

/**
 * The API's `$default` route: any request no declared route matches. It answers 405 with `Allow`
 * for a known path asked with another method, and 404 otherwise, in the app's error shape.
 */
export const FALLBACK_HANDLER = 'api/fallback';

/** The header CloudFront adds to every request it sends to the API (locally, the gateway adds it). */
export const ORIGIN_HEADER = 'x-origin-verify';

/** The largest request body the API reads (documented in the README); larger is a 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The methods declared for a path, for a 405's `Allow` header. */
export function allowedMethods(path: string): string[] {
  return routes.filter((route) => matchPath(route.path, path)).map((route) => route.method);
}

/** Distinct handler modules: one Lambda function each. */
export function handlerModules(): string[] {
  return [...new Set([...routes.map((route) => route.handler), FALLBACK_HANDLER])];
}

export function moduleUsesAssembly(module: string): boolean {
  return routes.some((route: RouteDeclaration) => route.handler === module && route.usesAssembly === true);
}

export function moduleStartsSync(module: string): boolean {
  return routes.some((route: RouteDeclaration) => route.handler === module && route.startsSync === true);
}

export function moduleSendsEmail(module: string): boolean {
  return routes.some((route: RouteDeclaration) => route.handler === module && route.sendsEmail === true);
}

export function moduleStartsLoad(module: string): boolean {
  return routes.some((route: RouteDeclaration) => route.handler === module && route.startsLoad === true);
}

/** API Gateway path template → matcher, e.g. /api/users/teachers/{teacherId}. */
export function matchPath(template: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const pattern = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = new RegExp(`^${pattern}$`).exec(path);
  if (!match) return null;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
}
