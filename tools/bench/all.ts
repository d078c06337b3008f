/**
 * `npm run bench [-- --json FILE]`: every benchmark in turn, each in its own process (so that
 * one's data and engines never slow the next). With --json, every figure is also written to
 * FILE as {"name": {"value": n, "unit": "ms"}}; the human-readable lines are printed either way.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const BENCHES = [
  'teachersBench',
  'panelsBench',
  'pupilsBench',
  'browserBench',
  'resultsBench',
  'nightlyBench',
  'matchBench',
  'coldStartBench',
];

const { values } = parseArgs({ options: { json: { type: 'string' }, only: { type: 'string' } } });
const dir = mkdtempSync(join(tmpdir(), 'bench-'));
const figures = join(dir, 'figures.jsonl');
writeFileSync(figures, '');
let failed = 0;
// The benches that boot the whole stack serve the built web app.
if (!existsSync(join(import.meta.dirname, '../../web/dist'))) spawnSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
try {
  for (const bench of BENCHES) {
    if (values.only && !values.only.split(',').includes(bench)) continue;
    console.log(`\n== ${bench} ==`);
    const result = spawnSync('npx', ['tsx', join(import.meta.dirname, `${bench}.ts`)], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_FIGURES: figures },
    });
    if (result.status !== 0) {
      failed++;
      console.error(`${bench} failed (exit ${result.status ?? result.signal})`);
    }
  }
  if (values.json) {
    const lines = readFileSync(figures, 'utf8').split('\n').filter(Boolean);
    const all = Object.fromEntries(
      lines.map((line) => {
        const { name, value, unit } = JSON.parse(line) as { name: string; value: number; unit: string };
        return [name, { value, unit }];
      }),
    );
    writeFileSync(values.json, `${JSON.stringify(all, null, 2)}\n`);
    console.log(`\n${lines.length} figures written to ${values.json}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
