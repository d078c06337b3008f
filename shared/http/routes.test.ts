import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handlerModules, matchPath, routes } from './routes';

describe('route declarations', () => {
  it('point at handler modules that exist', () => {
    for (const module of handlerModules())
      expect(existsSync(join(import.meta.dirname, '../../functions', `${module}.ts`))).toBe(true);
  });

  it('declare each method and path once', () => {
    const keys = routes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keep the wizard behind the Access Co-ordinator role', () => {
    for (const route of routes.filter((candidate) => candidate.path.startsWith('/api/sync')))
      expect(route.access).toBe('access_coordinator');
  });

  it('match path templates and decode their parameters', () => {
    expect(matchPath('/api/users/teachers/{teacherId}', '/api/users/teachers/t%2D1')).toEqual({ teacherId: 't-1' });
    expect(matchPath('/api/users/teachers/{teacherId}', '/api/users/teachers/t-1/extra')).toBeNull();
    expect(matchPath('/api/auth/sign-in', '/api/auth/sign-in')).toEqual({});
  });
});
