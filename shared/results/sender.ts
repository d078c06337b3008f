import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { AssemblyClient, SchoolTokens } from '../assembly/client';
import {
  AssemblyError,
  AssemblyRateLimitError,
  AssemblyRevokedError,
  AssemblyScopeError,
  AssemblyUnavailableError,
} from '../assembly/errors';
import type { AssemblyResult } from '../assembly/schemas';
import { withSchoolTokens } from '../connection/authorisation';
import type { HubPupil, MarkedResult, ResultDelivery } from '../domain/records';
import type { Dependencies } from '../runtime/dependencies';
import { mapConcurrently } from '../sync/mapConcurrently';
import { planDelivery, postBatches, type AssemblyCatalogue, type BatchKey, type Delivery, type PostBatch } from './delivery';
import { parkingQueue, SENDER_TIMEOUT_SECONDS, unavailableWaitSeconds } from './resultsSource';
import { sendsResults } from './sharing';

/**
 * Sends marked results to Assembly: what the results stream and the parking queue both hand to
 * one sender. Each result is read as it is now (a redelivered or out-of-date record sends the
 * latest mark, or nothing if that was sent), and what became of it is remembered in its delivery
 * record, written conditionally: Assembly's result id once sent, so a changed mark is PATCHed and
 * never POSTed twice. A POST is claimed first; a claim left by a crash is resolved by looking the
 * result up in Assembly before anything is posted again.
 */

/** A result to send: from a stream record, or back from the parking queue. */
export interface ResultRef {
  centreId: string;
  resultId: string;
  /** How often Assembly has failed for it so far (parked results only). */
  attempt?: number;
  /** Not to be sent before (a wait longer than SQS can delay a message). */
  notBefore?: string;
  /** The claim this result was parked under, if its sender left one. */
  claimId?: string | null;
  /** The result as the stream record's new image has it; without it (a parked result) it is read. */
  result?: MarkedResult;
}

export const parkedResultSchema = z
  .object({
    centreId: z.string().min(1),
    resultId: z.string().min(1),
    attempt: z.number().int().nonnegative(),
    notBefore: z.iso.datetime(),
    claimId: z.string().nullable(),
  })
  .strict();
export type ParkedResult = z.infer<typeof parkedResultSchema>;

/** The queue results wait in (SQS on AWS), delivered back to the sender after the delay. */
export interface ParkingQueue {
  park(results: readonly ParkedResult[], delaySeconds: number): Promise<void>;
}

export interface SenderDependencies extends Dependencies {
  parking: ParkingQueue;
}

/** What happened to each result id handed in: null when handled, the error to retry it on otherwise. */
export type SendOutcomes = Map<string, Error | null>;

export interface SendCounts {
  sent: number;
  updated: number;
  skipped: number;
  failed: number;
  parked: number;
}

export async function sendResults(deps: SenderDependencies, refs: readonly ResultRef[]): Promise<SendOutcomes> {
  const outcomes: SendOutcomes = new Map();
  const byCentre = new Map<string, Map<string, ResultRef>>();
  for (const ref of refs) {
    const centre = byCentre.get(ref.centreId) ?? new Map<string, ResultRef>();
    const seen = centre.get(ref.resultId);
    centre.set(ref.resultId, seen ? merged(seen, ref) : ref);
    byCentre.set(ref.centreId, centre);
  }
  for (const [centreId, centreRefs] of byCentre) {
    try {
      const counts = await sendForCentre(deps, centreId, [...centreRefs.values()]);
      deps.log.info('results handled', { centreId, ...counts });
      for (const ref of centreRefs.values()) outcomes.set(key(ref), null);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      deps.log.error('results not handled', { centreId, results: centreRefs.size, error: failure.name });
      for (const ref of centreRefs.values()) outcomes.set(key(ref), failure);
    }
  }
  return outcomes;
}

/**
 * Several records of one result in a batch: it is sent once, as the newest image has it (or as
 * it is now, read, when one of them is a parked result), keeping what the parked one carries.
 */
function merged(one: ResultRef, other: ResultRef): ResultRef {
  const parked = (one.attempt ?? 0) >= (other.attempt ?? 0) ? one : other;
  const newest =
    one.result && other.result ? (one.result.version >= other.result.version ? one.result : other.result) : undefined;
  const ids: ResultRef = { ...parked };
  delete ids.result;
  return newest ? { ...ids, result: newest } : ids;
}

export const key = (ref: { centreId: string; resultId: string }) => `${ref.centreId}#${ref.resultId}`;

interface Work {
  ref: ResultRef;
  result: MarkedResult;
  pupil: HubPupil;
  delivery: ResultDelivery | null;
}

async function sendForCentre(deps: SenderDependencies, centreId: string, refs: ResultRef[]): Promise<SendCounts> {
  const counts: SendCounts = { sent: 0, updated: 0, skipped: 0, failed: 0, parked: 0 };
  const now = deps.clock.now();
  const due = refs.filter((ref) => !ref.notBefore || Date.parse(ref.notBefore) <= now.getTime());
  const early = refs.filter((ref) => !due.includes(ref));
  // Back before its time (SQS delays 15 minutes at most): parked again for the rest.
  for (const ref of early)
    await park(deps, [ref], (Date.parse(ref.notBefore!) - now.getTime()) / 1000, ref.attempt ?? 0, counts, null);

  const [sharing, connection] = await Promise.all([deps.store.getSharing(centreId), deps.store.getAssemblyConnection(centreId)]);
  if (!sendsResults(sharing, connection)) {
    // Not sharing (switched off, never on, deauthorised, no permission): nothing is called.
    counts.skipped += due.length;
    return counts;
  }
  // A stream record carries its result; a parked one is read as it is now.
  const results = await mapConcurrently(
    due,
    8,
    async (ref) => ref.result ?? (await deps.store.getResult(centreId, ref.resultId)),
  );
  const pupilIds = [...new Set(results.flatMap((result) => (result ? [result.pupilId] : [])))];
  const pupils = new Map(
    (await mapConcurrently(pupilIds, 8, (pupilId) => deps.store.getPupil(centreId, pupilId))).flatMap((pupil) =>
      pupil ? [[pupil.pupilId, pupil] as const] : [],
    ),
  );
  const deliveries = await deps.store.listResultDeliveries(
    centreId,
    results.flatMap((result) => (result ? [result.resultId] : [])),
  );
  const work: Work[] = [];
  due.forEach((ref, index) => {
    const result = results[index];
    const pupil = result ? pupils.get(result.pupilId) : undefined;
    const delivery = deliveries.get(ref.resultId) ?? null;
    // Deleted, or its pupil gone: nothing to send. Handled at this version: a redelivery.
    if (!result || !pupil || handled(delivery, result)) return void counts.skipped++;
    // Not synced with the MIS: not for Assembly, and no call is made.
    if (pupil.syncStatus !== 'synced' || !pupil.misId) return void counts.skipped++;
    work.push({ ref, result, pupil, delivery });
  });
  if (!work.length) return counts;

  // Another sender holds a fresh claim on it (a POST may be on its way): come back when it has ended.
  const claimedElsewhere = work.filter(({ ref, delivery }) => delivery && heldByOther(delivery, ref, now));
  if (claimedElsewhere.length)
    await park(
      deps,
      claimedElsewhere.map(({ ref }) => ref),
      SENDER_TIMEOUT_SECONDS,
      0,
      counts,
      PARKED_WORDS.sending,
    );
  const mine = work.filter((item) => !claimedElsewhere.includes(item));
  if (!mine.length) return counts;

  try {
    await withSchoolTokens(deps, connection!, (assembly, tokens) =>
      deliver(deps, assembly, tokens, mine, counts, yearCodes(deps, centreId), async () => {
        const [now, current] = await Promise.all([deps.store.getSharing(centreId), deps.store.getAssemblyConnection(centreId)]);
        if (sendsResults(now, current)) return true;
        counts.skipped += mine.filter((item) => !handled(item.delivery, item.result)).length;
        return false;
      }),
    );
  } catch (error) {
    // What this attempt had not yet sent or given up on.
    const unsent = mine.filter((item) => !handled(item.delivery, item.result));
    if (!unsent.length) return counts;
    if (error instanceof AssemblyRateLimitError) {
      await park(deps, unsent.map(pending), error.retryAfterSeconds, 0, counts, PARKED_WORDS.rateLimited);
    } else if (error instanceof AssemblyUnavailableError) {
      const attempt = Math.max(...unsent.map(({ ref }) => ref.attempt ?? 0)) + 1;
      if (attempt > parkingQueue.unavailableMaxAttempts) {
        for (const item of unsent)
          await recordFailure(
            deps,
            item,
            'Assembly did not answer for several hours. Send it again from Results in Assembly once Assembly answers.',
            counts,
          );
      } else {
        await park(deps, unsent.map(pending), unavailableWaitSeconds(attempt), attempt, counts, PARKED_WORDS.unavailable);
      }
    } else if (error instanceof AssemblyScopeError) {
      for (const item of unsent)
        await recordFailure(deps, item, 'Your school has not granted Assembly’s “upload assessment data” permission.', counts);
    } else if (error instanceof AssemblyRevokedError) {
      // The school revoked access: the connection has ended, and nothing more is sent.
      counts.skipped += unsent.length;
    } else {
      throw error;
    }
  }
  return counts;
}

/** Why a result waits, in the co-ordinator's words (the delivery status shows them). */
export const PARKED_WORDS = {
  rateLimited: 'Assembly asked us to wait: too many requests for your school just now',
  unavailable: 'Assembly is not answering; it will be tried again',
  sending: 'Being sent by another attempt',
} as const;

/** What a parked result carries: the claim its sender left, so coming back it may take it up. */
function pending(item: Work): ResultRef {
  return { ...item.ref, claimId: item.delivery?.status === 'sending' ? item.delivery.claimId : null };
}

function handled(delivery: ResultDelivery | null, result: MarkedResult): boolean {
  return delivery !== null && delivery.version >= result.version && (delivery.status === 'sent' || delivery.status === 'failed');
}

/** A claim another sender took less than a sender's lifetime ago. */
function heldByOther(delivery: ResultDelivery, ref: ResultRef, now: Date): boolean {
  if (delivery.status !== 'sending' || delivery.claimId === (ref.claimId ?? null)) return false;
  return now.getTime() - Date.parse(delivery.at) < SENDER_TIMEOUT_SECONDS * 1000;
}

async function park(
  deps: SenderDependencies,
  refs: readonly ResultRef[],
  waitSeconds: number,
  attempt: number,
  counts: SendCounts,
  /** Why, for the delivery status; null: parked again for the same reason as before. */
  reason: string | null,
): Promise<void> {
  if (!refs.length) return;
  const wait = Math.max(1, Math.ceil(waitSeconds));
  const notBefore = new Date(deps.clock.now().getTime() + wait * 1000).toISOString();

  await deps.parking.park(
    refs.map((ref) => ({
      centreId: ref.centreId,
      resultId: ref.resultId,
      attempt,
      notBefore,
      claimId: ref.claimId ?? null,
    })),
    Math.min(wait, parkingQueue.maxDelaySeconds),
  );
  counts.parked += refs.length;
  // For the delivery status only: a hint that cannot be written is no reason to fail the batch.
  if (reason)
    await deps.store
      .markParked(refs.map((ref) => ({ centreId: ref.centreId, resultId: ref.resultId, until: notBefore, reason })))
      .catch((error: unknown) =>
        deps.log.warn('parked marks not written', { error: error instanceof Error ? error.name : 'error' }),
      );
}

function yearCodes(deps: Dependencies, centreId: string): () => Promise<Map<string, string | null>> {
  let loaded: Promise<Map<string, string | null>> | undefined;
  return () => {
    loaded ??= deps.store
      .listYearGroups(centreId)
      .then((groups) => new Map(groups.map((group) => [group.yearGroupId, group.yearCode])));
    return loaded;
  };
}

/**
 * Each school's assessments, grade sets, facets, points and subjects, kept by the container for
 * a few minutes: they change rarely, and every request counts against the school's 600 per 5 minutes.
 */
/** Delivery records written at once (each its own conditional put). */
const WRITES_AT_ONCE = 16;

const CATALOGUE_TTL_MS = 10 * 60 * 1000;
const catalogues = new Map<string, { since: number; until: number; catalogue: Promise<AssemblyCatalogue> }>();

function cachedCatalogue(
  centreId: string,
  assembly: AssemblyClient,
  tokens: SchoolTokens,
  now: number,
  /** A result retried after this (its school may have fixed Assembly's side meanwhile) is planned on a catalogue read since. */
  freshSince: number,
): Promise<AssemblyCatalogue> {
  const kept = catalogues.get(centreId);
  if (kept && kept.until > now && kept.since >= freshSince) return kept.catalogue;
  const catalogue = catalogueOf(assembly, tokens);
  catalogues.set(centreId, { since: now, until: now + CATALOGUE_TTL_MS, catalogue });
  // A failure is not kept.
  catalogue.catch(() => {
    if (catalogues.get(centreId)?.catalogue === catalogue) catalogues.delete(centreId);
  });
  return catalogue;
}

async function catalogueOf(assembly: AssemblyClient, tokens: SchoolTokens): Promise<AssemblyCatalogue> {
  const [assessments, facets, points, subjects] = await Promise.all([
    assembly.assessments(tokens),
    assembly.facets(tokens),
    assembly.assessmentPoints(tokens),
    assembly.subjects(tokens),
  ]);
  const gradeSets = new Map(
    await Promise.all(
      assessments.map(async (assessment) => [assessment.id, await assembly.gradeSet(tokens, assessment.id)] as const),
    ),
  );
  return { assessments, facets, points, subjects, gradeSets };
}

async function deliver(
  deps: SenderDependencies,
  assembly: AssemblyClient,
  tokens: SchoolTokens,
  work: Work[],
  counts: SendCounts,
  years: () => Promise<Map<string, string | null>>,
  /** Read again before each write: switching sharing off or deauthorising stops a batch already under way. */
  stillSending: () => Promise<boolean>,
): Promise<void> {
  const retried = Math.max(0, ...work.map((item) => (item.result.retriedAt ? Date.parse(item.result.retriedAt) : 0)));
  const catalogue = await cachedCatalogue(work[0]!.result.centreId, assembly, tokens, deps.clock.now().getTime(), retried);
  const yearCode = await years();
  const byId = new Map(work.map((item) => [item.result.resultId, item]));
  const plan = (item: Work): Delivery =>
    planDelivery(
      item.result,
      {
        misId: item.pupil.misId,
        syncStatus: item.pupil.syncStatus,
        yearCode: yearCode.get(item.pupil.yearGroupId ?? '') ?? null,
      },
      item.delivery?.assemblyResultId
        ? {
            assemblyResultId: item.delivery.assemblyResultId,
            gradeId: item.delivery.gradeId!,
            resultDate: item.delivery.resultDate!,
          }
        : null,
      catalogue,
    );

  // A claim left by a crash or a failed answer: Assembly may hold the result already.
  const uncertain = work.filter((item) => item.delivery?.status === 'sending' && !item.delivery.assemblyResultId);
  if (uncertain.length) await adoptFromAssembly(deps, assembly, tokens, uncertain, plan);

  const plans = work.map(plan);
  await mapConcurrently(plans, WRITES_AT_ONCE, async (delivery) => {
    const item = byId.get(delivery.resultId)!;
    if (delivery.kind === 'skipped') counts.skipped++;
    else if (delivery.kind === 'failed') await recordFailure(deps, item, delivery.reason, counts);
    else if (delivery.kind === 'unchanged') {
      await recordSent(deps, item, item.delivery!.assemblyResultId!, item.delivery!.gradeId!, item.delivery!.resultDate!);
      counts.skipped++;
    }
  });

  // Each write to Assembly is claimed first, a PATCH as much as a POST: two senders holding two
  // versions of one mark never both write. A claim lost to another sender is parked, to be read
  // again as it is then (the other's version may be older than the mark is now).
  const lost: Work[] = [];
  const claimAll = async (items: Work[]) => {
    const claimed = new Set<string>();
    await mapConcurrently(items, WRITES_AT_ONCE, async (item) => {
      if (await claim(deps, item)) claimed.add(item.result.resultId);
      else lost.push(item);
    });
    return claimed;
  };

  const patches = plans.filter((delivery) => delivery.kind === 'patch');
  for (let start = 0; start < patches.length; start += 50) {
    if (!(await stillSending())) return;
    const claimed = await claimAll(patches.slice(start, start + 50).map((patch) => byId.get(patch.resultId)!));
    const chunk = patches.slice(start, start + 50).filter((patch) => claimed.has(patch.resultId));
    if (!chunk.length) continue;
    await patchAndRecord(
      deps,
      assembly,
      tokens,
      chunk.map((patch) => ({ item: byId.get(patch.resultId)!, ...patch })),
    );
    counts.updated += chunk.length;
  }

  for (const batch of postBatches(plans)) {
    if (!(await stillSending())) return;
    const claimed = await claimAll(batch.results.map((entry) => byId.get(entry.resultId)!));
    const rows = batch.results.filter((entry) => claimed.has(entry.resultId));
    if (!rows.length) continue;
    const created = await postOrAdopt(assembly, tokens, { key: batch.key, results: rows });
    const corrections: Parameters<typeof patchAndRecord>[3] = [];
    await mapConcurrently(rows, WRITES_AT_ONCE, async (entry) => {
      const made = created.get(entry.row.student_id);
      const item = byId.get(entry.resultId)!;
      if (!made) return recordFailure(deps, item, 'Assembly did not accept this result.', counts);
      // Adopted (Assembly already held it from an earlier POST): recorded as Assembly holds it, and corrected if the mark has changed since.
      await recordSent(deps, item, made.id, made.grade_id ?? entry.row.grade_id, made.result_date ?? entry.row.result_date);
      if (made.grade_id !== entry.row.grade_id || (made.result_date ?? entry.row.result_date) !== entry.row.result_date)
        corrections.push({ item, assemblyResultId: made.id, gradeId: entry.row.grade_id, resultDate: entry.row.result_date });
      counts.sent++;
    });
    if (corrections.length && (await claimAll(corrections.map(({ item }) => item))).size)
      await patchAndRecord(
        deps,
        assembly,
        tokens,
        corrections.filter(({ item }) => !lost.includes(item)),
      );
  }
  await park(
    deps,
    lost.map(({ ref }) => ({ centreId: ref.centreId, resultId: ref.resultId })),
    SENDER_TIMEOUT_SECONDS,
    0,
    counts,
    PARKED_WORDS.sending,
  );
}

/** PATCHes claimed results with the values given, then records each as sent with them. */
async function patchAndRecord(
  deps: SenderDependencies,
  assembly: AssemblyClient,
  tokens: SchoolTokens,
  patches: { item: Work; assemblyResultId: number; gradeId: number; resultDate: string }[],
): Promise<void> {
  if (!patches.length) return;
  await assembly.patchResults(
    tokens,
    patches.map((patch) => ({ result_id: patch.assemblyResultId, grade_id: patch.gradeId, result_date: patch.resultDate })),
  );
  await mapConcurrently(patches, WRITES_AT_ONCE, (patch) =>
    recordSent(deps, patch.item, patch.assemblyResultId, patch.gradeId, patch.resultDate),
  );
}

/**
 * POSTs a batch. Assembly refuses a batch holding a result it already has (a claim whose answer
 * was lost): those are looked up and adopted, and the others posted again. Returns Assembly's
 * result by student id.
 */
async function postOrAdopt(
  assembly: AssemblyClient,
  tokens: SchoolTokens,
  batch: PostBatch,
): Promise<Map<number, AssemblyResult>> {
  const body = { ...batch.key, results: batch.results.map((entry) => entry.row) };
  try {
    return byStudent(await assembly.postResults(tokens, body));
  } catch (error) {
    if (!(error instanceof AssemblyError) || error.status !== 422) throw error;
  }
  const held = byStudent(
    (
      await assembly.results(
        tokens,
        body.results.map((row) => row.student_id),
      )
    ).filter((result) => sameKey(result, batch.key)),
  );
  const rest = body.results.filter((row) => !held.has(row.student_id));
  for (const row of rest) {
    try {
      for (const made of await assembly.postResults(tokens, { ...batch.key, results: [row] })) held.set(made.student_id, made);
    } catch (error) {
      // This one result is refused as it is: the others still go.
      if (!(error instanceof AssemblyError) || error.status !== 422) throw error;
    }
  }
  return held;
}

/** Results in doubt (a POST whose answer was lost) found in Assembly: their ids are remembered, so they are PATCHed. */
async function adoptFromAssembly(
  deps: SenderDependencies,
  assembly: AssemblyClient,
  tokens: SchoolTokens,
  uncertain: Work[],
  plan: (item: Work) => Delivery,
): Promise<void> {
  const wanted = uncertain.flatMap((item) => {
    const delivery = plan(item);
    return delivery.kind === 'post' ? [{ item, key: delivery.key, studentId: delivery.row.student_id }] : [];
  });
  if (!wanted.length) return;
  const held = await assembly.results(
    tokens,
    wanted.map(({ studentId }) => studentId),
  );
  for (const { item, key: batchKey, studentId } of wanted) {
    const found = held.find((result) => result.student_id === studentId && sameKey(result, batchKey));
    if (!found) continue;
    // Assembly holds it as that POST made it: from here a changed mark is a PATCH.
    item.delivery = {
      ...item.delivery!,
      assemblyResultId: found.id,
      gradeId: found.grade_id ?? null,
      resultDate: found.result_date ?? null,
    };
  }
}

const sameKey = (result: AssemblyResult, batchKey: BatchKey) =>
  result.assessment_id === batchKey.assessment_id &&
  result.facet_id === batchKey.facet_id &&
  result.assessment_point_rank === batchKey.assessment_point_rank &&
  result.subject_id === batchKey.subject_id;

const byStudent = (results: readonly AssemblyResult[]) => new Map(results.map((result) => [result.student_id, result]));

/** Claims a result for a POST or a PATCH: false when another sender moved its delivery on meanwhile. */
async function claim(deps: SenderDependencies, item: Work): Promise<boolean> {
  const claimId = randomUUID();
  // What Assembly holds already (a PATCH's result id) is kept: a crash after the claim loses nothing.
  const next = nextDelivery(deps, item, { status: 'sending', claimId });
  if ((await deps.store.saveResultDelivery(next, item.delivery?.revision ?? 0)) === 'stale') return false;
  item.delivery = next;
  return true;
}

async function recordSent(deps: SenderDependencies, item: Work, assemblyResultId: number, gradeId: number, resultDate: string) {
  await save(deps, item, { status: 'sent', claimId: null, assemblyResultId, gradeId, resultDate });
}

async function recordFailure(deps: SenderDependencies, item: Work, reason: string, counts: SendCounts) {
  counts.failed++;
  // A failed result keeps what Assembly holds for it, if anything.
  await save(deps, item, { status: 'failed', claimId: null, reason });
}

async function save(deps: SenderDependencies, item: Work, change: Partial<ResultDelivery>): Promise<void> {
  const next = nextDelivery(deps, item, change);
  if ((await deps.store.saveResultDelivery(next, item.delivery?.revision ?? 0)) === 'stale') throw new DeliveryMovedError();
  item.delivery = next;
}

function nextDelivery(deps: SenderDependencies, item: Work, change: Partial<ResultDelivery>): ResultDelivery {
  const previous = item.delivery;
  return {
    centreId: item.result.centreId,
    resultId: item.result.resultId,
    status: 'sending',
    version: item.result.version,
    assemblyResultId: previous?.assemblyResultId ?? null,
    gradeId: previous?.gradeId ?? null,
    resultDate: previous?.resultDate ?? null,
    reason: null,
    claimId: previous?.claimId ?? null,
    at: deps.clock.now().toISOString(),
    revision: (previous?.revision ?? 0) + 1,
    ...change,
  };
}

/** Another sender changed a result's delivery record while this one worked on it: retried from the start. */
export class DeliveryMovedError extends Error {
  constructor() {
    super('A result’s delivery record changed while it was being sent');
    this.name = 'DeliveryMovedError';
  }
}
