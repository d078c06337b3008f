import { endpoint, httpHandler } from '../../shared/http/httpHandler';
import { reviewPlanSchema } from '../../shared/wizard/review/plan';
import {
  batchEmailsBody,
  createTeacherEmails,
  loadTeachers,
  saveAndSyncBody,
  saveAndSyncTeachers,
  saveTeacherPlan,
  teachersPanelFromSnapshot,
  unmatchSyncedBody,
  unmatchSyncedTeacher,
} from '../../shared/wizard/teachers/useCases';

/** School › MIS data sync › Teachers (Access Co-ordinator only, as declared in the routes). */
export const handler = httpHandler({
  'POST /api/sync/teachers/load': endpoint({
    body: 'none',
    async run({ session, deps }) {
      return { status: 202, body: await loadTeachers(deps, session!) };
    },
  }),
  'GET /api/sync/teachers': endpoint({
    body: 'none',
    async run({ session, deps }) {
      return { status: 200, body: await teachersPanelFromSnapshot(deps, session!) };
    },
  }),
  'PUT /api/sync/teachers/plan': endpoint({
    body: reviewPlanSchema,
    async run({ body, session, deps }) {
      return { status: 200, body: await saveTeacherPlan(deps, session!, body) };
    },
  }),
  'POST /api/sync/teachers/save': endpoint({
    body: saveAndSyncBody,
    async run({ body, session, deps }) {
      return { status: 202, body: await saveAndSyncTeachers(deps, session!, body) };
    },
  }),
  'POST /api/sync/teachers/unmatch': endpoint({
    body: unmatchSyncedBody,
    async run({ body, session, deps }) {
      return { status: 200, body: await unmatchSyncedTeacher(deps, session!, body.hubId) };
    },
  }),
  'POST /api/sync/teachers/emails': endpoint({
    body: batchEmailsBody,
    async run({ body, session, deps }) {
      return { status: 200, body: await createTeacherEmails(deps, session!, body) };
    },
  }),
});
