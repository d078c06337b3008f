import * as z from 'zod';
import type { Clock } from '../core/clock';
import { parkedResultSchema, type ParkingQueue } from './sender';

/**
 * `npm run results -- redrive [--centre ID]`: what reached a dead-letter queue goes back to the
 * sender once the fault is fixed, through the parking queue (so it is read and sent as it is now,
 * and the sender's delivery records keep each result to one POST whatever is redriven twice).
 * - The stream's dead letters name a batch of stream records (shard and sequence numbers), not
 *   the results: the records are read again from the stream for their keys (the stream keeps
 *   them 24 hours; older letters are reported and left, for the school to mark again).
 * - The parking queue's dead letters are parked results: they go back as they are, attempts reset.
 * A letter is deleted only once everything in it is parked again; one for other centres (with
 * `--centre`) stays for their turn.
 */

/** A dead-letter queue: letters received (hidden a while) and deleted once handled. */
export interface DeadLetters {
  receive(max: number): Promise<{ id: string; body: string; receipt: string }[]>;
  remove(receipt: string): Promise<void>;
  /** Visible again at once: a letter left for another run (another centre's, or unreadable for now). */
  release(receipt: string): Promise<void>;
}

export const streamBatchInfoSchema = z.object({
  shardId: z.string().min(1),
  startSequenceNumber: z.string().min(1),
  endSequenceNumber: z.string().min(1),
  streamArn: z.string().min(1),
});
export type StreamBatchInfo = z.infer<typeof streamBatchInfoSchema>;

const streamLetterSchema = z.object({ DDBStreamBatchInfo: streamBatchInfoSchema });

/** The results a batch of stream records was about, read again from the stream; null once the stream no longer has them. */
export interface StreamRecords {
  resultsIn(batch: StreamBatchInfo): Promise<{ centreId: string; resultId: string }[] | null>;
}

export interface RedriveDependencies {
  streamLetters: DeadLetters;
  parkedLetters: DeadLetters;
  stream: StreamRecords;
  parking: ParkingQueue;
  clock: Clock;
}

export interface RedriveReport {
  /** Results parked again, to be sent at once. */
  redriven: number;
  /** Letters left for other centres (with --centre). */
  leftForOthers: number;
  /** Stream letters whose records the stream no longer has (older than 24 hours), or that could not be read. */
  unreadable: number;
}

const BATCH = 10;

export async function redrive(deps: RedriveDependencies, centreId?: string): Promise<RedriveReport> {
  const report: RedriveReport = { redriven: 0, leftForOthers: 0, unreadable: 0 };
  const notBefore = deps.clock.now().toISOString();
  const requeue = async (results: readonly { centreId: string; resultId: string }[]) => {
    const unique = [...new Map(results.map((result) => [`${result.centreId}#${result.resultId}`, result])).values()];
    if (unique.length)
      await deps.parking.park(
        unique.map((result) => ({ ...result, attempt: 0, notBefore, claimId: null })),
        0,
      );
    report.redriven += unique.length;
  };
  // Each letter once per run: one seen again (given back, or its hiding ran out) ends the queue's turn.
  const each = async (letters: DeadLetters, handle: (body: string) => Promise<'done' | 'left' | 'unreadable'>) => {
    const seen = new Set<string>();
    const left: string[] = [];
    try {
      for (;;) {
        const batch = (await letters.receive(BATCH)).filter(
          (letter) => !seen.has(letter.id) || (left.push(letter.receipt), false),
        );
        if (!batch.length) return;
        for (const letter of batch) {
          seen.add(letter.id);
          const outcome = await handle(letter.body);
          if (outcome === 'done') await letters.remove(letter.receipt);
          else {
            left.push(letter.receipt);
            report[outcome === 'left' ? 'leftForOthers' : 'unreadable']++;
          }
        }
      }
    } finally {
      for (const receipt of left) await letters.release(receipt);
    }
  };
  await each(deps.streamLetters, async (body) => {
    const parsed = streamLetterSchema.safeParse(safeJson(body));
    const results = parsed.success ? await deps.stream.resultsIn(parsed.data.DDBStreamBatchInfo) : null;
    if (!results) return 'unreadable';
    const mine = results.filter((result) => !centreId || result.centreId === centreId);
    await requeue(mine);
    return mine.length === results.length ? 'done' : 'left';
  });
  await each(deps.parkedLetters, async (body) => {
    const parked = parkedResultSchema.safeParse(safeJson(body));
    if (!parked.success) return 'unreadable';
    if (centreId && parked.data.centreId !== centreId) return 'left';
    await requeue([parked.data]);
    return 'done';
  });
  return report;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
