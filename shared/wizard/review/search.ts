import type { ReviewStatus } from './rows';

/**
 * Search and filter within a panel's review: by status, and by the start of a name, class or
 * year group: the text typed must begin a word of the row's text ("whi" finds White, "year 2"
 * finds Year 2 but not Year 1 with a 2 in its UPN). Case and accents are ignored, so "zoe" finds
 * Zoë. Pure, so that the browser and the tests share it.
 */
export interface RowFilter {
  status: ReviewStatus | 'all';
  text: string;
}

export const NO_FILTER: RowFilter = { status: 'all', text: '' };

const folded = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export function filterRows<Row extends { status: ReviewStatus }>(
  rows: readonly Row[],
  filter: RowFilter,
  textOf: (row: Row) => readonly (string | null | undefined)[],
): Row[] {
  const wanted = folded(filter.text).trim().replace(/\s+/g, ' ');
  const startsAWord = new RegExp(`(^|[^\\p{L}\\p{N}])${wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u');
  return rows.filter((row) => {
    if (filter.status !== 'all' && row.status !== filter.status) return false;
    if (!wanted) return true;
    return textOf(row).some((text) => text && startsAWord.test(folded(text).replace(/\s+/g, ' ')));
  });
}
