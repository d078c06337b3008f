/**
 * A year group's intake cohort: the calendar year in which its pupils started Reception. Year 3
 * in the school year that starts in September 2026 is the 2023 intake; a pupil keeps their
 * cohort for life, whichever year group they are in (docs/data-model.md, "Intake cohort").
 *
 * Year codes are the National Curriculum's: N1 and N2 (Nursery), R (Reception), 1 to 13.
 */

/** Years after Reception: R is 0, Year 3 is 3, N2 is -1, N1 is -2; null for a code we do not know. */
export function yearsAfterReception(code: string | null): number | null {
  if (code === null) return null;
  const normalised = code
    .trim()
    .toUpperCase()
    .replace(/^(YEAR|YR|Y)\s*(?=\d)/, '');
  if (normalised === 'R' || normalised === 'REC' || normalised === 'RECEPTION') return 0;
  if (/^N[12]$/.test(normalised)) return Number(normalised.slice(1)) - 3;
  if (normalised === 'N' || normalised === 'NURSERY') return -1;
  if (/^(1[0-3]|[1-9])$/.test(normalised)) return Number(normalised);
  return null;
}

/** Nursery (and anything below Reception) is not synced: MARK's tests start in Reception. */
export function isNursery(code: string | null): boolean {
  const years = yearsAfterReception(code);
  return years !== null && years < 0;
}

/** The cohort of a year group in the school year that starts in September of `startYear`. */
export function intakeCohort(code: string | null, startYear: number): number | null {
  const years = yearsAfterReception(code);
  return years === null ? null : startYear - years;
}

export type SchoolYearChoice = 'this' | 'last';

/** The calendar year the school year started in, from "this year" / "last year" as of today. */
export function schoolYearStart(choice: SchoolYearChoice, today: Date): number {
  return today.getUTCFullYear() - (choice === 'last' ? 1 : 0);
}

/**
 * The choice to pre-select, and why: the MIS's current school year started this calendar year or
 * last. Without the MIS's academic year, the date decides: from September, this year.
 */
export function defaultSchoolYearChoice(
  misAcademicYear: { name: string; startDate: string } | null,
  today: Date,
): { choice: SchoolYearChoice; why: string } {
  const thisYear = today.getUTCFullYear();
  const started = misAcademicYear ? Number(misAcademicYear.startDate.slice(0, 4)) : null;
  if (started !== null && Number.isInteger(started)) {
    const choice = started >= thisYear ? 'this' : 'last';
    const month = new Date(`${misAcademicYear!.startDate.slice(0, 10)}T00:00:00Z`).toLocaleString('en-GB', {
      month: 'long',
      timeZone: 'UTC',
    });
    return { choice, why: `Your MIS’s current school year, ${misAcademicYear!.name}, started in ${month} ${started}.` };
  }
  const choice = today.getUTCMonth() >= 8 ? 'this' : 'last';
  return {
    choice,
    why: `Your MIS gave no academic year, so this follows today’s date: school years start in September.`,
  };
}
