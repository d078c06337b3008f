/**
 * Support commands, run by an operator with the deployment's AWS credentials (and TABLE_NAME),
 * or against `npm start`'s local table with its environment. There is no API route for these.
 *
 *   npm run support -- erase --centre ID --pupil ID
 *     erases a pupil now and everything the Hub holds about them (a school's erasure request),
 *     audited by id, and prints what it could not erase.
 */
import { parseArgs } from 'node:util';
import { dependencies } from '../shared/runtime/dependencies';
import { erasePupilNow } from '../shared/users/eraseNow';

const USAGE = 'usage: npm run support -- erase --centre <centre id> --pupil <pupil id>';
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { centre: { type: 'string' }, pupil: { type: 'string' }, help: { type: 'boolean' } },
});
if (values.help || positionals[0] !== 'erase' || !values.centre || !values.pupil) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
try {
  const report = await erasePupilNow(dependencies(), values.centre, values.pupil);
  console.log(`Erased pupil ${values.pupil} of centre ${values.centre}:`);
  for (const [kind, count] of Object.entries(report.erased)) console.log(`  ${kind}: ${count}`);
  console.log('Not erased:');
  for (const line of report.notErased) console.log(`  ${line}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
