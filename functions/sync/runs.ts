import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { getRun } from '../../shared/sync/runs';

/** A sync run's progress and outcome, polled by the wizard while the pipeline works. */
export const handler = httpHandler({
  'GET /api/sync/runs/{runId}': endpoint({
    body: 'none',
    async run({ session, deps, pathParameters }) {
      return { status: 200, body: await getRun(deps, session!, pathParameters.runId ?? '') };
    },
  }),
});
