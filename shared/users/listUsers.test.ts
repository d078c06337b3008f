import { describe, expect, it } from 'vitest';
import { searchAndPage, USERS_PAGE_SIZE, userListQuerySchema } from './listUsers';

const people = Array.from({ length: 120 }, (_, index) => ({ id: index, text: `Pupil ${index}` }));

describe('Users lists: search and pages', () => {
  it('finds a word anywhere in the row, ignoring case and accents, every word searched for', () => {
    const rows = [
      { id: 1, text: 'Zoë Ashworth 5W A123456789012' },
      { id: 2, text: 'Zoe Khalid 6B' },
      { id: 3, text: 'Alice Brown 5W' },
    ];
    const ids = (q: string) => searchAndPage(rows, (row) => row.text, { q }).rows.map((row) => row.id);
    expect(ids('zoe')).toEqual([1, 2]);
    expect(ids('ali')).toEqual([2, 3]);
    expect(ids('zoe 5w')).toEqual([1]);
    expect(ids('a1234')).toEqual([1]);
    expect(ids('  ')).toEqual([1, 2, 3]);
    expect(ids('nobody')).toEqual([]);
  });

  it('pages what matches, says how many match of how many, and keeps a page past the end on the last', () => {
    const first = searchAndPage(people, (row) => row.text, {});
    expect(first).toMatchObject({ page: 1, pages: 3, matching: 120, total: 120, pageSize: USERS_PAGE_SIZE });
    expect(first.rows.map((row) => row.id)).toEqual(Array.from({ length: 50 }, (_, index) => index));
    expect(searchAndPage(people, (row) => row.text, { page: '3' }).rows).toHaveLength(20);
    expect(searchAndPage(people, (row) => row.text, { page: '9' })).toMatchObject({ page: 3 });
    const kept = searchAndPage(
      people,
      (row) => row.text,
      {},
      (row) => row.id % 2 === 0,
    );
    expect(kept).toMatchObject({ matching: 60, total: 120, pages: 2 });
  });

  it('refuses a query it does not understand, field by field', () => {
    const refused = userListQuerySchema.safeParse({ page: '0', sync: 'maybe', q: 'x'.repeat(101), colour: 'red' });
    expect(refused.success).toBe(false);
    const fields = new Set(refused.error!.issues.map((issue) => String(issue.path[0] ?? ('keys' in issue ? issue.keys[0] : ''))));
    expect(fields).toEqual(new Set(['page', 'sync', 'q', 'colour']));
  });
});
