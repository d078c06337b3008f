import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Session } from '../domain/records';
import { NotFoundError, UnprocessableError } from '../core/errors';
import type { Dependencies } from '../runtime/dependencies';
import { emptyTeacherPlan } from './panel';
import { openTeachersPanelFromSnapshot, type TeachersPanelView } from './teachersPanel';

export const unmatchSyncedBody = z.object({ hubId: z.string({ error: 'Choose a teacher' }).min(1, 'Choose a teacher').max(100) });

/**
 * Unmatching a synced teacher after the import: the Hub record is restored exactly as it was
 * backed up before the sync that linked it (an imported teacher, who had no earlier record,
 * simply loses the link); the pair stays apart in the plan, so the Hub side shows Not matched
 * and the MIS side New; and an audit entry records who did it and when.
 */
export async function unmatchSyncedTeacher(deps: Dependencies, session: Session, hubId: string): Promise<TeachersPanelView> {
  const teacher = await deps.store.getTeacher(session.centreId, hubId);
  if (!teacher) throw new NotFoundError('No such teacher');
  if (!teacher.misId || teacher.syncStatus === 'none') throw new UnprocessableError('This teacher is not synced with your MIS.');
  const misId = teacher.misId;
  const runs = (await deps.store.listSyncRuns(session.centreId))
    .filter((run) => run.status === 'succeeded' && run.links.some((link) => link.hubId === hubId && link.misId === misId))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  // Later runs re-apply the link and back up the already-linked record; the one to restore is
  // the newest backup taken while the teacher was not yet linked to this MIS record.
  let backup = null;
  let linkedBy = null;
  for (const run of runs) {
    const candidate = await deps.store.getBackup(session.centreId, run.runId, `teacher#${hubId}`);
    if (candidate && candidate.teacher.misId !== misId) {
      [backup, linkedBy] = [candidate, run];
      break;
    }
  }
  const now = deps.clock.now().toISOString();
  await deps.store.putTeachers([backup ? backup.teacher : { ...teacher, misId: null, syncStatus: 'none', updatedAt: now }]);

  const stored = (await deps.store.getTeacherPlan(session.centreId))?.plan ?? emptyTeacherPlan();
  const apart = (pair: { hubId: string; misId: string }) => pair.hubId === hubId && pair.misId === misId;
  await deps.store.putTeacherPlan({
    centreId: session.centreId,
    updatedAt: now,
    plan: {
      ...stored,
      manualMatches: stored.manualMatches.filter((pair) => !apart(pair)),
      confirmed: stored.confirmed.filter((pair) => !apart(pair)),
      unmatched: [...stored.unmatched.filter((pair) => !apart(pair)), { hubId, misId }],
      imports: stored.imports.filter((id) => id !== misId),
    },
  });
  await deps.store.appendAudit({
    auditId: randomUUID(),
    centreId: session.centreId,
    actorUserId: session.userId,
    action: 'teacher.unmatched',
    subject: `teacher:${hubId}`,
    at: now,
    detail: { misId, restoredFromRun: linkedBy?.runId ?? '' },
  });
  return openTeachersPanelFromSnapshot(deps, session);
}
