/**
 * The nightly sync's schedule, declared once: the CDK app gives it to EventBridge Scheduler, and
 * `npm start` keeps the same time in process. 02:30 in Europe/London, off-peak for schools and
 * after Assembly's own overnight MIS syncs; the scheduler follows British Summer Time itself.
 */
export const nightlySchedule = {
  hour: 2,
  minute: 30,
  timezone: 'Europe/London',
  /** EventBridge Scheduler's expression for the same time. */
  expression: 'cron(30 2 * * ? *)',
} as const;

/** A daily time in a time zone, as the schedules declare it. */
export interface DailyTime {
  hour: number;
  minute: number;
  timezone: string;
}

/** The next time the nightly schedule fires after `now`. */
export function nextNightlyRun(now: Date): Date {
  return nextDailyRun(nightlySchedule, now);
}

/** The next time a daily schedule fires after `now` (wall-clock time in its zone, whatever the offset). */
export function nextDailyRun(schedule: DailyTime, now: Date): Date {
  for (let days = 0; days <= 2; days++) {
    const day = new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
    const [year, month, date] = new Intl.DateTimeFormat('en-CA', { timeZone: schedule.timezone })
      .format(day)
      .split('-')
      .map(Number) as [number, number, number];
    // The London offset that day (GMT or BST), found by formatting a UTC guess back.
    const guess = Date.UTC(year, month - 1, date, schedule.hour, schedule.minute);
    const shown = new Intl.DateTimeFormat('en-GB', {
      timeZone: schedule.timezone,
      hour: 'numeric',
      hourCycle: 'h23',
    }).format(new Date(guess));
    const at = new Date(guess - (Number(shown) - schedule.hour) * 60 * 60 * 1000);
    if (at.getTime() > now.getTime()) return at;
  }
  throw new Error('No run found within two days');
}
