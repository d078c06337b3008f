/**
 * `npm run bench:results`: marked papers to Assembly on the local stack. 500 marks for synced
 * pupils of the demo school recorded through the marking API at a steady ten a second, then 500
 * more eight at a time as fast as the API answers; each is timed from the moment its mark is saved to the moment the Assembly stand-in
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
  // Reading and maths in each term: six papers per pupil, each its own result in Assembly.
  const papers = ['reading', 'maths'].flatMap((subject) => ['autumn', 'spring', 'summer'].map((term) => ({ subject, term })));
  const marks = pupils
    .flatMap((pupil) => papers.map((paper) => ({ pupil, ...paper })))
    .slice(0, 2 * MARKS)
    .map((mark, index) => ({ ...mark, index }));
  if (marks.length < 2 * MARKS) throw new Error(`only ${marks.length} papers to mark`);

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

  // Sat in the term of the paper (the assessment point follows the date sat).
  const satIn = { autumn: '2026-11-12', spring: '2026-03-10', summer: '2026-06-16' } as Record<string, string>;
  const record = async (mark: (typeof marks)[number], savedAt: Map<string, number>) => {
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
  };
  /** Marks one run of papers, waits for them in Assembly and reports its latencies. */
  const phase = async (name: string, label: string, mark: (savedAt: Map<string, number>) => Promise<void>) => {
    const savedAt = new Map<string, number>();
    const started = performance.now();
    await mark(savedAt);
    const marked = (performance.now() - started) / 1000;
    const deadline = Date.now() + 120_000;
    while ([...savedAt.keys()].some((key) => !arrivedAt.has(key)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const latencies = [...savedAt].flatMap(([key, at]) => (arrivedAt.has(key) ? [Math.max(0, arrivedAt.get(key)! - at)] : []));
    latencies.sort((a, b) => a - b);
    const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))]!;
    console.log(
      `${label}: ${savedAt.size} marks in ${marked.toFixed(1)} s (${(savedAt.size / marked).toFixed(0)} marks/s); ${latencies.length} reached Assembly`,
    );
    figure(`results.${name}.p50`, at(0.5), 'ms', `Mark → Assembly (${label}): p50 ${at(0.5).toFixed(0)} ms`);
    figure(
      `results.${name}.p95`,
      at(0.95),
      'ms',
      `Mark → Assembly (${label}): p95 ${at(0.95).toFixed(0)} ms (target < 2,000 ms)`,
    );
    figure(
      `results.${name}.max`,
      latencies.at(-1)!,
      'ms',
      `Mark → Assembly (${label}): slowest ${latencies.at(-1)!.toFixed(0)} ms`,
    );
    if (latencies.length !== MARKS)
      throw new Error(`${label}: expected ${MARKS} results in Assembly, ${latencies.length} arrived`);
  };

  // A busy school's steady rate: ten papers a second, one every 100 ms.
  await phase('paced', '10 marks a second', async (savedAt) => {
    for (const mark of marks.slice(0, MARKS)) {
      const next = performance.now() + 100;
      await record(mark, savedAt);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
  });
  // A burst: eight teachers saving at once, one paper after another, as fast as the API answers.
  await phase('burst', 'eight at once, flat out', (savedAt) =>
    mapConcurrently(marks.slice(MARKS), 8, (mark) => record(mark, savedAt)).then(() => undefined),
  );
  clearInterval(watcher);
  figure('results.delivered', stack.assembly.results.length, 'count');
  if (stack.assembly.results.length !== 2 * MARKS)
    throw new Error(`expected ${2 * MARKS} results in Assembly, found ${stack.assembly.results.length}`);
} finally {
  await stack.stop();
}
process.exit(0);
