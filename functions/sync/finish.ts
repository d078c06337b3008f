import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { finishView, saveSharing, sharingBody } from '../../shared/wizard/finish/useCases';

/** School › MIS data sync › Finish: what was synced, and the data sharing preferences. */
export const handler = httpHandler({
  'GET /api/sync/finish': endpoint({
    body: 'none',
    async run({ session, deps }) {
      return { status: 200, body: await finishView(deps, session!) };
    },
  }),
  'PUT /api/sync/finish/sharing': endpoint({
    body: sharingBody,
    async run({ body, session, deps }) {
      return { status: 200, body: await saveSharing(deps, session!, body) };
    },
  }),
});
