import './localEnv';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { JavaMissingError } from './dynamoLocal';
import { defaultLocalOptions, startLocalStack } from './localStack';
import { PortInUseError } from './ports';
import { readOwnSchool } from './ownSchool';
import { JsonFileError } from '../../shared/files/jsonFile';
import { nextDailyRun, nextNightlyRun, nightlySchedule } from '../../shared/nightly/schedule';
import { erasureSchedule } from '../../shared/users/eraseSweep';
import { invokeLocally } from './lambdaContext';
import { runNight } from './nightly';
import { LOCAL_NIGHTLY_STATE_MACHINE_ARN } from './stepFunctions';

/**
 * `npm start`: the whole system on this machine. `--fresh` starts with empty data;
 * `--school SCHOOL.json [--hub HUB.json]` serves that school and seeds that Hub
 * (docs/own-school.md), keeping their data apart from the demo's.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const { values } = parseArgs({
    options: {
      fresh: { type: 'boolean', default: false },
      port: { type: 'string', default: String(defaultLocalOptions.port) },
      school: { type: 'string' },
      hub: { type: 'string' },
    },
  });
  const ownSchool = readOwnSchool({ school: values.school, hub: values.hub });
  const options = {
    ...defaultLocalOptions,
    fresh: values.fresh ?? false,
    port: Number(values.port),
    ownSchool,
    dataDir: ownSchool ? join(defaultLocalOptions.dataDir!, `own-${ownSchool.key}`) : defaultLocalOptions.dataDir,
  };
  if (!existsSync(options.webDir))
    console.warn('The web app is not built yet: run `npm run build:web` (npm start does this for you).');

  const stack = await startLocalStack(options);
  const shutdown = (signal: string) => {
    console.log(`\n${signal}: stopping DynamoDB Local, SES local, the results stream and the API…`);
    void stack.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('Ctrl-C'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  const lines = [
    '',
    `Admin Hub MIS Sync is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    '',
    `  Admin Hub:        ${stack.url}`,
    `  Email inbox:      ${stack.sesInboxUrl}   (every email the app sends)`,
    `  Assembly:         ${stack.assembly.url}   (local stand-in: ${stack.assembly.schoolName})`,
    `  Step Functions:   http://127.0.0.1:${options.stepFunctionsPort}   (runs the sync pipeline)`,
    `  Results stream:   DynamoDB Local's stream → the results sender; queues at ${stack.results.sqsEndpoint}`,
    '',
    `  Demo centre${ownSchool ? ` from ${[values.school, values.hub].filter(Boolean).join(' and ')}` : ''} ${stack.seed.seeded ? '(seeded just now)' : '(kept from an earlier run; --fresh starts over)'}:`,
    ...stack.seed.credentials.map(
      (credential) =>
        `    ${credential.role === 'access_coordinator' ? 'Access Co-ordinator' : 'Teacher            '}  ${credential.email}  /  ${credential.password}`,
    ),
    '',
    `  A school token for support tools: curl -s -X POST ${stack.assembly.url}/_standin/tokens`,
    `  Play a night's changes in the MIS: curl -s --data @SCHOOL.json ${stack.assembly.url}/_standin/school`,
    `  Nightly sync:     every night at ${String(nightlySchedule.hour).padStart(2, '0')}:${String(nightlySchedule.minute).padStart(2, '0')} ${nightlySchedule.timezone} (next ${nextNightlyRun(new Date()).toISOString().slice(0, 16).replace('T', ' ')} UTC); now: npm run sync:nightly`,
    `  Erasure sweep:    daily at ${String(erasureSchedule.hour).padStart(2, '0')}:${String(erasureSchedule.minute).padStart(2, '0')} ${erasureSchedule.timezone}: pupils deleted 6 months ago are erased for good`,
    '',
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
  scheduleNights(`http://127.0.0.1:${options.stepFunctionsPort}`);
  scheduleErasures();
}

/** The in-process twin of the erasure sweep's schedule: the same handler module, daily at the same time. */
function scheduleErasures(): void {
  const timer = setTimeout(
    () => {
      void import('../../functions/users/eraseSweep')
        .then(({ handler }) => invokeLocally(handler, {}, 'eraseSweep', 600))
        .then((swept) => console.log(`Erasure sweep: ${swept.erased} deleted pupils erased`))
        .catch((error: unknown) => console.error('Erasure sweep failed:', error instanceof Error ? error.name : error))
        .finally(() => scheduleErasures());
    },
    nextDailyRun(erasureSchedule, new Date()).getTime() - Date.now(),
  );
  timer.unref();
}

/** The in-process twin of the EventBridge schedule: the same state machine, at the same time. */
function scheduleNights(endpoint: string): void {
  const wait = nextNightlyRun(new Date()).getTime() - Date.now();
  const timer = setTimeout(() => {
    void runNight({ endpoint, stateMachineArn: LOCAL_NIGHTLY_STATE_MACHINE_ARN })
      .then((night) => console.log(`Nightly sync ${night.nightId}: ${night.status.toLowerCase()}`))
      .catch((error: unknown) => console.error('Nightly sync not started:', error instanceof Error ? error.name : error))
      .finally(() => scheduleNights(endpoint));
  }, wait);
  timer.unref();
}

main().catch((error: unknown) => {
  if (error instanceof PortInUseError || error instanceof JavaMissingError || error instanceof JsonFileError) {
    console.error(`\nCannot start: ${error.message}`);
  } else {
    console.error('\nCannot start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
