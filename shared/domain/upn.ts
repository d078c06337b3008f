/**
 * Unique Pupil Numbers (DfE): 13 characters, a check letter followed by the LA code (3),
 * the establishment number (4), the two-digit year of allocation and a 3-digit serial.
 * The check letter is the weighted sum of characters 2-13 (weights 2..13) modulo 23.
 */
const CHECK_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

export function upnCheckLetter(twelveDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelveDigits[i]) * (i + 2);
  return CHECK_LETTERS[sum % 23] as string;
}

export function makeUpn(laCode: number, establishment: number, allocationYear: number, serial: number): string {
  const digits =
    String(laCode).padStart(3, '0') +
    String(establishment).padStart(4, '0') +
    String(allocationYear % 100).padStart(2, '0') +
    String(serial).padStart(3, '0');
  return upnCheckLetter(digits) + digits;
}

/** A permanent UPN with a correct check letter. Temporary UPNs (letter last) are not permanent ids. */
export function isValidUpn(value: string | null | undefined): boolean {
  if (!value) return false;
  const upn = value.trim().toUpperCase();
  if (!/^[A-Z]\d{12}$/.test(upn)) return false;
  return upnCheckLetter(upn.slice(1)) === upn[0];
}
