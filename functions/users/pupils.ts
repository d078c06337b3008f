import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { deletePupils, deletePupilsBody, listDeletedPupils, restorePupil } from '../../shared/users/recentlyDeleted';
import { recentlyDeletedEndpoints } from './recentlyDeletedEndpoints';
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
  ...recentlyDeletedEndpoints({
    plural: 'pupils',
    idParameter: 'pupilId',
    deleteBody: deletePupilsBody,
    remove: deletePupils,
    list: listDeletedPupils,
    restore: restorePupil,
  }),
});
