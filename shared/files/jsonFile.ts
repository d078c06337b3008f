import type * as z from 'zod';

/** How many problems a file error lists: the first few are what a person fixes first. */
const SHOWN = 5;

/** A JSON input file that does not fit its format: each problem names its JSON path. */
export class JsonFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    const shown = problems.slice(0, SHOWN).map((problem) => `  ${problem}`);
    const more = problems.length > SHOWN ? [`  …and ${problems.length - SHOWN} more`] : [];
    super([`${file} does not fit its format:`, ...shown, ...more].join('\n'));
    this.name = 'JsonFileError';
  }
}

/** `students[3].dob` for the path ['students', 3, 'dob']; `$` for the file itself. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (/^[A-Za-z_][\w]*$/.test(String(part))) text += text ? `.${String(part)}` : String(part);
    else text += `[${JSON.stringify(String(part))}]`;
  }
  return text || '$';
}

/** Parses JSON text against a schema, or throws a JsonFileError listing the problems by path. */
export function parseJsonFile<S extends z.ZodType>(schema: S, text: string, file: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    // Where, not what: the parser's message quotes the file's text, which may be a child's name.
    const message = error instanceof Error ? error.message : '';
    const position = /position (\d+)/.exec(message)?.[1];
    const what = message.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position.*$/s, '');
    const where = position ? `, ${lineAndColumn(text, Number(position))}` : '';
    throw new JsonFileError(file, [`$: not valid JSON (${what}${where})`]);
  }
  return parseJsonValue(schema, value, file);
}

export function parseJsonValue<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new JsonFileError(
    file,
    parsed.error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`),
  );
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}
