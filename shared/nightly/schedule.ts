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

/** The next time the schedule fires after `now` (Europe/London wall-clock time, whatever the offset). */
export function nextNightlyRun(now: Date): Date {
  for (let days = 0; days <= 2; days++) {
    const day = new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
    const [year, month, date] = new Intl.DateTimeFormat('en-CA', { timeZone: nightlySchedule.timezone })
      .format(day)
      .split('-')
      .map(Number) as [number, number, number];
    // The London offset that day (GMT or BST), found by formatting a UTC guess back.
    const guess = Date.UTC(year, month - 1, date, nightlySchedule.hour, nightlySchedule.minute);
    const shown = new Intl.DateTimeFormat('en-GB', {
      timeZone: nightlySchedule.timezone,
      hour: 'numeric',
      hourCycle: 'h23',
    }).format(new Date(guess));
    const at = new Date(guess - (Number(shown) - nightlySchedule.hour) * 60 * 60 * 1000);
    if (at.getTime() > now.getTime()) return at;
  }
  throw new Error('No nightly run found within two days');
}
