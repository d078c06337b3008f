import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { listPupils } from '../../shared/users/listUsers';

export const handler = httpHandler({
  'GET /api/users/pupils': endpoint({
    body: 'none',
    async run({ session, deps }) {
      return { status: 200, body: { pupils: await listPupils(deps.store, session!.centreId) } };
    },
  }),
});
