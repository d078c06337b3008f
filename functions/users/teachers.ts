import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { listTeachers } from '../../shared/users/listUsers';

export const handler = httpHandler({
  'GET /api/users/teachers': endpoint({
    async run({ session, deps }) {
      return { status: 200, body: { teachers: await listTeachers(deps.store, session!.centreId) } };
    },
  }),
});
