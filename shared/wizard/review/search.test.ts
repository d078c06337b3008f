import { describe, expect, it } from 'vitest';
import { filterRows, NO_FILTER } from './search';

const rows = [
  { status: 'new' as const, names: ['Zoë Brown', '2Swans'] },
  { status: 'matched' as const, names: ['Zoe Brown', 'Zoe Browne'] },
  { status: 'notMatched' as const, names: ['Amir Khan', null] },
];
const textOf = (row: (typeof rows)[number]) => row.names;

describe('filtering a review', () => {
  it('keeps every row when nothing is chosen', () => {
    expect(filterRows(rows, NO_FILTER, textOf)).toHaveLength(3);
  });

  it('finds the start of a word, ignoring case, accents and spacing', () => {
    expect(filterRows(rows, { status: 'all', text: 'zoe  BROWN' }, textOf)).toEqual(rows.slice(0, 2));
    expect(filterRows(rows, { status: 'all', text: 'bro' }, textOf)).toEqual(rows.slice(0, 2));
    expect(filterRows(rows, { status: 'all', text: 'rown' }, textOf)).toEqual([]);
    expect(filterRows(rows, { status: 'all', text: '2swans' }, textOf)).toEqual([rows[0]]);
    expect(filterRows(rows, { status: 'all', text: 'khan zoe' }, textOf)).toEqual([]);
  });

  it('reads "year 2" as a phrase, not as "year" and any 2', () => {
    const years = [
      { status: 'new' as const, names: ['Year 1', 'UPN …2157'] },
      { status: 'new' as const, names: ['Year 2'] },
    ];
    expect(filterRows(years, { status: 'all', text: 'year 2' }, (row) => row.names)).toEqual([years[1]]);
    expect(filterRows(years, { status: 'all', text: '(' }, (row) => row.names)).toEqual([]);
  });

  it('narrows to one status, with or without words', () => {
    expect(filterRows(rows, { status: 'matched', text: '' }, textOf)).toEqual([rows[1]]);
    expect(filterRows(rows, { status: 'new', text: 'khan' }, textOf)).toEqual([]);
  });
});
