import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { panelEndpoints } from '../../shared/wizard/review/endpoints';
import { batchEmailsBody, createTeacherEmails, teachers } from '../../shared/wizard/teachers/useCases';

/** School › MIS data sync › Teachers (Access Co-ordinator only, as declared in the routes). */
export const handler = httpHandler({
  ...panelEndpoints('teachers', teachers),
  'POST /api/sync/teachers/emails': endpoint({
    body: batchEmailsBody,
    async run({ body, session, deps }) {
      return { status: 200, body: await createTeacherEmails(deps, session!, body) };
    },
  }),
});
