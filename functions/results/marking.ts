import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { classMarking, markBody, markingOverview, recordMark } from '../../shared/results/marking';

/** MARK's marking: the classes a user marks, a class's pupils and their marks, and recording a mark. */
export const handler = httpHandler({
  'GET /api/marking': endpoint({
    body: 'none',
    async run({ session, deps }) {
      return { status: 200, body: await markingOverview(deps, session!) };
    },
  }),
  'GET /api/marking/classes/{classId}': endpoint({
    body: 'none',
    async run({ session, deps, pathParameters }) {
      return { status: 200, body: await classMarking(deps, session!, pathParameters.classId ?? '') };
    },
  }),
  'PUT /api/marking/pupils/{pupilId}/results/{paperId}': endpoint({
    body: markBody,
    example: { rawMark: 31, standardisedScore: 104, sat: '2026-11-12', version: 0 },
    async run({ body, session, deps, pathParameters }) {
      return {
        status: 200,
        body: await recordMark(deps, session!, pathParameters.pupilId ?? '', pathParameters.paperId ?? '', body),
      };
    },
  }),
});
