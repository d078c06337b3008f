import { generatePupilScenario } from '../../shared/demo/matchingScenario';
import { matchPupils } from '../../shared/matching/pupils';
const size = Number(process.argv[2] ?? 100000);
const s = generatePupilScenario(`speed${size}`, size);
const extra = generatePupilScenario(`speed${size}:extra`, size).hub.map((r) => ({ ...r, id: `x-${r.id}` }));
const hub = [...s.hub, ...extra].slice(0, size);
const mis = s.mis.slice(0, size);
for (let i = 0; i < Number(process.argv[3] ?? 2); i++) {
  const t = performance.now();
  matchPupils(hub, mis);
  console.log(size, (performance.now() - t).toFixed(0), 'ms');
}
console.log('rss MB', Math.round(process.resourceUsage().maxRSS / 1024));
