import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { loadFebrl4 } from './febrl';
import { matchPupils } from '../../shared/matching/pupils';
import { generatePupilScenario } from '../../shared/demo/matchingScenario';
import { measureQuality } from '../../shared/matching/quality';
const which = process.argv[2] ?? 'upn';
const full = which.startsWith('gen') ? generatePupilScenario(which === 'genlarge' ? 'large' : which, Number(process.argv[3] ?? 2000)) : loadFebrl4(join(import.meta.dirname, '../../../shared/febrl'), which as 'upn');
const side = (id: string) => (createHash('sha1').update(id).digest()[0]! & 1);
const useHalf = !process.argv.includes('--whole');
const d = useHalf ? { mis: full.mis.filter(r => side(r.id) === 1), hub: full.hub.filter(r => side(full.truth.get(r.id) ?? r.id) === 1), truth: full.truth } : full;
const truth = new Map(d.hub.map(r => [r.id, full.truth.get(r.id) ?? null]));
const t0 = performance.now();
const bits = Number(process.env.BITS ?? 8);
const r = matchPupils(d.hub, d.mis, { certaintyBits: bits, mayMatch: 4, margin: Number(process.env.MARGIN ?? 3) });
console.log('ms', (performance.now() - t0).toFixed(0), measureQuality(r, truth), 'records', d.hub.length + d.mis.length);
const hub = new Map(d.hub.map((x) => [x.id, x]));
const mis = new Map(d.mis.map((x) => [x.id, x]));
const reasons = new Map<string, number>();
const show = process.argv.includes('--show');
for (const p of [...r.mayMatch, ...r.matched]) {
  const t = truth.get(p.hubId) === p.misId;
  const isMatched = r.matched.includes(p);
  if (isMatched && t) continue;
  const key = (isMatched ? 'WRONG MATCHED: ' : t ? 'may(true): ' : 'may(false): ') + p.reasons.filter(x=>/not agree|Diff|check|twin|better|Little|No /.test(x)).join('; ');
  reasons.set(key, (reasons.get(key) ?? 0) + 1);
  if (show && (isMatched || t)) { const h = hub.get(p.hubId)!, m = mis.get(p.misId)!;
  console.log(key, '|', p.score, '|', h.upn, h.firstName, h.middleName, h.lastName, h.dob, h.gender, h.yearCode, '||', m.upn, m.firstName, m.middleName, m.lastName, m.dob, m.gender, m.yearCode); }
}
console.log([...reasons].sort((a, b) => b[1] - a[1]));
const lost = [...truth].filter(([h, m]) => m && r.notMatched.includes(h)).length;
console.log('true pairs not proposed', lost);
if ('variants' in full) {
  const v = (full as { variants: Map<string, string> }).variants;
  const stats = new Map<string, [number, number, number]>();
  const auto = new Map(r.matched.map(p => [p.hubId, p.misId]));
  const may = new Map(r.mayMatch.map(p => [p.hubId, p]));
  const why = new Map<string, number>();
  for (const [h, m] of truth) { if (!m) continue; const k = v.get(h)!; const s = stats.get(k) ?? [0, 0, 0]; s[0]++; if (auto.get(h) === m) s[1]++; else if (may.get(h)?.misId === m) { s[2]++; const key = k + ': ' + may.get(h)!.reasons.filter(x=>/not agree|Diff|check|twin|better|Little|No /.test(x)).join('; '); why.set(key, (why.get(key) ?? 0) + 1);} stats.set(k, s); }
  console.log(stats);
  console.log([...why].sort((a, b) => b[1] - a[1]).slice(0, 25));
}
if (process.argv.includes('--variant')) {
  const want = process.argv[process.argv.indexOf('--variant') + 1]!;
  const v = (full as { variants: Map<string, string> }).variants;
  let n = 0;
  for (const p of r.mayMatch) { if (v.get(p.hubId) !== want || truth.get(p.hubId) !== p.misId) continue; if (n++ > 15) break;
    const h = hub.get(p.hubId)!, m = mis.get(p.misId)!;
    console.log(p.score, '|', h.upn, h.firstName, h.middleName, h.lastName, h.dob, h.gender, h.yearCode, '||', m.upn, m.firstName, m.middleName, m.lastName, m.dob, m.gender, m.yearCode, '|', p.reasons.join('; ')); }
}
