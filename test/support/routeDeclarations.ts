import type { Endpoints } from '../../shared/http/httpHandler';
import type { RouteDeclaration } from '../../shared/http/routes';

const ACCESS = new Set(['public', 'signed_in', 'access_coordinator']);

/**
 * What the security suite needs of every route before it can cover it: an access level, and
 * an endpoint in its module that declares its body (a zod schema, or `'none'`). A route added
 * without them fails here, so no route escapes the suite.
 */
export function declarationProblems(
  routes: readonly RouteDeclaration[],
  endpointsOf: (module: string) => Endpoints | undefined,
): string[] {
  const problems: string[] = [];
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (!ACCESS.has(route.access as string)) problems.push(`${key}: no access level`);
    const endpoints = endpointsOf(route.handler);
    const definition = endpoints?.[key as keyof Endpoints] as { body?: unknown } | undefined;
    if (!definition) {
      problems.push(`${key}: no endpoint in functions/${route.handler}.ts`);
      continue;
    }
    const body = definition.body;
    const isSchema = typeof body === 'object' && body !== null && 'safeParse' in body;
    if (body !== 'none' && !isSchema) problems.push(`${key}: declares no body schema (or 'none')`);
  }
  return problems;
}
