import type { Server } from 'node:http';
import sesModule from 'aws-ses-v2-local';
import { handler as loadsHandler } from '../../functions/sync/loads';
import { handler as teachersHandler } from '../../functions/sync/teachers';
import { freePort } from '../../infra/local/ports';
import { localStateMachineEnvironment, startLocalStepFunctions } from '../../infra/local/stepFunctions';
import { apiEvent, call } from './hub';

const sesLocal: typeof sesModule = (sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule;

/** SES v2 local and the local Step Functions (both state machines), with the handlers pointed at them. */
export async function startPipelineEngines(): Promise<{ sesUrl: string; stop(): void }> {
  const servers: Server[] = [];
  const sesPort = await freePort();
  servers.push(await sesLocal({ host: '127.0.0.1', port: sesPort }));
  const sesUrl = `http://127.0.0.1:${sesPort}`;
  const stepFunctions = await startLocalStepFunctions(0);
  servers.push(stepFunctions.server);
  Object.assign(process.env, {
    MAIL_FROM: 'no-reply@admin-hub.local',
    AWS_ENDPOINT_URL_SESV2: sesUrl,
    AWS_ENDPOINT_URL_SFN: stepFunctions.endpoint,
    ...localStateMachineEnvironment,
  });
  return { sesUrl, stop: () => servers.forEach((server) => server.close()) };
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
