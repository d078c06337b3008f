import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { syncOverview } from '../../shared/wizard/overview';

export const handler = httpHandler({
  'GET /api/sync/overview': endpoint({
    body: 'none',
    async run({ session, deps }) {
      const [connection, nightly] = await Promise.all([
        deps.store.getAssemblyConnection(session!.centreId),
        deps.store.getNightly(session!.centreId),
      ]);
      return { status: 200, body: syncOverview(connection, nightly) };
    },
  }),
});
