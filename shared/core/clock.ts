import { randomUUID } from 'node:crypto';

/** The one source of "now" in the core, so that tests can set it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const epochSeconds = (clock: Clock): number => Math.floor(clock.now().getTime() / 1000);

/**
 * An id that sorts by time: the UTC second it was made (YYYYMMDDhhmmss), the parts given, and a
 * random tail so that two made in one second differ. Runs and loads are listed newest first by it.
 */
export function timeOrderedId(at: Date, ...parts: string[]): string {
  return [at.toISOString().replace(/\D/g, '').slice(0, 14), ...parts, randomUUID().slice(0, 8)].join('-');
}
