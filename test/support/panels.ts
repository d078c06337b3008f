import { join } from 'node:path';
import { handler as loadsHandler } from '../../functions/sync/loads';
import { handler as runsHandler } from '../../functions/sync/runs';
import { REPO_ROOT } from '../../infra/local/localStack';
import type { HttpHandler } from '../../shared/http/httpHandler';
import { routes } from '../../shared/http/routes';
import { apiEvent, call } from './hub';

/** A wizard panel as the browser drives it, by its step id (the routes every panel has). */
export async function panelClient(cookie: string, panel: string) {
  const base = `/api/sync/${panel}`;
  const module = routes.find((route) => route.path === base)!.handler;
  const { handler } = (await import(/* @vite-ignore */ join(REPO_ROOT, 'functions', `${module}.ts`))) as { handler: HttpHandler };
  const send = (method: string, path = '', body?: unknown) =>
    call(handler, apiEvent(`${method} ${base}${path}`, { cookies: [cookie], body }));
  const until = async (read: () => Promise<Record<string, unknown>>) => {
    for (let tries = 0; ; tries++) {
      const current = await read();
      if (current.status !== 'running') return current;
      if (tries > 600) throw new Error(`the ${panel} job is still running`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    send,
    /** Loads the MIS records (the job), then reads the panel. */
    async open() {
      const started = await send('POST', '/load');
      if (started.status !== 202) throw new Error(`the ${panel} load answered ${started.status}`);
      const load = await until(
        async () =>
          (
            await call(
              loadsHandler,
              apiEvent('GET /api/sync/loads/{loadId}', {
                cookies: [cookie],
                pathParameters: { loadId: String(started.body!.loadId) },
              }),
            )
          ).body!,
      );
      if (load.status !== 'done') throw new Error(`the ${panel} load ended ${String(load.status)}`);
      return (await send('GET')).body!;
    },
    /** Save and sync as the browser does (each Matched pair as shown), and the run once it has ended. */
    async save() {
      const view = (await send('GET')).body as {
        plan: { version: number };
        rows: { status: string; hub?: { id: string; version: number }; mis?: { id: string } }[];
      };
      const reviewed = Object.fromEntries(
        view.rows.flatMap((row) =>
          row.status === 'matched' ? [[row.hub!.id, { misId: row.mis!.id, version: row.hub!.version }]] : [],
        ),
      );
      const started = await send('POST', '/save', { planVersion: view.plan.version, reviewed });
      if (started.status !== 202) return started;
      const runId = String(started.body!.runId);
      return {
        status: 202,
        body: await until(
          async () =>
            (await call(runsHandler, apiEvent('GET /api/sync/runs/{runId}', { cookies: [cookie], pathParameters: { runId } })))
              .body!,
        ),
      };
    },
  };
}
