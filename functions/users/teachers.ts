import { sendSetPasswordLink } from '../../shared/auth/gettingBackIn';
import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { editTeacher, editTeacherBody } from '../../shared/users/editTeacher';
import { setTeacherAccess, teacherAccessBody } from '../../shared/users/teacherAccess';
import { listTeachers, userListQuerySchema } from '../../shared/users/listUsers';
import { deleteTeachers, deleteTeachersBody, listDeletedTeachers, restoreTeacher } from '../../shared/users/recentlyDeleted';
import { recentlyDeletedEndpoints } from './recentlyDeletedEndpoints';

export const handler = httpHandler({
  'GET /api/users/teachers': endpoint({
    body: 'none',
    query: userListQuerySchema,
    async run({ session, deps, query }) {
      return { status: 200, body: await listTeachers(deps.store, session!, query) };
    },
  }),
  'PATCH /api/users/teachers/{teacherId}': endpoint({
    body: editTeacherBody,
    example: { title: 'Dr' },
    async run({ body, session, deps, pathParameters }) {
      return {
        status: 200,
        body: await editTeacher(deps, session!, pathParameters.teacherId ?? '', body, deps.clock.now()),
      };
    },
  }),
  'POST /api/users/teachers/{teacherId}/access': endpoint({
    body: teacherAccessBody,
    example: { access: 'removed' as const },
    async run({ body, session, deps, pathParameters }) {
      return {
        status: 200,
        body: await setTeacherAccess(deps.store, session!, pathParameters.teacherId ?? '', body, deps.clock.now()),
      };
    },
  }),
  ...recentlyDeletedEndpoints({
    plural: 'teachers',
    idParameter: 'teacherId',
    deleteBody: deleteTeachersBody,
    remove: deleteTeachers,
    list: listDeletedTeachers,
    restore: restoreTeacher,
  }),
  'POST /api/users/teachers/{teacherId}/set-password-link': endpoint({
    body: 'none',
    async run({ session, deps, pathParameters, sourceAddress }) {
      return {
        status: 200,
        body: await sendSetPasswordLink(deps, session!, pathParameters.teacherId ?? '', sourceAddress),
      };
    },
  }),
});
