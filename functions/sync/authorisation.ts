import {
  authorisationStatus,
  completeAuthorisation,
  completeAuthorisationBody,
  deauthorise,
  deauthoriseBody,
  startAuthorisation,
} from '../../shared/connection/authorisation';
import { endpoint, httpHandler } from '../../shared/http/httpHandler';

/** School › MIS data sync › Authorisation (Access Co-ordinator only, as declared in the routes). */
export const handler = httpHandler({
  'GET /api/sync/authorisation': endpoint({
    body: 'none',
    // Checking the connection with Assembly may refresh its tokens.
    sideEffects: ['assemblyConnection'],
    async run({ session, deps }) {
      return { status: 200, body: await authorisationStatus(deps, session!) };
    },
  }),
  'POST /api/sync/authorisation/start': endpoint({
    body: 'none',
    async run({ session, deps }) {
      return { status: 200, body: await startAuthorisation(deps, session!) };
    },
  }),
  'POST /api/sync/authorisation/complete': endpoint({
    body: completeAuthorisationBody,
    async run({ body, session, deps }) {
      return { status: 200, body: await completeAuthorisation(deps, session!, body) };
    },
  }),
  'POST /api/sync/authorisation/deauthorise': endpoint({
    body: deauthoriseBody,
    async run({ session, deps }) {
      return { status: 200, body: await deauthorise(deps, session!) };
    },
  }),
});
