import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { getLoad } from '../../shared/sync/loads';

/** A load job's progress, polled by a panel while its MIS records are fetched. */
export const handler = httpHandler({
  'GET /api/sync/loads/{loadId}': endpoint({
    body: 'none',
    async run({ session, deps, pathParameters }) {
      return { status: 200, body: await getLoad(deps, session!, pathParameters.loadId ?? '') };
    },
  }),
});
