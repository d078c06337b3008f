import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import {
  deliveryStatusQuerySchema,
  listDeliveryStatus,
  retryResults,
  retryResultsBody,
} from '../../shared/results/deliveryStatus';

/** Results in Assembly: what became of each marked paper, and sending failed ones again. */
export const handler = httpHandler({
  'GET /api/results/deliveries': endpoint({
    body: 'none',
    query: deliveryStatusQuerySchema,
    async run({ session, deps, query }) {
      return { status: 200, body: await listDeliveryStatus(deps, session!.centreId, query) };
    },
  }),
  'POST /api/results/deliveries/retry': endpoint({
    body: retryResultsBody,
    async run({ body, session, deps }) {
      return { status: 200, body: await retryResults(deps, session!, body) };
    },
  }),
});
