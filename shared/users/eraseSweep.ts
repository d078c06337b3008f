import * as z from 'zod';
import { timeOrderedId, type Clock } from '../core/clock';
import type { ErasureDue, HubStore } from '../store/hubStore';

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
 * `erasePupil`, which claims it first so that no restore can race it); so is every teacher
 * deleted six months ago, with their account, and every account whose access was removed six
 * months ago. Safe to run twice, or to cut short: what was not erased is still due tomorrow.
 * Run by the clock given, so that tests move it on six months.
 */
export async function sweepErasures(deps: { store: HubStore; clock: Clock }): Promise<{ erased: number; more: boolean }> {
  const { store, clock } = deps;
  let erased = 0;
  for (;;) {
    const now = clock.now();
    const due = await store.listErasuresDue(now.toISOString(), PAGE);
    let erasedNow = 0;
    for (const entry of due) if ((await eraseOne(store, entry, now)) === 'erased') erasedNow++;
    erased += erasedNow;
    // A page in which nothing could be erased would come back the same: tomorrow's sweep (and the alarm) see to it.
    if (due.length < PAGE || !erasedNow) return { erased, more: false };
    if (erased >= SWEEP_LIMIT) return { erased, more: true };
  }
}

/** Erases one entry of the erasure index, if it is still due (a restore may have taken it off). */
async function eraseOne(store: HubStore, due: ErasureDue, now: Date): Promise<'erased' | 'gone'> {
  const { centreId, kind, id } = due;
  const audit = (action: string, detail: Record<string, string>) => ({
    auditId: timeOrderedId(now, 'erase'),
    centreId,
    actorUserId: ERASURE_SWEEP_USER,
    action,
    subject: id,
    at: now.toISOString(),
    detail,
  });
  if (kind === 'account') return store.eraseAccount(centreId, id, now.toISOString(), audit('account.erased', {}));
  const deleted = kind === 'pupil' ? await store.getDeletedPupil(centreId, id) : await store.getDeletedTeacher(centreId, id);
  if (!deleted || Date.parse(deleted.erasesAt) > now.getTime()) return 'gone';
  const entry = audit(`${kind}.erased`, { deletedAt: deleted.deletedAt });
  return 'pupil' in deleted ? store.erasePupil(deleted, entry) : store.eraseTeacher(deleted, entry);
}
