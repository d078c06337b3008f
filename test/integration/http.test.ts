import { describe, expect, it } from 'vitest';
import { handler as fallback } from '../../functions/api/fallback';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { MAX_BODY_BYTES, ORIGIN_HEADER } from '../../shared/http/routes';
import { invokeLocally } from '../../infra/local/lambdaContext';
import { apiEvent, call, givenAccount, tableSnapshot } from '../support/hub';

/** What no declared route matches is the $default route's: the app's error shape, never API Gateway's. */
const unrouted = (method: string, path: string) => ({ ...apiEvent(`${method} ${path}`), routeKey: '$default' });

describe('requests outside the declared routes', () => {
  it('answers a known path asked with another method with 405 and Allow', async () => {
    const result = await invokeLocally(fallback, unrouted('DELETE', '/api/sync/teachers'), 'fallback');
    expect(result.statusCode).toBe(405);
    expect(result.headers).toMatchObject({ allow: 'GET' });
    expect(JSON.parse(result.body!)).toMatchObject({ error: 'method_not_allowed', message: expect.stringMatching(/takes GET/) });
  });

  it('answers an unknown path with 404 in the app’s shape', async () => {
    const response = await call(fallback, unrouted('GET', '/api/no-such-thing'));
    expect(response).toMatchObject({ status: 404, body: { error: 'not_found', message: 'There is nothing at this address.' } });
  });

  it('checks path parameters like body fields', async () => {
    const { handler: runs } = await import('../../functions/sync/runs');
    const { signInAsDemoCoordinator } = await import('../support/hub');
    const cookie = await signInAsDemoCoordinator();
    const response = await call(
      runs,
      apiEvent('GET /api/sync/runs/{runId}', { cookies: [cookie], pathParameters: { runId: '../../etc' } }),
    );
    expect(response).toMatchObject({ status: 400, body: { fields: { runId: 'This is not a valid id' } } });
  });

  it('refuses a body over the documented limit with 413, and writes nothing', async () => {
    const before = await tableSnapshot();
    const response = await call(
      signInHandler,
      apiEvent('POST /api/auth/sign-in', {
        rawBody: JSON.stringify({ email: 'a@school.example', password: 'x'.repeat(MAX_BODY_BYTES) }),
      }),
    );
    expect(response).toMatchObject({ status: 413, body: { error: 'too_large' } });
    expect(await tableSnapshot()).toEqual(before);
  });
});

describe('requests that did not come through CloudFront', () => {
  it('are refused before anything is read or written, on every route', async () => {
    const account = await givenAccount('centre-edge', 'access_coordinator');
    const before = await tableSnapshot();
    const around = (headers: Record<string, string | undefined>) =>
      call(
        signInHandler,
        apiEvent('POST /api/auth/sign-in', { headers, body: { email: account.email, password: account.password } }),
      );

    for (const response of [
      await around({ [ORIGIN_HEADER]: undefined }),
      await around({ [ORIGIN_HEADER]: 'a guess at the origin secret that is long enough' }),
      await call(fallback, { ...unrouted('GET', '/api/no-such-thing'), headers: {} }),
    ]) {
      expect(response).toMatchObject({ status: 403, body: { error: 'forbidden' } });
      expect(response.cookies).toEqual([]);
    }
    expect(await tableSnapshot()).toEqual(before);
    expect((await around({})).status).toBe(200);
  });
});
