import * as z from 'zod';
import { timeOrderedId, type Clock } from '../core/clock';
import type { HubStore } from '../store/hubStore';

/** Who the audit log names for an erasure nobody pressed a button for. */
export const ERASURE_SWEEP_USER = 'system:erasure-sweep';
/** At most this many pupils a sweep (the next day's sweep takes the rest). */
const SWEEP_LIMIT = 2000;
const PAGE = 100;

export const eraseSweepInput = z.object({}).passthrough();

/** The daily sweep's time, declared once for EventBridge Scheduler and `npm start`: 04:15 Europe/London, after the nightly sync. */
export const erasureSchedule = {
  hour: 4,
  minute: 15,
  timezone: 'Europe/London',
  expression: 'cron(15 4 * * ? *)',
} as const;

/**
 * The daily sweep: every pupil deleted six months ago or more is erased for good, with its
 * results, their Assembly delivery records, its backups and its MIS link guard (the store's
 * `erasePupil`, which claims it first so that no restore can race it). Safe to run twice, or
 * to cut short: what was not erased is still due tomorrow. Run by the clock given, so that
 * tests move it on six months.
 */
export async function sweepErasures(deps: { store: HubStore; clock: Clock }): Promise<{ erased: number; more: boolean }> {
  const { store, clock } = deps;
  let erased = 0;
  for (;;) {
    const now = clock.now();
    const due = await store.listErasuresDue(now.toISOString(), PAGE);
    let progressed = false;
    for (const { centreId, pupilId } of due) {
      const deleted = await store.getDeletedPupil(centreId, pupilId);
      if (!deleted || Date.parse(deleted.erasesAt) > now.getTime()) continue;
      const outcome = await store.erasePupil(deleted, {
        auditId: timeOrderedId(now, 'erase'),
        centreId,
        actorUserId: ERASURE_SWEEP_USER,
        action: 'pupil.erased',
        subject: pupilId,
        at: now.toISOString(),
        detail: { deletedAt: deleted.deletedAt },
      });
      if (outcome === 'erased') erased++;
      progressed = true;
    }
    if (due.length < PAGE || !progressed) return { erased, more: false };
    if (erased >= SWEEP_LIMIT) return { erased, more: true };
  }
}
