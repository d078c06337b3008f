import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { syncOverview } from '../../shared/sync/overview';

export const handler = httpHandler({
  'GET /api/sync/overview': endpoint({
    async run() {
      return { status: 200, body: syncOverview() };
    },
  }),
});
