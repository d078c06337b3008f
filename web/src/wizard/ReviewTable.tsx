import { useCallback, useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ReviewRow, ReviewStatus } from '../api';

export const STATUS_WORDS: Record<ReviewStatus, string> = {
  notMatched: 'Not matched',
  new: 'New',
  mayMatch: 'May match',
  matched: 'Matched',
};

type Paired<H, M> = Extract<ReviewRow<H, M>, { hub: H; mis: M }>;

export interface ReviewTableProps<H extends { id: string }, M extends { id: string }> {
  rows: ReviewRow<H, M>[];
  /** While a run is going nothing can be changed. */
  locked: boolean;
  hubCell(row: ReviewRow<H, M> & { hub: H }): ReactNode;
  misCell(mis: M): ReactNode;
  /** Columns of the panel's own between Your MIS and Import (e.g. a teacher's email). */
  columns: { header: string; cell(row: ReviewRow<H, M>): ReactNode }[];
  importLabel(mis: M): string;
  /** The tick column's header: Import by default. */
  tickHeader?: string;
  /** Paired rows show a ticked box that cannot be unticked (add-only panels), with this explanation. */
  pairedTick?: string;
  /** Paired rows have their own tick (an unticked pair is left as it is), labelled so. */
  pairTickLabel?(row: Paired<H, M>): string;
  onTick(mis: M, ticked: boolean): void;
  onTickPair?(row: Paired<H, M>, ticked: boolean): void;
  /** A pair's reasons behind "Why…" (long reviews), its conflicts always in view. */
  foldReasons?: boolean;
  onMatch(hub: H): void;
  onConfirm(row: Paired<H, M>): void;
  /** Unmatch a pair not yet synced (a plan change). */
  onUnmatch(row: Paired<H, M>): void;
  /** Unmatch a record synced by an earlier run, or one whose MIS person has left (restores its backup). */
  onUnmatchSynced(hub: H): void;
}

/** Above this many rows only those in view are drawn (a school's pupils), in a box that scrolls. */
export const VIRTUAL_FROM = 150;

/** Existing Admin Hub | Your MIS, one row per record, in review order: the table every panel shows. */
export function ReviewTable<H extends { id: string }, M extends { id: string }>(props: ReviewTableProps<H, M>) {
  const { rows } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = rows.length > VIRTUAL_FROM;
  const virtualizer = useVirtualizer({
    count: rows.length,
    enabled: virtual,
    getScrollElement: () => scroller.current,
    estimateSize: () => 76,
    overscan: 10,
    getItemKey: useCallback((index: number) => rowKey(rows[index]!), [rows]),
  });
  const items = virtual ? virtualizer.getVirtualItems() : null;
  const shown = items
    ? items.map((item) => ({ row: rows[item.index]!, index: item.index }))
    : rows.map((row, index) => ({ row, index }));
  const above = items?.[0]?.start ?? 0;
  const below = items?.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  const width = 5 + props.columns.length;
  return (
    <div className={virtual ? 'review-scroll virtual' : 'review-scroll'} ref={scroller}>
      <table className="review" aria-rowcount={virtual ? rows.length + 1 : undefined}>
        <thead>
          <tr>
            <th>Status</th>
            <th>Existing Admin Hub</th>
            <th>Your MIS</th>
            {props.columns.map((column) => (
              <th key={column.header}>{column.header}</th>
            ))}
            <th>{props.tickHeader ?? 'Import'}</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {above > 0 && (
            <tr aria-hidden="true" className="spacer" style={{ height: above }}>
              <td colSpan={width} />
            </tr>
          )}
          {shown.map(({ row, index }) => (
            <tr
              key={rowKey(row)}
              data-status={row.status}
              data-index={index}
              aria-rowindex={virtual ? index + 2 : undefined}
              ref={virtual ? virtualizer.measureElement : undefined}
            >
              <Cells row={row} table={props} />
            </tr>
          ))}
          {below > 0 && (
            <tr aria-hidden="true" className="spacer" style={{ height: below }}>
              <td colSpan={width} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** One record's cells: status, both sides with the reasons, the panel's columns, its tick and actions. */
function Cells<H extends { id: string }, M extends { id: string }>({
  row,
  table: props,
}: {
  row: ReviewRow<H, M>;
  table: ReviewTableProps<H, M>;
}) {
  const { locked } = props;
  const paired = row.status === 'matched' || row.status === 'mayMatch' ? row : null;
  return (
    <>
      <td>
        <span className={`status status-${row.status}`}>{STATUS_WORDS[row.status]}</span>
        {row.status === 'notMatched' && row.outOfSync && <span className="out-of-sync"> Out of sync</span>}
      </td>
      <td>{'hub' in row && props.hubCell(row)}</td>
      <td>
        {'mis' in row && props.misCell(row.mis)}
        <Reasons row={row} fold={props.foldReasons ?? false} />
      </td>
      {props.columns.map((column) => (
        <td key={column.header}>{column.cell(row)}</td>
      ))}
      <td>
        {props.pairedTick && paired && (
          <input type="checkbox" checked disabled aria-label={props.pairedTick} title={props.pairedTick} />
        )}
        {props.pairTickLabel && paired && (
          <input
            type="checkbox"
            aria-label={props.pairTickLabel(paired)}
            title={paired.source === 'linked' ? 'Synced by an earlier sync: it stays linked (Unmatch to undo it)' : undefined}
            checked={paired.ticked}
            disabled={locked || paired.source === 'linked'}
            onChange={(event) => props.onTickPair?.(paired, event.target.checked)}
          />
        )}
        {row.status === 'new' && (
          <input
            type="checkbox"
            aria-label={props.importLabel(row.mis)}
            checked={row.import}
            disabled={locked}
            onChange={(event) => props.onTick(row.mis, event.target.checked)}
          />
        )}
      </td>
      <td className="row-actions">
        {row.status === 'notMatched' && (
          <button type="button" className="secondary" disabled={locked} onClick={() => props.onMatch(row.hub)}>
            Match
          </button>
        )}
        {row.status === 'notMatched' && row.outOfSync && (
          <button type="button" className="secondary" disabled={locked} onClick={() => props.onUnmatchSynced(row.hub)}>
            Unmatch
          </button>
        )}
        {row.status === 'mayMatch' && (
          <button type="button" className="secondary" disabled={locked} onClick={() => props.onConfirm(row)}>
            Confirm
          </button>
        )}
        {paired && (
          <button
            type="button"
            className="secondary"
            disabled={locked}
            onClick={() => (paired.source === 'linked' ? props.onUnmatchSynced(paired.hub) : props.onUnmatch(paired))}
          >
            Unmatch
          </button>
        )}
      </td>
    </>
  );
}

function Reasons<H, M>({ row, fold }: { row: ReviewRow<H, M>; fold: boolean }) {
  const reasons = 'reasons' in row ? row.reasons : [row.reason];
  const conflicts = fold && 'conflicts' in row ? row.conflicts : [];
  const list = (
    <ul className="reasons">
      {reasons
        .filter((reason) => !conflicts.includes(reason))
        .map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
    </ul>
  );
  return (
    <>
      {'warning' in row && row.warning && <p className="warning">{row.warning}</p>}
      {conflicts.map((conflict) => (
        <p key={conflict} className="warning conflict">
          {conflict}
        </p>
      ))}
      {fold && 'reasons' in row ? (
        <details className="why">
          <summary>{row.status === 'mayMatch' ? 'Why it may match' : 'Why matched'}</summary>
          {list}
        </details>
      ) : (
        list
      )}
    </>
  );
}

export function rowKey<H extends { id: string }, M extends { id: string }>(row: ReviewRow<H, M>): string {
  return row.status === 'new' ? `m-${row.mis.id}` : `h-${row.hub.id}`;
}

/** Names with the Hub values the MIS will overwrite struck out, the MIS's value beside them. */
export function StruckOut({
  parts,
  overwritten,
}: {
  parts: { field: string; value: string | null }[];
  overwritten: { field: string; misValue: string | null }[];
}) {
  const replaced = new Map(overwritten.map((change) => [change.field, change.misValue]));
  return (
    <span className="person">
      {parts
        .filter((part) => part.value)
        .map((part, index) => (
          <span key={part.field}>
            {index > 0 && ' '}
            {replaced.has(part.field) ? (
              <del title={`Your MIS says ${replaced.get(part.field) ?? ''}`}>{part.value}</del>
            ) : (
              part.value
            )}
          </span>
        ))}
    </span>
  );
}

/** Under the review: what blocks saving, and Save and sync (the plan itself is saved as the user works). */
export function SaveBar({
  problems,
  locked,
  label,
  onSave,
}: {
  problems: string[];
  locked: boolean;
  label: string;
  onSave(): void;
}) {
  return (
    <>
      {problems.length > 0 && (
        <ul className="problems">
          {problems.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" disabled={locked || problems.length > 0} onClick={onSave}>
          {label}
        </button>
        <span className="muted">Your choices are saved as you work.</span>
      </div>
    </>
  );
}
