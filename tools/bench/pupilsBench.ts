/**
 * `npm run bench:pupils`: the Pupils panel of a large school, end to end on the local stack
 * (the Assembly stand-in, DynamoDB Local, local Step Functions), through the same handlers the
 * browser calls: year groups and classes synced first, then every pupil loaded from Assembly
 * (requests counted), reviewed against the Hub (time once fetched, and the response's size),
 * and saved (time, and DynamoDB requests per pupil, the figure that carries to AWS). Then a
 * 5,000-pupil school, to show that a run of that size completes.
 */
import './quietLogs';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startBigSchool } from '../../test/support/bigSchool';
import { figure } from './figures';

interface Panel {
  rows: { status: string; hub?: { id: string }; mis?: { id: string }; ticked?: boolean }[];
  plan: Record<string, unknown> & { version: number; confirmed: unknown[] };
  counts: Record<string, number>;
  problems: string[];
}

/** Requests to one host, counted where every SDK and fetch call goes out. */
function counter() {
  let dynamo = 0;
  let assembly = 0;
  let operations = new Map<string, number>();
  const dynamoPort = () => (process.env.AWS_ENDPOINT_URL_DYNAMODB ? new URL(process.env.AWS_ENDPOINT_URL_DYNAMODB).port : '');
  const handle = NodeHttpHandler.prototype.handle;
  NodeHttpHandler.prototype.handle = function (this: NodeHttpHandler, request, options) {
    if (String(request.port) === dynamoPort()) {
      dynamo++;
      const operation = String(request.headers['x-amz-target'] ?? '').replace(/^DynamoDB_\d+\./, '');
      operations.set(operation, (operations.get(operation) ?? 0) + 1);
    }
    return handle.call(this, request, options);
  };
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (process.env.ASSEMBLY_API_URL && url.startsWith(process.env.ASSEMBLY_API_URL)) assembly++;
    return realFetch(input, init);
  };
  return {
    reset: () => ((dynamo = 0), (assembly = 0), (operations = new Map())),
    /** DynamoDB requests by operation, most first. */
    operations: () => [...operations].sort((a, b) => b[1] - a[1]).map(([operation, count]) => `${operation} ${count}`),
    get dynamo() {
      return dynamo;
    },
    get assembly() {
      return assembly;
    },
  };
}

const requests = counter();

async function school(label: string, pupils: number, hubPupils: number, measureReview: boolean) {
  const { big, stack, client } = await startBigSchool(`bench-${pupils}`, pupils, hubPupils);
  try {
    requests.reset();
    const loadStarted = performance.now();
    let panel = (await client.open()) as unknown as Panel;
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const assemblyRequests = requests.assembly;
    const size = `${big.misPupils.toLocaleString('en-GB')} MIS × ${big.pupils.length.toLocaleString('en-GB')} Hub pupils`;
    if (measureReview) {
      figure(
        `pupils.${label}.assemblyRequests`,
        assemblyRequests,
        'requests',
        `Pupils load, ${size}: ${assemblyRequests} Assembly requests (students at 1,500 a page, year groups, registration and teaching groups), load and first review ${loadSeconds.toFixed(2)} s`,
      );
      const times: number[] = [];
      let bytes = 0;
      for (let run = 0; run < 7; run++) {
        const started = performance.now();
        const response = await client.send('GET');
        times.push(performance.now() - started);
        bytes = JSON.stringify(response.body).length;
      }
      times.sort((a, b) => a - b);
      figure(
        `pupils.${label}.reviewMs`,
        times[3]!,
        'ms',
        `Pupils review, ${size} (fetched): median ${times[3]!.toFixed(0)} ms (target < 1,000 ms), ${(bytes / 1024 / 1024).toFixed(1)} MB of JSON (Lambda's limit: 6 MB)`,
      );
      figure(`pupils.${label}.reviewBytes`, bytes, 'bytes');
    }
    const counts = Object.entries(panel.counts)
      .map(([status, count]) => `${count} ${status}`)
      .join(', ');

    // All of it: every May match confirmed (new pupils are ticked unless unticked).
    const confirmed = panel.rows
      .filter((row) => row.status === 'mayMatch')
      .map((row) => ({ hubId: row.hub!.id, misId: row.mis!.id }));
    panel = (await client.send('PUT', '/plan', { ...panel.plan, confirmed: [...panel.plan.confirmed, ...confirmed] }))
      .body as unknown as Panel;
    if (panel.problems.length) throw new Error(`the plan has problems: ${panel.problems.join('; ')}`);

    requests.reset();
    const started = performance.now();
    const run = (await client.save()).body as { status: string; counts: Record<string, number>; progress: { total: number } };
    const seconds = (performance.now() - started) / 1000;
    const written = (run.counts.imported ?? 0) + (run.counts.linked ?? 0);
    const perPupil = requests.dynamo / Math.max(1, written);
    figure(
      `pupils.${label}.saveSeconds`,
      seconds,
      's',
      `Save and sync of ${size} (${counts}): ${run.status}, ${run.counts.imported ?? 0} imported, ${run.counts.linked ?? 0} linked in ${seconds.toFixed(1)} s (target < 20 s for 2,000 on DynamoDB Local)`,
    );
    figure(
      `pupils.${label}.dynamoRequestsPerPupil`,
      perPupil,
      'requests',
      `  ${requests.dynamo.toLocaleString('en-GB')} DynamoDB requests in the run: ${perPupil.toFixed(2)} per pupil written (target ≤ 3): ${requests.operations().join(', ')}`,
    );
    if (run.status !== 'succeeded') process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

// One school per process: the handlers' dependencies are made once, for the stack they first met.
const { values: args } = parseArgs({ options: { size: { type: 'string' } } });
if (args.size === '5000') await school('5000', 5000, 5500, false);
else if (args.size === '2000') await school('2000', 2000, 2200, true);
else {
  await school('2000', 2000, 2200, true);
  const bigger = spawnSync('npx', ['tsx', import.meta.filename, '--size', '5000'], { stdio: 'inherit', env: process.env });
  if (bigger.status !== 0) process.exitCode = 1;
}
