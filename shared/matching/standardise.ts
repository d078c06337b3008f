import { doubleMetaphone } from 'double-metaphone';
import { formalNamesFor } from '../domain/nicknames';

/**
 * Names as schools really type them, made comparable: lower case, diacritics and apostrophes
 * removed, hyphens and other punctuation as spaces, white space collapsed.
 */
const cleaned = new Map<string, string>();
export function cleanName(raw: string | null | undefined): string {
  if (!raw) return '';
  let found = cleaned.get(raw);
  if (found === undefined) {
    found = raw
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/ł/g, 'l')
      .replace(/ı/g, 'i')
      .replace(/ß/g, 'ss')
      .replace(/æ/g, 'ae')
      .replace(/ø/g, 'o')
      .replace(/['’‘`]/g, '')
      .replace(/[^a-z]+/g, ' ')
      .trim();
    if (cleaned.size > 200_000) cleaned.clear();
    cleaned.set(raw, found);
  }
  return found;
}

export function tokens(name: string): string[] {
  return name ? name.split(' ') : [];
}

const phonetics = new Map<string, string>();
/** Double Metaphone primary code of a cleaned name ("" for an empty one). */
export function phonetic(name: string): string {
  if (!name) return '';
  let code = phonetics.get(name);
  if (code === undefined) {
    code = doubleMetaphone(name.replace(/ /g, ''))[0];
    if (phonetics.size > 200_000) phonetics.clear();
    phonetics.set(name, code);
  }
  return code;
}

/** The name itself and the formal names it may be short for: "sam" → sam, samuel, samantha. */
export function canonicalForms(name: string): string[] {
  return [name, ...formalNamesFor(name)];
}
