import * as z from 'zod';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors';
import type { HubClass, HubPupil, MarkedResult, Session } from '../domain/records';
import type { Dependencies } from '../runtime/dependencies';
import { mapConcurrently } from '../sync/mapConcurrently';
import { markInputSchema, PAPERS, paperById, paperWords, resultIdOf } from './papers';

/**
 * MARK's side, minimal but real: a teacher records marked papers for the pupils of the classes
 * they teach (the class teachers synced from the MIS); the Access Co-ordinator for any pupil.
 * Each mark is its own item, changed when the paper is marked again.
 */

export const markBody = markInputSchema
  .omit({ paperId: true })
  .extend({
    /** The version of the result the teacher saw: 0 when the paper was not marked before. */
    version: z.number().int().nonnegative(),
  })
  .strict();
export type MarkBody = z.infer<typeof markBody>;

export interface ResultView {
  paperId: string;
  rawMark: number;
  standardisedScore: number;
  sat: string;
  version: number;
}

export interface MarkingOverview {
  classes: { classId: string; name: string; pupils: number }[];
  papers: { paperId: string; words: string; yearCode: string }[];
}

export interface ClassMarking {
  classId: string;
  name: string;
  pupils: { pupilId: string; name: string; synced: boolean; results: ResultView[] }[];
}

const TEACHES_NOT = 'You can mark the pupils of the classes you teach.';

/** The classes this user may mark: all of them for the co-ordinator, a teacher's own otherwise. */
async function classesToMark(deps: Dependencies, session: Session): Promise<HubClass[]> {
  const classes = await deps.store.listClasses(session.centreId);
  if (session.role === 'access_coordinator') return classes;
  const account = await deps.store.getAccount(session.centreId, session.userId);
  const teacherId = account?.teacherId;
  return teacherId ? classes.filter((group) => group.teacherIds.includes(teacherId)) : [];
}

const pupilName = (pupil: HubPupil) => `${pupil.firstName} ${pupil.lastName}`;

function resultView(result: MarkedResult): ResultView {
  const { paperId, rawMark, standardisedScore, sat, version } = result;
  return { paperId, rawMark, standardisedScore, sat, version };
}

export async function markingOverview(deps: Dependencies, session: Session): Promise<MarkingOverview> {
  const [classes, pupils] = await Promise.all([classesToMark(deps, session), deps.store.listPupils(session.centreId)]);
  return {
    classes: classes
      .map((group) => ({
        classId: group.classId,
        name: group.name,
        pupils: pupils.filter((pupil) => pupil.classIds.includes(group.classId)).length,
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB', { numeric: true })),
    papers: PAPERS.map((paper) => ({ paperId: paper.paperId, words: paperWords(paper), yearCode: paper.yearCode })),
  };
}

export async function classMarking(deps: Dependencies, session: Session, classId: string): Promise<ClassMarking> {
  const [all, mine] = await Promise.all([deps.store.listClasses(session.centreId), classesToMark(deps, session)]);
  const group = all.find((candidate) => candidate.classId === classId);
  if (!group) throw new NotFoundError('No such class');
  if (!mine.some((candidate) => candidate.classId === classId)) throw new ForbiddenError(TEACHES_NOT);
  const pupils = (await deps.store.listPupils(session.centreId))
    .filter((pupil) => pupil.classIds.includes(classId))
    .sort((a, b) => a.lastName.localeCompare(b.lastName, 'en-GB') || a.firstName.localeCompare(b.firstName, 'en-GB'));
  const results = await mapConcurrently(pupils, 8, (pupil) => deps.store.listPupilResults(session.centreId, pupil.pupilId));
  return {
    classId,
    name: group.name,
    pupils: pupils.map((pupil, index) => ({
      pupilId: pupil.pupilId,
      name: pupilName(pupil),
      synced: pupil.syncStatus === 'synced',
      results: results[index]!.map(resultView),
    })),
  };
}

/**
 * Records a marked paper for a pupil, or changes the mark, if nobody changed it since it was
 * read. Marking a paper again with the same values writes nothing.
 */
export async function recordMark(
  deps: Dependencies,
  session: Session,
  pupilId: string,
  paperId: string,
  body: MarkBody,
): Promise<ResultView> {
  const { centreId } = session;
  const pupil = await deps.store.getPupil(centreId, pupilId);
  if (!pupil) throw new NotFoundError('No such pupil');
  if (!paperById(paperId)) throw new ValidationError({ paperId: 'Choose one of MARK’s papers' });
  if (body.sat > deps.clock.now().toISOString().slice(0, 10))
    throw new ValidationError({ sat: 'The date sat cannot be in the future' });
  const mine = new Set((await classesToMark(deps, session)).map((group) => group.classId));
  if (session.role !== 'access_coordinator' && !pupil.classIds.some((classId) => mine.has(classId)))
    throw new ForbiddenError(TEACHES_NOT);
  const resultId = resultIdOf(pupilId, paperId);
  const current = (await deps.store.listPupilResults(centreId, pupilId)).find((result) => result.resultId === resultId) ?? null;
  if ((current?.version ?? 0) !== body.version) throw stale();
  if (
    current &&
    current.rawMark === body.rawMark &&
    current.standardisedScore === body.standardisedScore &&
    current.sat === body.sat
  )
    return resultView(current);
  const next: MarkedResult = {
    centreId,
    resultId,
    pupilId,
    paperId,
    rawMark: body.rawMark,
    standardisedScore: body.standardisedScore,
    sat: body.sat,
    markedBy: session.userId,
    markedAt: deps.clock.now().toISOString(),
    version: body.version + 1,
  };
  if ((await deps.store.putResult(next, body.version)) === 'stale') throw stale();
  return resultView(next);
}

const stale = () => new ConflictError('This paper was marked again since you opened it: look at the new mark first.', 'stale');
