/**
 * `npm run bench:nightly [-- --schools 200 --pupils 120 --changed 20]`: the nightly state machine
 * over many schools on the local stack. Each school is its own centre, seeded with a Hub typed
 * in by hand, authorised through the stand-in's consent page (its own Assembly school and token)
 * and taken through the Teachers, Year groups, Classes and Pupils panels. Then three nights:
 *
 *  1. the first night after the panels, which lists every school in full (as the weekly night does);
 *  2. a night when nothing changed anywhere (`/school/status` only);
 *  3. a night when some schools changed (a pupil renamed, a new pupil in a synced class).
 *
 * For each night: how long it took, the Assembly requests (the most any one token made in any
 * five minutes, against Assembly's 600), and per centre the Step Functions state transitions,
 * Lambda invocations and DynamoDB requests (counted by a proxy in front of DynamoDB Local). Then
 * the same figures extrapolated to 20,000 centres at the Map's concurrency.
 */
import './quietLogs';
import { createServer, request, type Server } from 'node:http';
import { parseArgs } from 'node:util';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { schoolFileFor } from '../../infra/local/assembly/schoolData';
import { runNight } from '../../infra/local/nightly';
import { LOCAL_NIGHTLY_STATE_MACHINE_ARN } from '../../infra/local/stepFunctions';
import { isLambdaTask, NIGHTLY_CENTRES_AT_ONCE, stateMachines } from '../../infra/pipeline/syncPipeline';
import { generateHubHistory } from '../../shared/demo/hubHistory';
import { generateSchool } from '../../shared/demo/school';
import { demoCentre, seedCentre } from '../../shared/demo/seedDemo';
import { schoolFileSchema, type SchoolFile } from '../../shared/files/schoolFile';
import { dependencies } from '../../shared/runtime/dependencies';
import { mapConcurrently } from '../../shared/sync/mapConcurrently';
import { connectThroughConsent } from '../../test/support/assembly';
import { apiEvent, call, sessionCookieFrom } from '../../test/support/hub';
import { startTestStack } from '../../test/support/localStack';
import { syncAllPupils, syncYearGroupsAndClasses } from '../../test/support/panels';
import { figure } from './figures';

const { values: args } = parseArgs({
  options: {
    schools: { type: 'string', default: '200' },
    pupils: { type: 'string', default: '120' },
    changed: { type: 'string', default: '20' },
  },
});
const SCHOOLS = Number(args.schools);
const PUPILS = Number(args.pupils);
const CHANGED = Math.min(SCHOOLS, Number(args.changed));
const FIRST_SCHOOL_ID = 50_000;
const TARGET_CENTRES = 20_000;
const WINDOW_SECONDS = 300;
const MAP_CONCURRENCY = NIGHTLY_CENTRES_AT_ONCE;

const stack = await startTestStack();
const dynamo = await countingProxy(new URL(process.env.AWS_ENDPOINT_URL_DYNAMODB!));
// Every handler's client is made after this, so every DynamoDB request of the nights is counted.
process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.url;
try {
  const { store } = dependencies();
  const schools = Array.from({ length: SCHOOLS }, (_, index) => benchSchool(index));

  const setupStarted = performance.now();
  await mapConcurrently(schools, 4, async (school) => {
    const outcome = await seedCentre(store, school.seed);
    stack.assembly.replaceSchool(school.file, { schoolId: school.schoolId });
    const credential = outcome.credentials.find((candidate) => candidate.role === 'access_coordinator')!;
    const signedIn = await call(
      signInHandler,
      apiEvent('POST /api/auth/sign-in', { body: { email: credential.email, password: credential.password } }),
    );
    const cookie = sessionCookieFrom(signedIn.cookies);
    await connectThroughConsent(stack.assembly, cookie, school.schoolId);
    await syncYearGroupsAndClasses(cookie, { teachers: true });
    await syncAllPupils(cookie);
  });
  console.log(
    `${SCHOOLS} schools of ${PUPILS} pupils connected and through the panels in ${((performance.now() - setupStarted) / 1000).toFixed(0)} s`,
  );

  const first = await measureNight('full', 'first night after the panels: every school listed in full');
  const quiet = await measureNight('unchanged', 'nothing changed');
  for (const school of schools.slice(0, CHANGED))
    stack.assembly.replaceSchool(changedOvernight(school), { schoolId: school.schoolId });
  const mixed = await measureNight('mixed', `${CHANGED} of ${SCHOOLS} schools changed`);

  for (const [night, label] of [
    [first, 'a night listing every school in full (the weekly listing, at worst all on one night)'],
    [quiet, 'a quiet night'],
    [mixed, `a night when ${((100 * CHANGED) / SCHOOLS).toFixed(0)}% of schools changed`],
  ] as const) {
    const perCentre = night.seconds / SCHOOLS;
    const minutes = (TARGET_CENTRES * perCentre) / 60;
    figure(
      `nightly.${night.name}.extrapolated20k`,
      minutes,
      'min',
      `  20,000 centres, ${label}: ≈ ${minutes.toFixed(0)} min at this machine's pace (${(perCentre * 1000).toFixed(0)} ms a centre with ${MAP_CONCURRENCY} at once); ` +
        `${(TARGET_CENTRES * night.transitions).toLocaleString('en-GB', { maximumFractionDigits: 0 })} state transitions, ${(TARGET_CENTRES * night.lambdas).toLocaleString('en-GB', { maximumFractionDigits: 0 })} Lambda invocations, ` +
        `${(TARGET_CENTRES * night.dynamo).toLocaleString('en-GB', { maximumFractionDigits: 0 })} DynamoDB requests, ${(TARGET_CENTRES * night.assembly).toLocaleString('en-GB', { maximumFractionDigits: 0 })} Assembly requests`,
    );
  }

  async function measureNight(name: string, label: string) {
    const before = dynamo.total();
    const executionsBefore = new Set(stack.executions().map((execution) => execution.executionArn));
    const requestsBefore = schools.map((school) => stack.assembly.served(school.schoolId).apiRequests);
    // Each school's requests so far, once a second: the peak in any five minutes, per token.
    const samples: number[][] = [];
    const sample = () => samples.push(schools.map((school) => stack.assembly.served(school.schoolId).apiRequests));
    sample();
    const sampler = setInterval(sample, 1000);
    const started = performance.now();
    const ended = await runNight({
      endpoint: process.env.AWS_ENDPOINT_URL_SFN!,
      stateMachineArn: LOCAL_NIGHTLY_STATE_MACHINE_ARN,
      timeoutMs: 60 * 60_000,
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    sample();
    if (ended.status !== 'SUCCEEDED') throw new Error(`the ${name} night ended ${ended.status}: ${ended.cause ?? ''}`);

    const records = await Promise.all(schools.map((school) => store.getNightly(school.centreId)));
    const outcomes = new Map<string, number>();
    for (const record of records) outcomes.set(record?.status ?? 'none', (outcomes.get(record?.status ?? 'none') ?? 0) + 1);
    const requests = schools.map((school, index) => stack.assembly.served(school.schoolId).apiRequests - requestsBefore[index]!);
    let peak = 0;
    for (let end = 0; end < samples.length; end++) {
      const start = Math.max(0, end - WINDOW_SECONDS);
      for (let school = 0; school < schools.length; school++)
        peak = Math.max(peak, samples[end]![school]! - samples[start]![school]!);
    }
    const executions = stack.executions().filter((execution) => !executionsBefore.has(execution.executionArn));
    const entered = executions.flatMap((execution) =>
      (execution.history as { type: string; state?: { name: string; type: string } }[]).filter(
        (event) => event.type === 'StateEntered',
      ),
    );
    const lambdaStates = new Set(
      Object.values(stateMachines).flatMap((machine) =>
        Object.entries(machine.tasks as Record<string, Parameters<typeof isLambdaTask>[0]>).flatMap(([state, task]) =>
          isLambdaTask(task) ? [state] : [],
        ),
      ),
    );
    const lambdas = entered.filter((event) => event.state && lambdaStates.has(event.state.name)).length;
    const dynamoCounts = dynamo.since(before);
    const dynamoTotal = Object.values(dynamoCounts).reduce((sum, count) => sum + count, 0);

    const night = {
      name,
      seconds,
      assembly: requests.reduce((sum, count) => sum + count, 0) / SCHOOLS,
      transitions: entered.length / SCHOOLS,
      lambdas: lambdas / SCHOOLS,
      dynamo: dynamoTotal / SCHOOLS,
    };
    console.log(`\n${label}: ${[...outcomes].map(([status, count]) => `${count} ${status}`).join(', ')}`);
    figure(
      `nightly.${name}.seconds`,
      seconds,
      's',
      `  ${SCHOOLS} centres in ${seconds.toFixed(1)} s (${executions.length} executions)`,
    );
    figure(
      `nightly.${name}.peakRequestsPerToken5min`,
      peak,
      'requests',
      `  Assembly: ${night.assembly.toFixed(1)} requests a centre (most ${Math.max(...requests)}); peak per token in any 5 minutes ${peak} (Assembly allows 600)`,
    );
    figure(
      `nightly.${name}.perCentre.transitions`,
      night.transitions,
      'count',
      `  per centre: ${night.transitions.toFixed(1)} state transitions, ${night.lambdas.toFixed(1)} Lambda invocations, ` +
        `${night.dynamo.toFixed(1)} DynamoDB requests (${Object.entries(dynamoCounts)
          .sort(([, a], [, b]) => b - a)
          .map(([operation, count]) => `${operation} ${(count / SCHOOLS).toFixed(1)}`)
          .join(', ')})`,
    );
    figure(`nightly.${name}.perCentre.lambdas`, night.lambdas, 'count');
    figure(`nightly.${name}.perCentre.dynamo`, night.dynamo, 'count');
    return night;
  }
} finally {
  await stack.stop();
  dynamo.server.close();
}

/** A generated school of its own: its centre, its Assembly school id, its staff's own email domain. */
function benchSchool(index: number) {
  const tag = String(index + 1).padStart(3, '0');
  const centreId = `bench-centre-${tag}`;
  const generated = generateSchool({ seed: `nightly-bench-${tag}`, pupils: PUPILS, academicYearStart: 2026 });
  const emailDomain = `bench${tag}.sch.uk`;
  const school = {
    ...generated,
    emailDomain,
    staff: generated.staff.map((member) => ({ ...member, email: member.email?.replace(/@.*$/, `@${emailDomain}`) ?? null })),
  };
  const history = generateHubHistory(school, {
    centreId,
    seed: `nightly-bench-${tag}`,
    createdAt: '2019-09-02T08:30:00.000Z',
    coordinatorPassword: demoCentre.coordinatorPassword,
    teacherPassword: demoCentre.teacherPassword,
  });
  const { centre, accounts, teachers, yearGroups, classes, pupils } = history;
  return {
    centreId,
    schoolId: FIRST_SCHOOL_ID + index,
    file: schoolFileSchema.parse(schoolFileFor(school)),
    seed: { centre, accounts, records: { teachers, yearGroups, classes, pupils } },
  };
}

/** The school as Assembly serves it the next morning: one pupil renamed, one new pupil in a class. */
function changedOvernight(school: ReturnType<typeof benchSchool>): SchoolFile {
  const file = schoolFileSchema.parse(stack.assembly.served(school.schoolId).toFile());
  const group = file.registration_groups.find((candidate) => (candidate.student_ids ?? []).length > 1)!;
  const [renamedId, templateId] = group.student_ids as number[];
  const template = file.students.find((student) => student.id === templateId)!;
  const newId = Math.max(...file.students.map((student) => student.id), ...file.students_left.map((student) => student.id)) + 1;
  const withNew = (ids: number[] | null | undefined) => (ids?.includes(templateId!) ? [...ids, newId] : ids);
  return schoolFileSchema.parse({
    ...file,
    students: [
      ...file.students.map((student) => (student.id === renamedId ? { ...student, first_name: 'Marigold' } : student)),
      { ...template, id: newId, first_name: 'Ottoline', last_name: 'Quennell', upn: null, dob: '2018-02-03' },
    ],
    year_groups: file.year_groups.map((candidate) => ({ ...candidate, student_ids: withNew(candidate.student_ids) })),
    registration_groups: file.registration_groups.map((candidate) =>
      candidate === group ? { ...candidate, student_ids: withNew(candidate.student_ids) } : candidate,
    ),
  });
}

/** A loopback proxy in front of DynamoDB Local that counts requests by operation. */
async function countingProxy(upstream: URL): Promise<{
  url: string;
  server: Server;
  total(): Record<string, number>;
  since(before: Record<string, number>): Record<string, number>;
}> {
  const counts: Record<string, number> = {};
  const server = createServer((incoming, outgoing) => {
    const operation = String(incoming.headers['x-amz-target'] ?? 'Other')
      .split('.')
      .pop()!;
    counts[operation] = (counts[operation] ?? 0) + 1;
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    server,
    total: () => ({ ...counts }),
    since: (before) =>
      Object.fromEntries(
        Object.entries(counts)
          .map(([operation, count]) => [operation, count - (before[operation] ?? 0)] as const)
          .filter(([, count]) => count > 0),
      ),
  };
}
