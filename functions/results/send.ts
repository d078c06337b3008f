import type { Context } from 'aws-lambda';
import { dependencies, requiredEnv } from '../../shared/runtime/dependencies';
import { lambdaEntry } from '../../shared/runtime/observability';
import { handleResultsEvent, type ResultsEvent } from '../../shared/results/resultsEvent';
import type { ParkingQueue, SenderDependencies } from '../../shared/results/sender';

let parking: ParkingQueue | undefined;

async function senderDependencies(): Promise<SenderDependencies> {
  if (!parking) {
    const { SqsParkingQueue } = await import('../../shared/results/sqsParking');
    parking = new SqsParkingQueue(requiredEnv('RESULTS_PARKING_QUEUE_URL'));
  }
  return { ...dependencies(), parking };
}

/** The results sender: the table's stream (result items only) and the parking queue. */
export const handler = lambdaEntry(async (event: ResultsEvent, context: Context) =>
  handleResultsEvent(await senderDependencies(), event, context),
);
