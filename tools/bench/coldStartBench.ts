/**
 * `npm run bench:coldstart`: every Lambda's module init, measured as Lambda pays it. Each
 * function is bundled as the CDK app bundles it (esbuild, ESM, minified, node22), then imported
 * in a fresh Node process; the median of several imports is reported. Target: < 150 ms here.
 */
import { figure } from './figures';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { handlerModules } from '../../shared/http/routes';
import { stateMachines, isLambdaTask } from '../../infra/pipeline/syncPipeline';

const ROOT = resolve(import.meta.dirname, '../..');
const RUNS = 5;
/** What Lambda sets that changes module init: Powertools' Tracer is on only in a Lambda environment. */
const LAMBDA_ENV = {
  PATH: process.env.PATH ?? '',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_REGION: 'eu-west-2',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  POWERTOOLS_SERVICE_NAME: 'admin-hub-mis-sync',
  TABLE_NAME: 'bench',
};
const modules = [
  ...handlerModules(),
  ...new Set(
    Object.values(stateMachines).flatMap((machine) =>
      Object.values(machine.tasks).flatMap((task) => (isLambdaTask(task) ? [task.handler] : [])),
    ),
  ),
];

const out = mkdtempSync(join(tmpdir(), 'hub-coldstart-'));
try {
  const rows: { module: string; kb: number; ms: number }[] = [];
  for (const module of modules) {
    const file = join(out, `${module.replace(/\//g, '-')}.mjs`);
    const result = await build({
      entryPoints: [join(ROOT, 'functions', `${module}.ts`)],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      mainFields: ['module', 'main'],
      banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
      metafile: true,
      logLevel: 'silent',
    });
    const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
      times.push(
        Number(
          execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: LAMBDA_ENV }).trim(),
        ),
      );
    }
    times.sort((a, b) => a - b);
    rows.push({ module, kb: Math.round(bytes / 1024), ms: times[Math.floor(RUNS / 2)]! });
  }
  console.log(`Module init per function (median of ${RUNS} fresh imports of its built bundle; target < 150 ms)`);
  for (const row of rows)
    console.log(`  ${row.module.padEnd(24)} ${String(row.kb).padStart(6)} KB  ${row.ms.toFixed(0).padStart(5)} ms`);
  const worst = Math.max(...rows.map((row) => row.ms));
  figure('coldStart.slowestMs', worst, 'ms', `  slowest: ${worst.toFixed(0)} ms`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
