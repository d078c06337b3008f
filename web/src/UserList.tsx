import { useEffect, useState, type ReactNode } from 'react';
import { api, ApiError } from './api';
import { navigate, useLocation } from './router';

/** What the lists take (the API's query), kept in the page's address so Back and links work. */
export const LIST_PARAMETERS = ['q', 'yearGroup', 'class', 'sync', 'status', 'page'] as const;
type Parameter = (typeof LIST_PARAMETERS)[number];
export type ListQuery = Partial<Record<Parameter, string>>;

interface Page {
  matching: number;
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

/**
 * One page of a Users list: its query from the address, the API's answer for it, and a way to
 * change the query (any change but the page goes back to page 1). `reload` fetches it again.
 */
export function useUserList<List extends Page>(apiPath: string) {
  const location = useLocation();
  const query: ListQuery = Object.fromEntries(
    LIST_PARAMETERS.flatMap((name) => {
      const value = location.searchParams.get(name);
      return value ? [[name, value]] : [];
    }),
  );
  const search = new URLSearchParams(query as Record<string, string>).toString();
  const [state, setState] = useState<{ search: string; data: List | null; error: string | null }>({
    search: '\0',
    data: null,
    error: null,
  });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    api<List>('GET', search ? `${apiPath}?${search}` : apiPath)
      .then((data) => live && setState({ search, data, error: null }))
      .catch(
        (problem: unknown) =>
          live &&
          setState((current) => ({
            ...current,
            search,
            error: problem instanceof ApiError ? problem.message : 'Could not load this list.',
          })),
      );
    return () => {
      live = false;
    };
  }, [apiPath, search, version]);
  const change = (next: ListQuery) => {
    const merged = { ...query, ...next, ...(next.page === undefined ? { page: undefined } : {}) };
    const params = new URLSearchParams(
      Object.entries(merged).flatMap(([name, value]) => (value ? [[name, value]] : [])) as [string, string][],
    ).toString();
    if (params !== search) navigate(`${location.pathname}${params ? `?${params}` : ''}`);
  };
  return {
    query,
    data: state.data,
    error: state.error,
    loading: state.search !== search,
    change,
    reload: () => setVersion((current) => current + 1),
  };
}

/** The search box: it asks once typing pauses, not at every key. */
export function SearchBox({
  label,
  hint,
  value,
  onSearch,
}: {
  label: string;
  hint: string;
  value: string;
  onSearch(q: string): void;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value.trim()) return;
    const timer = setTimeout(() => onSearch(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text, value, onSearch]);
  return (
    <label className="search">
      {label}
      <input type="search" value={text} placeholder={hint} maxLength={100} onChange={(event) => setText(event.target.value)} />
    </label>
  );
}

/** A filter as a labelled select; the first option is "All". */
export function FilterSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange(value: string): void;
}) {
  return (
    <label className="filter">
      {label}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">All</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export const SYNC_FILTER = [
  { value: 'synced', label: 'Synced' },
  { value: 'out_of_sync', label: 'Out of sync' },
  { value: 'none', label: 'Not synced (Admin Hub only)' },
];

/** "Showing 51–100 of 212 pupils", or how many match, and the page buttons. */
export function ListPager({ list, noun, onPage }: { list: Page; noun: string; onPage(page: number): void }) {
  const first = list.matching ? (list.page - 1) * list.pageSize + 1 : 0;
  const last = Math.min(list.matching, list.page * list.pageSize);
  const filtered = list.matching !== list.total;
  let summary: ReactNode;
  if (!list.total) summary = `No ${noun} yet.`;
  else if (!list.matching) summary = `No ${noun} match. Try fewer words or clear a filter.`;
  else
    summary = `Showing ${first}–${last} of ${list.matching.toLocaleString('en-GB')} ${noun}${
      filtered ? ` (of ${list.total.toLocaleString('en-GB')} in all)` : ''
    }`;
  return (
    <div className="pager">
      <p role="status">{summary}</p>
      {list.pages > 1 && (
        <nav aria-label="Pages">
          <button type="button" className="secondary" disabled={list.page <= 1} onClick={() => onPage(list.page - 1)}>
            Previous
          </button>
          <span>
            Page {list.page} of {list.pages}
          </span>
          <button type="button" className="secondary" disabled={list.page >= list.pages} onClick={() => onPage(list.page + 1)}>
            Next
          </button>
        </nav>
      )}
    </div>
  );
}

/** A list before its first page has arrived: why it could not load, or that it is loading. */
export function ListNotLoaded({ error, noun }: { error: string | null; noun: string }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : (
    <p className="loading">Loading {noun}…</p>
  );
}
