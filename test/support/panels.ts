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
    // A 5,000-pupil run takes about a minute on DynamoDB Local, several when other tests share it.
    const deadline = Date.now() + 900_000;
    for (;;) {
      const current = await read();
      if (current.status !== 'running') return current;
      if (Date.now() > deadline) throw new Error(`the ${panel} job is still running`);
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

interface SetupPanel {
  rows: {
    status: string;
    hub?: { id: string };
    mis?: { id: string; name?: string; years?: string[]; yearGroupId?: string | null };
  }[];
  plan: Record<string, unknown> & { imports: string[]; confirmed: unknown[]; values: Record<string, Record<string, string>> };
  yearGroupOptions?: { id: string; code: string | null }[];
}

/**
 * The wizard's panels before Pupils, through the handlers, as a co-ordinator who accepts it
 * all: every May match confirmed, every new year group and class created (a class whose pupils
 * span years goes into its lowest year). Teachers are left alone unless asked for.
 */
export async function syncYearGroupsAndClasses(cookie: string, options: { teachers?: boolean } = {}): Promise<void> {
  const accept = async (panel: string, values?: (opened: SetupPanel) => SetupPanel['plan']['values']) => {
    const client = await panelClient(cookie, panel);
    const opened = (await client.open()) as unknown as SetupPanel;
    const confirmed = opened.rows
      .filter((row) => row.status === 'mayMatch')
      .map((row) => ({ hubId: row.hub!.id, misId: row.mis!.id }));
    const imports = panel === 'teachers' ? [] : opened.rows.filter((row) => row.status === 'new').map((row) => row.mis!.id);
    const put = await client.send('PUT', '/plan', {
      ...opened.plan,
      imports,
      confirmed: [...opened.plan.confirmed, ...confirmed],
      values: values?.(opened) ?? opened.plan.values,
    });
    if (put.status !== 200) throw new Error(`the ${panel} plan answered ${put.status}: ${JSON.stringify(put.body)}`);
    const saved = await client.save();
    if ((saved.body as { status?: string }).status !== 'succeeded') throw new Error(`the ${panel} run did not succeed`);
  };
  if (options.teachers) await accept('teachers');
  await accept('year-groups');
  await accept('classes', (opened) =>
    Object.fromEntries(
      opened.rows.flatMap((row) => {
        if (row.status !== 'new' || row.mis!.yearGroupId) return [];
        const option = opened.yearGroupOptions!.find((candidate) => candidate.code === row.mis!.years![0]);
        return option ? [[row.mis!.id, { yearGroup: option.id }]] : [];
      }),
    ),
  );
}

/** The Pupils panel as a co-ordinator who takes it all: all pupils, every New imported, every May match confirmed. */
export async function syncAllPupils(cookie: string): Promise<void> {
  const pupils = await panelClient(cookie, 'pupils');
  const panel = (await pupils.open()) as unknown as {
    rows: { status: string; hub?: { id: string }; mis?: { id: string; blocked?: string | null } }[];
    plan: Record<string, unknown> & { confirmed: unknown[] };
  };
  const imports = panel.rows.filter((row) => row.status === 'new' && !row.mis!.blocked).map((row) => row.mis!.id);
  const confirmed = panel.rows
    .filter((row) => row.status === 'mayMatch')
    .map((row) => ({ hubId: row.hub!.id, misId: row.mis!.id }));
  const put = await pupils.send('PUT', '/plan', { ...panel.plan, imports, confirmed: [...panel.plan.confirmed, ...confirmed] });
  if (put.status !== 200) throw new Error(`the pupils plan answered ${put.status}`);
  const saved = await pupils.save();
  if ((saved.body as { status?: string }).status !== 'succeeded') throw new Error('the pupils run did not succeed');
}
