import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handler as authorisationHandler } from '../../functions/sync/authorisation';
import { startAssemblyStandIn, type AssemblyStandIn } from '../../infra/local/assembly/standIn';
import { AUTHORISATION_CALLBACK_PATH } from '../../shared/runtime/dependencies';
import type { SchoolFile } from '../../shared/files/schoolFile';
import { ensureLocalSecrets } from '../../shared/secrets/secretSource';
import { apiEvent, call } from './hub';

export const TEST_APP_URL = 'https://hub.example.org';

/**
 * The Assembly stand-in, registered for this app, with the handlers configured to use it
 * (as the local runtime configures them): its URLs, a client id, and a secrets file.
 */
export async function startStandInForHandlers(seed?: string, school?: SchoolFile): Promise<AssemblyStandIn> {
  const secretsFile = join(mkdtempSync(join(tmpdir(), 'hub-secrets-')), 'secrets.json');
  const secrets = ensureLocalSecrets(secretsFile);
  const standIn = await startAssemblyStandIn({
    port: 0,
    ...(seed ? { seed } : {}),
    ...(school ? { school } : {}),
    clients: [
      {
        clientId: 'hub',
        clientSecret: secrets.assemblyClientSecret,
        redirectUris: [`${TEST_APP_URL}${AUTHORISATION_CALLBACK_PATH}`],
      },
    ],
  });
  Object.assign(process.env, {
    APP_URL: TEST_APP_URL,
    APP_SECRETS_FILE: secretsFile,
    ASSEMBLY_API_URL: standIn.url,
    ASSEMBLY_OAUTH_URL: standIn.url,
    ASSEMBLY_CLIENT_ID: 'hub',
  });
  return standIn;
}

/** Authorise, approve on the stand-in's consent page, and complete: the centre is connected. */
export async function connectThroughConsent(
  standIn: AssemblyStandIn,
  cookie: string,
  schoolId?: number,
  /** Optional scopes ticked on the consent page, e.g. assessments.write ("upload assessment data"). */
  optional: readonly string[] = [],
): Promise<void> {
  const started = await call(authorisationHandler, apiEvent('POST /api/sync/authorisation/start', { cookies: [cookie] }));
  const url = new URL(String(started.body!.authorizeUrl));
  const form = new URLSearchParams({
    ...Object.fromEntries(url.searchParams),
    decision: 'approve',
    ...(schoolId === undefined ? {} : { school_id: String(schoolId) }),
  });
  for (const scope of optional) form.append('optional', scope);
  const back = new URL(
    (await fetch(`${standIn.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' })).headers.get('location')!,
  );
  await call(
    authorisationHandler,
    apiEvent('POST /api/sync/authorisation/complete', { cookies: [cookie], body: Object.fromEntries(back.searchParams) }),
  );
}
