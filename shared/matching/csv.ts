import { isCalendarDate } from '../domain/calendarDate';
import type { PupilRecord, TeacherRecord } from './types';

/** A problem in an input file, located for the person who has to fix it. */
export class CsvError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: string | null,
    problem: string,
  ) {
    super(`${file}, line ${line}${column ? `, column ${column}` : ''}: ${problem}`);
    this.name = 'CsvError';
  }
}

export const PUPIL_COLUMNS = [
  'id',
  'upn',
  'mis_id',
  'first_name',
  'middle_name',
  'last_name',
  'dob',
  'gender',
  'year_code',
] as const;
export const TEACHER_COLUMNS = ['id', 'title', 'first_name', 'last_name', 'email', 'mis_id'] as const;

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string, file: string): { rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < input.length; i++) {
    const char = input[i]!;
    if (quoted) {
      if (char === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && input[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') {
        rows.push(row);
        lines.push(rowLine);
      }
      row = [];
      field = '';
      line++;
      rowLine = line;
    } else field += char;
  }
  if (quoted) throw new CsvError(file, rowLine, null, 'a quoted field is never closed');
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
    lines.push(rowLine);
  }
  return { rows, lines };
}

function readTable<C extends readonly string[]>(
  text: string,
  file: string,
  columns: C,
): { line: number; values: Record<C[number], string> }[] {
  const { rows, lines } = parseCsv(text, file);
  const header = rows[0]?.map((name) => name.trim().toLowerCase());
  if (!header) throw new CsvError(file, 1, null, 'the file is empty; it needs a header row');
  for (const column of columns)
    if (!header.includes(column)) throw new CsvError(file, 1, column, `the header has no "${column}" column`);
  const seen = new Map<string, number>();
  return rows.slice(1).map((cells, index) => {
    const line = lines[index + 1]!;
    if (cells.length !== header.length)
      throw new CsvError(file, line, null, `expected ${header.length} fields, found ${cells.length}`);
    const values = Object.fromEntries(columns.map((column) => [column, cells[header.indexOf(column)]!.trim()])) as Record<
      C[number],
      string
    >;
    const id = values[columns[0] as C[number]];
    if (!id) throw new CsvError(file, line, 'id', 'every row needs an id');
    const earlier = seen.get(id);
    if (earlier) throw new CsvError(file, line, 'id', `duplicate id "${id}" (first on line ${earlier})`);
    seen.set(id, line);
    return { line, values };
  });
}

const orNull = (value: string) => value || null;

export function readPupilCsv(text: string, file: string): PupilRecord[] {
  return readTable(text, file, PUPIL_COLUMNS).map(({ line, values }) => {
    if (values.dob && !isCalendarDate(values.dob))
      throw new CsvError(file, line, 'dob', `"${values.dob}" is not a date in YYYY-MM-DD form`);
    const gender = values.gender.toUpperCase();
    if (gender && gender !== 'F' && gender !== 'M') throw new CsvError(file, line, 'gender', `"${values.gender}" is not F or M`);
    return {
      id: values.id,
      upn: orNull(values.upn),
      misId: orNull(values.mis_id),
      firstName: orNull(values.first_name),
      middleName: orNull(values.middle_name),
      lastName: orNull(values.last_name),
      dob: orNull(values.dob),
      gender: (gender || null) as 'F' | 'M' | null,
      yearCode: orNull(values.year_code),
    };
  });
}

export function readTeacherCsv(text: string, file: string): TeacherRecord[] {
  return readTable(text, file, TEACHER_COLUMNS).map(({ values }) => ({
    id: values.id,
    title: orNull(values.title),
    firstName: orNull(values.first_name),
    lastName: orNull(values.last_name),
    email: orNull(values.email),
    misId: orNull(values.mis_id),
  }));
}
