import { afterAll, beforeAll, vi } from 'vitest';
import type { HubHistory } from '../../shared/demo/hubHistory';
import type { MisSchool } from '../../shared/demo/school';

/**
 * Captures what the handlers log while a test file runs (Powertools writes through the console
 * in the tests' dev mode: one record per call), to check its shape and that it holds ids only.
 */
export function captureLogs(): { lines(): string[] } {
  const lines: string[] = [];
  const spies: { mockRestore(): void }[] = [];
  beforeAll(() => {
    for (const method of ['debug', 'info', 'warn', 'error', 'log'] as const) {
      const original = console[method].bind(console);
      spies.push(
        vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
          original(...args);
        }),
      );
    }
  });
  afterAll(() => {
    for (const spy of spies) spy.mockRestore();
  });
  return { lines: () => [...lines] };
}

/** Every name, email, UPN and date of birth the generators made, to look for in logs. */
export function personalValues(school: MisSchool, hub: HubHistory): string[] {
  const values = new Set<string>();
  const add = (...candidates: (string | null | undefined)[]) => {
    for (const value of candidates) if (value && value.length >= 4) values.add(value);
  };
  for (const member of school.staff) add(`${member.firstName} ${member.lastName}`, member.email);
  for (const pupil of school.pupils) add(`${pupil.firstName} ${pupil.lastName}`, pupil.upn, pupil.dob);
  for (const teacher of hub.teachers) add(`${teacher.firstName} ${teacher.lastName}`, teacher.email);
  for (const pupil of hub.pupils) add(`${pupil.firstName} ${pupil.lastName}`, pupil.upn, pupil.dob);
  for (const { account } of hub.accounts) add(account.email, account.displayName);
  return [...values];
}
