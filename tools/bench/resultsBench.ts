/**
 * `npm run bench:results`: marked papers to Assembly on the local stack. 500 marks for synced
 * pupils of the demo school, recorded through the marking API a few at a time, as teachers
 * would; each is timed from the moment its mark is saved to the moment the Assembly stand-in
 * holds it (sent by the sender from DynamoDB Local's stream, through the local poller).
 */
import './quietLogs';
import { handler as finishHandler } from '../../functions/sync/finish';
import { handler as markingHandler } from '../../functions/results/marking';
import { demoCentre } from '../../shared/demo/seedDemo';
import type { HubPupil } from '../../shared/domain/records';
import { dependencies } from '../../shared/runtime/dependencies';
import { mapConcurrently } from '../../shared/sync/mapConcurrently';
import { connectThroughConsent } from '../../test/support/assembly';
import { apiEvent, call, signInAsDemoCoordinator } from '../../test/support/hub';
import { startTestStack } from '../../test/support/localStack';
import { syncAllPupils, syncYearGroupsAndClasses } from '../../test/support/panels';
import { figure } from './figures';

const MARKS = 500;
const stack = await startTestStack();
try {
  const store = dependencies().store;
  const centreId = demoCentre.centreId;
  const cookie = await signInAsDemoCoordinator();
  await connectThroughConsent(stack.assembly, cookie, undefined, ['assessments.write']);
  await syncYearGroupsAndClasses(cookie, { teachers: true });
  await syncAllPupils(cookie);
  const { version } = (await call(finishHandler, apiEvent('GET /api/sync/finish', { cookies: [cookie] }))).body!.sharing as {
    version: number;
  };
  await call(
    finishHandler,
    apiEvent('PUT /api/sync/finish/sharing', { cookies: [cookie], body: { version, shareAll: true, shareHistorical: false } }),
  );

  const years = new Map((await store.listYearGroups(centreId)).map((group) => [group.yearGroupId, group.yearCode]));
  const pupils = (await store.listPupils(centreId)).filter(
    (pupil) => pupil.syncStatus === 'synced' && /^[1-6]$/.test(years.get(pupil.yearGroupId ?? '') ?? ''),
  );
  // Reading and maths, autumn and spring: four papers per pupil, each its own result in Assembly.
  const papers = ['reading', 'maths'].flatMap((subject) => ['autumn', 'spring'].map((term) => ({ subject, term })));
  const marks = pupils
    .flatMap((pupil) => papers.map((paper) => ({ pupil, ...paper })))
    .slice(0, MARKS)
    .map((mark, index) => ({ ...mark, index }));
  if (marks.length < MARKS) throw new Error(`only ${marks.length} papers to mark`);

  const savedAt = new Map<string, number>();
  const arrivedAt = new Map<string, number>();
  const keyOf = (studentId: unknown, rank: unknown, subject: unknown) =>
    `${String(studentId)}|${String(rank)}|${String(subject)}`;
  const points = stack.assembly.served().catalogue.assessmentPoints as { rank: number; year_code: string; name: string }[];
  const subjects = stack.assembly.served().catalogue.subjects as { id: number; name?: string }[];
  const subjectId = (subject: string) =>
    (subject === 'maths'
      ? subjects.find((candidate) => /^math/i.test(candidate.name ?? ''))
      : (subjects.find((candidate) => /^reading$/i.test(candidate.name ?? '')) ??
        subjects.find((candidate) => /^english$/i.test(candidate.name ?? ''))))!.id;
  const expected = (mark: { pupil: HubPupil; subject: string; term: string }) => {
    const yearCode = years.get(mark.pupil.yearGroupId!)!;
    const rank = points.find((point) => point.year_code === yearCode && new RegExp(mark.term, 'i').test(point.name))!.rank;
    return keyOf(mark.pupil.misId, rank, subjectId(mark.subject));
  };
  let seen = 0;
  const watcher = setInterval(() => {
    const held = stack.assembly.results;
    for (; seen < held.length; seen++) {
      const result = held[seen]!;
      arrivedAt.set(keyOf(result.student_id, result.assessment_point_rank, result.subject_id), performance.now());
    }
  }, 5);

  const started = performance.now();
  // Sat in the term of the paper (the assessment point follows the date sat).
  const satIn = { autumn: '2026-11-12', spring: '2026-03-10' } as Record<string, string>;
  // Eight teachers marking at once, one paper after another.
  await mapConcurrently(marks, 8, async (mark) => {
    const paperId = `${mark.subject}-${years.get(mark.pupil.yearGroupId!)!}-${mark.term}`;
    const answer = await call(
      markingHandler,
      apiEvent('PUT /api/marking/pupils/{pupilId}/results/{paperId}', {
        cookies: [cookie],
        pathParameters: { pupilId: mark.pupil.pupilId, paperId },
        body: { rawMark: 30, standardisedScore: 80 + (mark.index % 60), sat: satIn[mark.term], version: 0 },
      }),
    );
    if (answer.status !== 200) throw new Error(`marking answered ${answer.status}`);
    savedAt.set(expected(mark), performance.now());
  });
  const marked = performance.now() - started;
  const deadline = Date.now() + 120_000;
  while (arrivedAt.size < savedAt.size && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(watcher);
  const latencies = [...savedAt].flatMap(([key, at]) => (arrivedAt.has(key) ? [Math.max(0, arrivedAt.get(key)! - at)] : []));
  latencies.sort((a, b) => a - b);
  const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))]!;
  console.log(
    `${savedAt.size} marks in ${(marked / 1000).toFixed(1)} s; ${latencies.length} reached Assembly, ${stack.assembly.results.length} results held`,
  );
  figure('results.latency.p50', at(0.5), 'ms', `Mark → Assembly: p50 ${at(0.5).toFixed(0)} ms`);
  figure('results.latency.p95', at(0.95), 'ms', `Mark → Assembly: p95 ${at(0.95).toFixed(0)} ms (target < 2,000 ms)`);
  figure('results.latency.max', latencies.at(-1)!, 'ms', `Mark → Assembly: slowest ${latencies.at(-1)!.toFixed(0)} ms`);
  figure('results.delivered', latencies.length, 'count');
  if (latencies.length !== MARKS || stack.assembly.results.length !== MARKS)
    throw new Error(`expected ${MARKS} results in Assembly, found ${stack.assembly.results.length}`);
} finally {
  await stack.stop();
}
process.exit(0);
