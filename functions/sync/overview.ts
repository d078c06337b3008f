import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { syncOverview } from '../../shared/wizard/overview';

export const handler = httpHandler({
  'GET /api/sync/overview': endpoint({
    body: 'none',
    async run({ session, deps }) {
      return { status: 200, body: syncOverview(await deps.store.getAssemblyConnection(session!.centreId)) };
    },
  }),
});
