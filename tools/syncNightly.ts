/**
 * `npm run sync:nightly [-- --centre ID …]`: runs tonight's sync now, on the system `npm start`
 * is running (its local Step Functions endpoint runs the same nightly state machine the schedule
 * starts), for every connected centre or only those named. Prints how the night ended; each
 * centre's outcome is on its wizard's MIS data sync page.
 */
import { parseArgs } from 'node:util';
import { defaultLocalOptions } from '../infra/local/localStack';
import { runNight } from '../infra/local/nightly';
import { LOCAL_NIGHTLY_STATE_MACHINE_ARN } from '../infra/local/stepFunctions';

const { values } = parseArgs({ options: { centre: { type: 'string', multiple: true }, help: { type: 'boolean' } } });
if (values.help) {
  console.log('npm run sync:nightly [-- --centre ID …]   (with `npm start` running)');
  process.exit(0);
}
const endpoint = process.env.AWS_ENDPOINT_URL_SFN ?? `http://127.0.0.1:${defaultLocalOptions.stepFunctionsPort}`;
try {
  const started = Date.now();
  const night = await runNight({ endpoint, stateMachineArn: LOCAL_NIGHTLY_STATE_MACHINE_ARN, centreIds: values.centre ?? [] });
  console.log(
    `Nightly sync ${night.nightId}: ${night.status.toLowerCase()} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
      (night.error ? ` (${night.error})` : ''),
  );
  console.log('What it changed and what waits: the wizard’s MIS data sync page, and the digest in the SES inbox.');
  process.exit(night.status === 'SUCCEEDED' ? 0 : 1);
} catch (error) {
  const refused = error instanceof Error && /ECONNREFUSED/.test(String((error as { cause?: unknown }).cause ?? error.message));
  console.error(refused ? `Nothing answers at ${endpoint}: start the system first with \`npm start\`.` : error);
  process.exit(1);
}
