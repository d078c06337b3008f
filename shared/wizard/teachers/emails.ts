import { asciiLetters } from '../../demo/school';

/** The school email formats the Teachers panel offers; a custom pattern uses the same tokens. */
export const EMAIL_FORMATS = ['{first}.{last}', '{f}{last}', '{first}{l}', '{last}.{first}'] as const;

const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;

export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}

/** A name as it can stand in an address: no accents, apostrophes or spaces; hyphens kept ("smith-jones"). */
function namePart(name: string): string {
  return name
    .split('-')
    .map((part) => asciiLetters(part))
    .filter(Boolean)
    .join('-');
}

export interface EmailPerson {
  misId: string;
  firstName: string | null;
  lastName: string | null;
}

/**
 * Batch-creates addresses from a pattern such as "{first}.{last}" and a domain. Collisions with
 * addresses already in use (Hub users) or created earlier in the batch get 2, 3, … before the @;
 * people are taken in MIS id order, so the same input always gives the same addresses.
 */
export function batchCreateEmails(
  people: readonly EmailPerson[],
  pattern: string,
  domain: string,
  taken: Iterable<string>,
): Map<string, string> {
  const used = new Set([...taken].map((email) => email.toLowerCase()));
  const created = new Map<string, string>();
  const cleanDomain = domain.trim().replace(/^@/, '').toLowerCase();
  for (const person of [...people].sort((a, b) => (a.misId < b.misId ? -1 : a.misId > b.misId ? 1 : 0))) {
    const first = namePart(person.firstName ?? '');
    const last = namePart(person.lastName ?? '');
    const local = pattern
      .replaceAll('{first}', first)
      .replaceAll('{last}', last)
      .replaceAll('{f}', first.slice(0, 1))
      .replaceAll('{l}', last.slice(0, 1))
      .toLowerCase()
      .replace(/[^a-z0-9.'_+-]/g, '')
      .replace(/\.{2,}/g, '.')
      .replace(/^\.|\.$/g, '');
    if (!local) continue;
    let email = `${local}@${cleanDomain}`;
    for (let n = 2; used.has(email); n++) email = `${local}${n}@${cleanDomain}`;
    used.add(email);
    created.set(person.misId, email);
  }
  return created;
}

/**
 * The school's email format and domain, guessed from the addresses its people already have
 * (Hub teachers, MIS staff): the domain most of them use, and the format that fits most of
 * the names at that domain. Null when too few addresses fit any format to say.
 */
export function guessEmailFormat(
  people: readonly { firstName: string | null; lastName: string | null; email: string | null }[],
): { format: string; domain: string } | null {
  const domains = new Map<string, number>();
  for (const person of people) {
    const domain = person.email?.split('@')[1]?.toLowerCase();
    if (domain) domains.set(domain, (domains.get(domain) ?? 0) + 1);
  }
  const domain = [...domains].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  if (!domain) return null;
  const fits = new Map<string, number>(EMAIL_FORMATS.map((format) => [format, 0]));
  for (const person of people) {
    if (!person.email?.toLowerCase().endsWith(`@${domain}`)) continue;
    const made = (format: string) =>
      batchCreateEmails([{ misId: '', firstName: person.firstName, lastName: person.lastName }], format, domain, []).get('');
    for (const format of EMAIL_FORMATS) if (made(format) === person.email.toLowerCase()) fits.set(format, fits.get(format)! + 1);
  }
  const [format, count] = [...fits].sort((a, b) => b[1] - a[1])[0]!;
  return count >= 2 ? { format, domain } : { format: EMAIL_FORMATS[0], domain };
}
