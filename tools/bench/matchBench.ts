/**
 * `npm run bench:match`: quality and speed of the matching engine.
 *
 * Quality: generated UK school data (several seeds and sizes) and FEBRL 4 (with soc_sec_id as
 * the UPN, and without). Every data set is split in two by entity; thresholds are tuned on one
 * half (no wrong automatic match allowed, then the most automatic matches) and reported on the
 * other, beside the shipped defaults. Speed: 2,000 × 2,000, then 10k to 100k a side, one core.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { generatePupilScenario, generateTeacherScenario } from '../../shared/demo/matchingScenario';
import { PUPIL_SETTINGS, matchPupils, type PupilMatchSettings } from '../../shared/matching/pupils';
import { measureQuality, type MatchQuality } from '../../shared/matching/quality';
import { matchTeachers } from '../../shared/matching/teachers';
import type { PupilRecord } from '../../shared/matching/types';
import { loadFebrl4 } from './febrl';
import { figure } from './figures';

interface DataSet {
  name: string;
  hub: PupilRecord[];
  mis: PupilRecord[];
  truth: Map<string, string | null>;
  /** Hub id → how the record was typed, for generated data. */
  variants?: Map<string, string>;
}

const FEBRL_DIR = process.env.FEBRL_DIR ?? join(import.meta.dirname, '../../../shared/febrl');
const quick = process.argv.includes('--quick');

function half(dataSet: DataSet, which: 0 | 1): DataSet {
  // An entity belongs to a half by a hash of its MIS id (or, for unmatched Hub records, its own id).
  const side = (id: string) => (createHash('sha1').update(id).digest()[0]! & 1) as 0 | 1;
  const mis = dataSet.mis.filter((record) => side(record.id) === which);
  const hub = dataSet.hub.filter((record) => side(dataSet.truth.get(record.id) ?? record.id) === which);
  const truth = new Map(hub.map((record) => [record.id, dataSet.truth.get(record.id) ?? null]));
  return { name: `${dataSet.name} (${which === 0 ? 'tuning' : 'test'} half)`, hub, mis, truth, variants: dataSet.variants };
}

function generated(seed: string, pupils: number): DataSet {
  const scenario = generatePupilScenario(seed, pupils);
  return { name: `generated ${pupils} (seed ${seed})`, ...scenario };
}

function format(quality: MatchQuality, records: number): string {
  return [
    `precision ${quality.wrongAutoMatches ? quality.autoPrecision.toFixed(5) : '1'} (${quality.wrongAutoMatches} wrong of ${quality.autoMatched})`,
    `auto recall ${quality.autoRecall.toFixed(4)}`,
    `candidate recall ${quality.candidateRecall.toFixed(4)}`,
    `review queue ${quality.reviewQueue} (${((100 * quality.reviewQueue) / records).toFixed(2)}%)`,
  ].join(' · ');
}

function tune(tuning: DataSet[]): PupilMatchSettings {
  let best: { settings: PupilMatchSettings; recall: number; queue: number } | null = null;
  for (const certaintyBits of [5, 6, 7, 8, 9, 10, 11, 12]) {
    for (const margin of [2, 3, 4, 6, 8]) {
      for (const mayMatch of [4, 6, 8]) {
        const settings = { certaintyBits, margin, mayMatch };
        const qualities = tuning.map((dataSet) => measureQuality(matchPupils(dataSet.hub, dataSet.mis, settings), dataSet.truth));
        if (qualities.some((quality) => quality.wrongAutoMatches > 0)) continue;
        const recall = qualities.reduce((sum, quality) => sum + quality.autoRecall, 0) / qualities.length;
        const queue = qualities.reduce((sum, quality) => sum + quality.reviewQueue, 0);
        const candidate = qualities.reduce((sum, quality) => sum + quality.candidateRecall, 0) / qualities.length;
        const score = recall + candidate / 100;
        if (!best || score > best.recall + 1e-9 || (Math.abs(score - best.recall) < 1e-9 && queue < best.queue))
          best = { settings, recall: score, queue };
      }
    }
  }
  if (!best) throw new Error('No settings gave zero wrong automatic matches on the tuning halves');
  return best.settings;
}

/** The fastest of several runs (the machine's noise only ever adds time), and the pairs each compared. */
function timeMatch(hub: PupilRecord[], mis: PupilRecord[], runs: number): { ms: number; comparisons: number } {
  let fastest = Infinity;
  const stats = { comparisons: 0 };
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    matchPupils(hub, mis, PUPIL_SETTINGS, stats);
    fastest = Math.min(fastest, performance.now() - started);
  }
  return { ms: fastest, comparisons: stats.comparisons };
}

/** A square benchmark: the MIS, and a Hub as large, padded with another school's Hub records (strangers). */
function square(size: number): { hub: PupilRecord[]; mis: PupilRecord[] } {
  const scenario = generated(`speed${size}`, size);
  const mis = scenario.mis.slice(0, size);
  const extra = generated(`speed${size}:extra`, size).hub.map((record) => ({ ...record, id: `x-${record.id}` }));
  const hub = [...scenario.hub, ...extra].slice(0, size);
  return { hub, mis };
}

function main(): void {
  console.log(`Matching benchmark (node ${process.version}, one core${quick ? ', quick' : ''})\n`);
  // In turn, so that the quality data sets are garbage before the timing starts.
  quality();
  speed();
}

function quality(): void {
  const sizes = quick ? [500, 2000] : [500, 2000, 20_000];
  const dataSets: DataSet[] = [
    ...['s1', 's2', 's3'].flatMap((seed) => sizes.map((size) => generated(seed, size))),
    generated('s1', quick ? 20_000 : 100_000),
    { name: 'FEBRL 4 with soc_sec_id as UPN', ...loadFebrl4(FEBRL_DIR, 'upn') },
    { name: 'FEBRL 4 without id', ...loadFebrl4(FEBRL_DIR, 'none') },
  ];
  const tuned = tune(dataSets.map((dataSet) => half(dataSet, 0)));
  console.log(`Tuned on the tuning halves: ${JSON.stringify(tuned)}; shipped defaults: ${JSON.stringify(PUPIL_SETTINGS)}\n`);
  console.log('Quality on the test halves (tuned | shipped); review queue as a share of all records:');
  for (const dataSet of dataSets) {
    const test = half(dataSet, 1);
    const records = test.hub.length + test.mis.length;
    console.log(`  ${test.name}: ${test.hub.length} Hub × ${test.mis.length} MIS`);
    console.log(`    tuned:   ${format(measureQuality(matchPupils(test.hub, test.mis, tuned), test.truth), records)}`);
    const shipped = measureQuality(matchPupils(test.hub, test.mis), test.truth);
    console.log(`    shipped: ${format(shipped, records)}`);
    const key = test.name.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
    figure(`match.${key}.autoRecall`, shipped.autoRecall, 'ratio');
    figure(`match.${key}.wrongAutoMatches`, shipped.wrongAutoMatches, 'pairs');
    figure(`match.${key}.reviewShare`, shipped.reviewQueue / records, 'ratio');
  }

  console.log('\nTrue pairs not matched automatically on the generated test halves, by how the Hub record was typed:');
  const left = new Map<string, { total: number; may: number; missed: number }>();
  for (const dataSet of dataSets) {
    if (!dataSet.variants) continue;
    const test = half(dataSet, 1);
    const result = matchPupils(test.hub, test.mis);
    const matched = new Set(result.matched.map((pair) => `${pair.hubId}|${pair.misId}`));
    const proposed = new Set(result.mayMatch.map((pair) => `${pair.hubId}|${pair.misId}`));
    for (const [hubId, misId] of test.truth) {
      if (misId === null) continue;
      const variant = dataSet.variants.get(hubId) ?? 'unknown';
      const entry = left.get(variant) ?? { total: 0, may: 0, missed: 0 };
      entry.total++;
      if (proposed.has(`${hubId}|${misId}`)) entry.may++;
      else if (!matched.has(`${hubId}|${misId}`)) entry.missed++;
      left.set(variant, entry);
    }
  }
  for (const [variant, entry] of [...left].sort((a, b) => b[1].may + b[1].missed - (a[1].may + a[1].missed))) {
    if (entry.may + entry.missed === 0) continue;
    console.log(`  ${variant}: ${entry.may} in May match, ${entry.missed} not proposed, of ${entry.total}`);
  }

  const teachers = generateTeacherScenario('bench', 150, 100);
  const teacherQuality = measureQuality(matchTeachers(teachers.hub, teachers.mis), teachers.truth);
  console.log(`Teachers, 100 Hub × 150 MIS staff: ${format(teacherQuality, 250)}`);
}

function speed(): void {
  console.log('\nSpeed (fastest of several runs after warm-up; records = Hub + MIS):');
  const small = square(2000);
  timeMatch(small.hub, small.mis, 5); // warm-up
  const twoThousand = timeMatch(small.hub, small.mis, 9).ms;
  figure('match.speed2000Ms', twoThousand, 'ms', `  2,000 × 2,000: ${twoThousand.toFixed(1)} ms`);
  for (const size of quick ? [10_000, 20_000] : [10_000, 25_000, 50_000, 100_000]) {
    const { hub, mis } = square(size);
    const rssBefore = process.memoryUsage().rss;
    const { ms, comparisons } = timeMatch(hub, mis, 5);
    const perSecond = Math.round(((2 * size) / ms) * 1000);
    console.log(
      `  ${size.toLocaleString('en-GB')} × ${size.toLocaleString('en-GB')}: ${ms.toFixed(0)} ms, ` +
        `${perSecond.toLocaleString('en-GB')} records/s, ${((ms / (2 * size)) * 1000).toFixed(1)} µs per record, ` +
        `${(comparisons / size).toFixed(2)} pairs compared per Hub record` +
        (size === (quick ? 20_000 : 100_000)
          ? `; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} (data ${mb(rssBefore)} before matching)`
          : ''),
    );
  }
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

main();
