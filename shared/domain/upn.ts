/**
 * Unique Pupil Numbers (DfE): 13 characters, a check letter followed by the LA code (3),
 * the establishment number (4), the two-digit year of allocation and a 3-digit serial.
 * The check letter is the weighted sum of characters 2-13 (weights 2..13) modulo 23.
 */
const CHECK_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

export function upnCheckLetter(twelveDigits: string): string {
  return CHECK_LETTERS[checkIndex(twelveDigits, 0)] as string;
}

/** The check letter's index for the twelve digits starting at `from` (weights 2..13, modulo 23). */
function checkIndex(text: string, from: number): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (text.charCodeAt(from + i) - 48) * (i + 2);
  return sum % 23;
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
  return upnNumber(value) >= 0;
}

/**
 * A permanent UPN as one number (letter × 10^12 + the twelve digits), or -1 when it is missing
 * or its check letter does not fit: equal numbers mean the same UPN. Case and surrounding space
 * are ignored. Allocation-free for the usual unpadded value: the matcher reads every record's UPN.
 */
export function upnNumber(value: string | null | undefined): number {
  if (!value) return -1;
  const upn = value.length === 13 ? value : value.trim();
  if (upn.length !== 13) return -1;
  let letter = upn.charCodeAt(0);
  if (letter >= 97 && letter <= 122) letter -= 32;
  if (letter < 65 || letter > 90) return -1;
  let digits = 0;
  for (let i = 1; i < 13; i++) {
    const digit = upn.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    digits = digits * 10 + digit;
  }
  if (CHECK_LETTERS.charCodeAt(checkIndex(upn, 1)) !== letter) return -1;
  return (letter - 65) * 1e12 + digits;
}
