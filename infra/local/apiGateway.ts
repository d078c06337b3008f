import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  FALLBACK_HANDLER,
  matchPath,
  MAX_BODY_BYTES as MAX_API_BODY_BYTES,
  ORIGIN_HEADER,
  routes,
} from '../../shared/http/routes';
import type { HttpHandler } from '../../shared/http/httpHandler';
import { CONTENT_SECURITY_POLICY } from '../../shared/http/securityHeaders';
import { invokeLocally } from './lambdaContext';
import { HTTP_TIMEOUT_SECONDS } from '../constructs/timeouts';

const FUNCTIONS_DIR = resolve(import.meta.dirname, '../../functions');
/** Twice what the handlers read, so that their own 413 answers first. */
const MAX_BODY_BYTES = 2 * MAX_API_BODY_BYTES;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * A stand-in for API Gateway (HTTP API, payload v2) and CloudFront: requests under /api are
 * turned into the same events AWS sends and passed to the very handler modules the CDK app
 * deploys; everything else is served from the built web app, with index.html as fallback.
 */
export function createLocalApiGateway(webDir: string): Server {
  const handlers = new Map<string, Promise<HttpHandler>>();
  const loadHandler = (module: string) => {
    let loaded = handlers.get(module);
    if (!loaded) {
      loaded = import(join(FUNCTIONS_DIR, `${module}.ts`)).then((imported: { handler: HttpHandler }) => imported.handler);
      handlers.set(module, loaded);
    }
    return loaded;
  };

  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const respond = url.pathname.startsWith('/api/')
      ? handleApi(request, response, url, loadHandler)
      : serveWeb(request, response, url, webDir);
    respond.catch((error: unknown) => {
      console.error(
        JSON.stringify({ level: 'error', source: 'local-api-gateway', error: error instanceof Error ? error.name : 'unknown' }),
      );
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'internal', message: 'Internal Server Error' }));
    });
  });
}

async function handleApi(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  loadHandler: (module: string) => Promise<HttpHandler>,
): Promise<void> {
  const method = request.method ?? 'GET';
  let pathParameters: Record<string, string> | null = null;
  const route = routes.find(
    (candidate) => candidate.method === method && (pathParameters = matchPath(candidate.path, url.pathname)),
  );
  const body = await readBody(request);
  if (body === null) {
    // API Gateway refuses bodies over its own limit; ours is lower and the handlers say so in the app's shape.
    response.writeHead(413, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify({ error: 'too_large', message: 'The request is too large.' }));
    return;
  }
  // No declared route: the API's $default route, as on AWS.
  const event = toEvent(request, url, route ? `${route.method} ${route.path}` : '$default', pathParameters, body);
  const module = route ? route.handler : FALLBACK_HANDLER;
  const handler = await loadHandler(module);
  writeResult(response, await invokeLocally(handler, event, module.replace(/\//g, '-'), HTTP_TIMEOUT_SECONDS));
}

function toEvent(
  request: IncomingMessage,
  url: URL,
  routeKey: string,
  pathParameters: Record<string, string> | null,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name === 'cookie' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // As CloudFront does: the origin secret replaces whatever the client sent under that name.
  if (process.env.ORIGIN_SECRET) headers[ORIGIN_HEADER] = process.env.ORIGIN_SECRET;
  const cookies = (request.headers.cookie ?? '')
    .split(';')
    .map((cookie) => cookie.trim())
    .filter(Boolean);
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(pathParameters && Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body.length ? { body: body.toString('utf8') } : {}),
    isBase64Encoded: false,
  };
}

function writeResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? ''));
}

function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolveBody(tooLarge ? null : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

async function serveWeb(request: IncomingMessage, response: ServerResponse, url: URL, webDir: string): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405).end();
    return;
  }
  const root = resolve(webDir);
  const requested = normalize(join(root, decodeURIComponent(url.pathname)));
  const isFile = requested.startsWith(root) && existsSync(requested) && statSync(requested).isFile();
  const file = isFile ? requested : join(root, 'index.html');
  if (!existsSync(file)) {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('The web app has not been built. Run `npm run build:web`.');
    return;
  }
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'content-security-policy': CONTENT_SECURITY_POLICY,
  });
  response.end(request.method === 'HEAD' ? undefined : readFileSync(file));
}
