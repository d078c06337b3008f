import { describeSession } from '../../shared/auth/describeSession';
import { endpoint, httpHandler } from '../../shared/http/httpHandler';

export const handler = httpHandler({
  'GET /api/auth/session': endpoint({
    body: 'none',
    async run({ session, deps }) {
      return { status: 200, body: await describeSession(deps.store, session!) };
    },
  }),
});
