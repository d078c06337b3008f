import { describe, expect, it } from 'vitest';
import { isValidUpn, makeUpn, upnCheckLetter, upnNumber } from './upn';

describe('UPN check letter', () => {
  it('is the weighted sum of the 12 digits modulo 23, as the DfE specifies', () => {
    // 8·2 + 2·3 + 0·4 + 2·5 + 0·6 + 0·7 + 1·8 + 0·9 + 0·10 + 0·11 + 0·12 + 1·13 = 53; 53 mod 23 = 7 → H (the letters skip I, O and S).
    expect(upnCheckLetter('820200100001')).toBe('H');
    expect(isValidUpn('H820200100001')).toBe(true);
    expect(upnCheckLetter('000000000000')).toBe('A');
  });

  it('accepts UPNs it makes and refuses any single-character change', () => {
    const upn = makeUpn(335, 2041, 19, 7);
    expect(isValidUpn(upn)).toBe(true);
    expect(isValidUpn(upn.toLowerCase())).toBe(true);
    for (let i = 1; i < upn.length; i++) {
      const digit = Number(upn[i]);
      const changed = upn.slice(0, i) + String((digit + 1) % 10) + upn.slice(i + 1);
      expect(isValidUpn(changed)).toBe(false);
    }
  });

  it('treats blanks, temporary UPNs and wrong lengths as no UPN', () => {
    expect(isValidUpn(null)).toBe(false);
    expect(isValidUpn('')).toBe(false);
    expect(isValidUpn('33520411900' + '7A')).toBe(false);
    expect(isValidUpn('A12345')).toBe(false);
  });

  it('numbers a UPN the same whatever its case and surrounding space, and every other UPN differently', () => {
    const upn = makeUpn(335, 2041, 19, 7);
    expect(upnNumber(upn)).toBeGreaterThanOrEqual(0);
    expect(upnNumber(` ${upn.toLowerCase()} `)).toBe(upnNumber(upn));
    expect(upnNumber(makeUpn(335, 2041, 19, 8))).not.toBe(upnNumber(upn));
    expect(upnNumber('A12345')).toBe(-1);
    expect(upnNumber(null)).toBe(-1);
  });
});
