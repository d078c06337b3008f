/**
 * Results commands, run by an operator with the deployment's AWS credentials, or against
 * `npm start`'s local engines with its environment. There is no API route for these.
 *
 *   npm run results -- redrive [--centre ID]
 *     sends again what reached the results dead-letter queues, once the fault is fixed: each
 *     result goes back through the parking queue to the sender, which sends it as it is now and
 *     never POSTs one result twice. With --centre, only that centre's results; the rest stay.
 *
 * Queues: RESULTS_DEAD_LETTER_QUEUE_URL, RESULTS_PARKED_DEAD_LETTER_QUEUE_URL and
 * RESULTS_PARKING_QUEUE_URL (the stack's outputs); locally, AWS_ENDPOINT_URL_SQS is enough.
 */
import { parseArgs } from 'node:util';
import { QUEUES } from '../infra/local/resultsStream';
import { systemClock } from '../shared/core/clock';
import { redrive } from '../shared/results/redrive';
import { SqsDeadLetters, SqsParkingQueue } from '../shared/results/sqsParking';
import { DynamoStreamRecords } from '../shared/results/streamRecords';

const USAGE = 'usage: npm run results -- redrive [--centre <centre id>]';
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { centre: { type: 'string' }, help: { type: 'boolean' } },
});
if (values.help || positionals[0] !== 'redrive') {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
const local = process.env.AWS_ENDPOINT_URL_SQS;
const queue = (variable: string, name: string) => {
  const url = process.env[variable] ?? (local ? `${local}/000000000000/${name}` : undefined);
  if (!url) {
    console.error(`Set ${variable} (the stack's output of that name).`);
    process.exit(2);
  }
  return url;
};
try {
  const report = await redrive(
    {
      streamLetters: new SqsDeadLetters(queue('RESULTS_DEAD_LETTER_QUEUE_URL', QUEUES.deadLetters)),
      parkedLetters: new SqsDeadLetters(queue('RESULTS_PARKED_DEAD_LETTER_QUEUE_URL', QUEUES.parkedDeadLetters)),
      parking: new SqsParkingQueue(queue('RESULTS_PARKING_QUEUE_URL', QUEUES.parked)),
      stream: new DynamoStreamRecords(),
      clock: systemClock,
    },
    values.centre,
  );
  console.log(`Sent again: ${report.redriven} result(s), through the parking queue.`);
  if (report.leftForOthers) console.log(`Left for other centres: ${report.leftForOthers} letter(s).`);
  if (report.unreadable)
    console.log(
      `Could not be read: ${report.unreadable} letter(s) (stream records are kept 24 hours; the school can mark those papers again).`,
    );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
