import type { Server } from 'node:http';
import sesModule from 'aws-ses-v2-local';
import { handler as loadsHandler } from '../../functions/sync/loads';
import { handler as teachersHandler } from '../../functions/sync/teachers';
import { freePort } from '../../infra/local/ports';
import {
  localStateMachineEnvironment,
  startLocalStepFunctions,
  type LocalStepFunctionsOptions,
} from '../../infra/local/stepFunctions';
import { apiEvent, call } from './hub';

const sesLocal: typeof sesModule = (sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule;

/** SES v2 local, with the mailer pointed at it. */
export async function startLocalSes(): Promise<{ sesUrl: string; server: Server; stop(): void }> {
  const port = await freePort();
  const server = await sesLocal({ host: '127.0.0.1', port });
  const sesUrl = `http://127.0.0.1:${port}`;
  Object.assign(process.env, { MAIL_FROM: 'no-reply@admin-hub.local', AWS_ENDPOINT_URL_SESV2: sesUrl });
  return { sesUrl, server, stop: () => server.close() };
}

/** SES v2 local and the local Step Functions (both state machines), with the handlers pointed at them. */
export async function startPipelineEngines(options: LocalStepFunctionsOptions = {}): Promise<{ sesUrl: string; stop(): void }> {
  const ses = await startLocalSes();
  const stepFunctions = await startLocalStepFunctions(0, options);
  Object.assign(process.env, { AWS_ENDPOINT_URL_SFN: stepFunctions.endpoint, ...localStateMachineEnvironment });
  return {
    sesUrl: ses.sesUrl,
    stop: () => {
      ses.stop();
      stepFunctions.server.close();
    },
  };
}

export interface SentEmail {
  destination: { to: string[] };
  subject: string;
  body: { text: string };
}

/** What SES local has accepted so far. */
export async function sentEmails(sesUrl: string): Promise<SentEmail[]> {
  return ((await (await fetch(`${sesUrl}/store`)).json()) as { emails: SentEmail[] }).emails;
}

export async function emailsTo(sesUrl: string, address: string): Promise<SentEmail[]> {
  return (await sentEmails(sesUrl)).filter((mail) => mail.destination.to.includes(address));
}

/** The set-password token in an email's link (it travels in the URL fragment). */
export function linkTokenIn(email: SentEmail): string {
  const match = /\/set-password#token=([A-Za-z0-9_%-]+)/.exec(email.body.text);
  if (!match) throw new Error('no set-password link in the email');
  return decodeURIComponent(match[1]!);
}

/** Opens the Teachers panel as the browser does: starts the load job, waits for it, then reads the panel. */
export async function openTeachersPanel(cookie: string) {
  const started = await call(teachersHandler, apiEvent('POST /api/sync/teachers/load', { cookies: [cookie] }));
  if (started.status !== 202) return started;
  const deadline = Date.now() + 30_000;
  let load = started.body!;
  while (load.status === 'running') {
    if (Date.now() > deadline) throw new Error('the load did not finish within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
    load = (
      await call(
        loadsHandler,
        apiEvent('GET /api/sync/loads/{loadId}', { cookies: [cookie], pathParameters: { loadId: String(load.loadId) } }),
      )
    ).body!;
  }
  if (load.status !== 'done') throw new Error(`the load ended ${String(load.status)}: ${String(load.failureReason)}`);
  return call(teachersHandler, apiEvent('GET /api/sync/teachers', { cookies: [cookie] }));
}
