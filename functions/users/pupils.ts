import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { deletePupils, deletePupilsBody, listDeletedPupils, restorePupil, restoreBody } from '../../shared/users/recentlyDeleted';
import { editPupil, editPupilBody } from '../../shared/users/editPupil';
import { listPupils, userListQuerySchema } from '../../shared/users/listUsers';

export const handler = httpHandler({
  'GET /api/users/pupils': endpoint({
    body: 'none',
    query: userListQuerySchema,
    async run({ session, deps, query }) {
      return { status: 200, body: await listPupils(deps.store, session!.centreId, query) };
    },
  }),
  'PATCH /api/users/pupils/{pupilId}': endpoint({
    body: editPupilBody,
    example: { firstName: 'Ada', version: 0 },
    async run({ body, session, deps, pathParameters }) {
      return { status: 200, body: await editPupil(deps, session!, pathParameters.pupilId ?? '', body, deps.clock.now()) };
    },
  }),
  'POST /api/users/pupils/delete': endpoint({
    body: deletePupilsBody,
    async run({ body, session, deps }) {
      return { status: 200, body: await deletePupils(deps.store, session!, body, deps.clock.now()) };
    },
  }),
  'GET /api/users/pupils/deleted': endpoint({
    body: 'none',
    async run({ session, deps }) {
      return { status: 200, body: { pupils: await listDeletedPupils(deps.store, session!.centreId) } };
    },
  }),
  'POST /api/users/pupils/deleted/{pupilId}/restore': endpoint({
    body: restoreBody,
    example: { deletedAt: '2026-01-01T00:00:00.000Z' },
    async run({ body, session, deps, pathParameters }) {
      return {
        status: 200,
        body: await restorePupil(deps.store, session!, pathParameters.pupilId ?? '', body.deletedAt, deps.clock.now()),
      };
    },
  }),
});
