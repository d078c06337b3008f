import { endpoint, type Endpoints } from '../../http/httpHandler';
import type { RouteKey } from '../../http/routes';
import type { PanelUseCases } from './panel';
import { saveAndSyncBody, unmatchSyncedBody } from './panel';
import { reviewPlanSchema } from './plan';

/** The HTTP endpoints of a panel's routes (panelRoutes in shared/http/routes.ts), on its use cases. */
export function panelEndpoints(panel: string, useCases: PanelUseCases): Endpoints {
  const base = `/api/sync/${panel}`;
  const key = (method: string, path = '') => `${method} ${base}${path}` as RouteKey;
  return {
    [key('POST', '/load')]: endpoint({
      body: 'none',
      async run({ session, deps }) {
        return { status: 202, body: await useCases.startLoad(deps, session!) };
      },
    }),
    [key('GET')]: endpoint({
      body: 'none',
      async run({ session, deps }) {
        return { status: 200, body: await useCases.view(deps, session!) };
      },
    }),
    [key('PUT', '/plan')]: endpoint({
      body: reviewPlanSchema,
      async run({ body, session, deps }) {
        return { status: 200, body: await useCases.savePlan(deps, session!, body) };
      },
    }),
    [key('POST', '/save')]: endpoint({
      body: saveAndSyncBody,
      async run({ body, session, deps }) {
        return { status: 202, body: await useCases.saveAndSync(deps, session!, body) };
      },
    }),
    [key('POST', '/unmatch')]: endpoint({
      body: unmatchSyncedBody,
      example: { hubId: 'a-record' },
      async run({ body, session, deps }) {
        return { status: 200, body: await useCases.unmatch(deps, session!, body.hubId) };
      },
    }),
  };
}
