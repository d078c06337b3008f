import { appendFileSync } from 'node:fs';

/**
 * A benchmark figure, printed for people and kept for `npm run bench -- --json FILE`: the
 * runner (all.ts) names a file in BENCH_FIGURES, each bench appends its figures to it as lines.
 */
export function figure(name: string, value: number, unit: string, line?: string): void {
  if (line) console.log(line);
  const file = process.env.BENCH_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify({ name, value: Number(value.toFixed(3)), unit })}\n`);
}
