import * as z from 'zod';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors';
import type { HubClass, HubPupil, MarkedResult, ResultDelivery, Session } from '../domain/records';
import type { Dependencies } from '../runtime/dependencies';
import { mapConcurrently } from '../sync/mapConcurrently';
import { markInputSchema, PAPERS, paperById, paperWords, resultIdOf } from './papers';
import { deliveryState } from './deliveryStatus';
import { sendsResults } from './sharing';

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
  /** What became of it in Assembly, in words; null when it is not for Assembly (not shared, or the pupil is not synced). */
  assembly: string | null;
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

/** Whether results go to Assembly now, and what became of each: for the words beside a mark. */
interface SharingState {
  sends: boolean;
  deliveries: ReadonlyMap<string, ResultDelivery>;
}

function resultView(result: MarkedResult, pupil: HubPupil, sharing: SharingState): ResultView {
  const { paperId, rawMark, standardisedScore, sat, version } = result;
  return { paperId, rawMark, standardisedScore, sat, version, assembly: assemblyWords(result, pupil, sharing) };
}

function assemblyWords(result: MarkedResult, pupil: HubPupil, sharing: SharingState): string | null {
  const delivery = sharing.deliveries.get(result.resultId) ?? null;
  const { state, reason } = deliveryState({ result, pupil, delivery, parked: null, sends: sharing.sends, now: new Date(0) });
  if (state === 'sent') return 'Sent to Assembly';
  if (state === 'failed') return `Not sent to Assembly: ${reason}`;
  if (state === 'not_sent') return delivery?.status === 'sent' ? 'Sent to Assembly before this change' : null;
  return 'Waiting to be sent to Assembly';
}

async function sharingState(deps: Dependencies, centreId: string, results: readonly MarkedResult[]): Promise<SharingState> {
  const [preferences, connection, deliveries] = await Promise.all([
    deps.store.getSharing(centreId),
    deps.store.getAssemblyConnection(centreId),
    deps.store.listResultDeliveries(
      centreId,
      results.map((result) => result.resultId),
    ),
  ]);
  return { sends: sendsResults(preferences, connection), deliveries };
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
  const sharing = await sharingState(deps, session.centreId, results.flat());
  return {
    classId,
    name: group.name,
    pupils: pupils.map((pupil, index) => ({
      pupilId: pupil.pupilId,
      name: pupilName(pupil),
      synced: pupil.syncStatus === 'synced',
      results: results[index]!.map((result) => resultView(result, pupil, sharing)),
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
  // Sent again by the co-ordinator since the teacher opened it (a new version, the same mark): not a change to look at.
  const retriedSince = current?.retriedAt !== undefined && current.version === body.version + 1;
  if ((current?.version ?? 0) !== body.version && !retriedSince) throw stale();
  if (
    current &&
    current.rawMark === body.rawMark &&
    current.standardisedScore === body.standardisedScore &&
    current.sat === body.sat
  )
    return resultView(current, pupil, await sharingState(deps, centreId, [current]));
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
    version: (current?.version ?? 0) + 1,
  };
  if ((await deps.store.putResult(next, current?.version ?? 0)) === 'stale') throw stale();
  return resultView(next, pupil, await sharingState(deps, centreId, [next]));
}

const stale = () => new ConflictError('This paper was marked again since you opened it: look at the new mark first.', 'stale');
