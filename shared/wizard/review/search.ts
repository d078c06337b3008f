import type { ReviewStatus } from './rows';

/**
 * Search and filter within a panel's review: by status, and by words that must each be found
 * in the row's text (names on either side, a UPN tail, a class). Case and accents are ignored,
 * so "zoe" finds Zoë. Pure, so that the browser and the tests share it.
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
  const words = folded(filter.text).split(/\s+/).filter(Boolean);
  return rows.filter((row) => {
    if (filter.status !== 'all' && row.status !== filter.status) return false;
    if (!words.length) return true;
    const text = folded(textOf(row).filter(Boolean).join(' '));
    return words.every((word) => text.includes(word));
  });
}
