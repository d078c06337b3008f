/**
 * A pupil's MARK username, unique within the centre: the first name's initial and the surname,
 * in plain lower-case letters (accents dropped), at most 16 letters, numbered from 2 when already
 * taken: Zoë Ó Briain is "zobriain", the next is "zobriain2". Documented in docs/data-model.md.
 */
export function usernameAllocator(taken: Iterable<string> = []): (firstName: string, lastName: string) => string {
  const used = new Set([...taken].map((name) => name.toLowerCase()));
  return (firstName, lastName) => {
    const base = `${asciiLetters(firstName).slice(0, 1)}${asciiLetters(lastName)}`.slice(0, 16) || 'pupil';
    let username = base;
    for (let n = 2; used.has(username); n++) username = `${base}${n}`;
    used.add(username);
    return username;
  };
}

/** Plain lower-case ASCII letters of a name: accents dropped, anything else removed. */
export function asciiLetters(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}
