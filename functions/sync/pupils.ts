import * as z from 'zod';
import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { panelEndpoints } from '../../shared/wizard/review/endpoints';
import { reviewPlanSchema } from '../../shared/wizard/review/plan';
import { pupils } from '../../shared/wizard/pupils/useCases';

const chooseBody = z.object({
  planVersion: z.number({ error: 'Send the plan’s version' }).int().nonnegative(),
  selection: reviewPlanSchema.shape.selection.unwrap(),
});

/** School › MIS data sync › Pupils (Access Co-ordinator only, as declared in the routes). */
export const handler = httpHandler({
  ...panelEndpoints('pupils', pupils),
  'GET /api/sync/pupils/selection': endpoint({
    body: 'none',
    async run({ session, deps }) {
      return { status: 200, body: await pupils.selection(deps, session!) };
    },
  }),
  'PUT /api/sync/pupils/selection': endpoint({
    body: chooseBody,
    example: { planVersion: 0, selection: null },
    async run({ body, session, deps }) {
      return { status: 200, body: await pupils.choose(deps, session!, body) };
    },
  }),
});
