import type { ReactNode } from 'react';
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
  onTick(mis: M, ticked: boolean): void;
  onMatch(hub: H): void;
  onConfirm(row: Paired<H, M>): void;
  /** Unmatch a pair not yet synced (a plan change). */
  onUnmatch(row: Paired<H, M>): void;
  /** Unmatch a record synced by an earlier run, or one whose MIS person has left (restores its backup). */
  onUnmatchSynced(hub: H): void;
}

/** Existing Admin Hub | Your MIS, one row per record, in review order: the table every panel shows. */
export function ReviewTable<H extends { id: string }, M extends { id: string }>(props: ReviewTableProps<H, M>) {
  const { rows, locked } = props;
  return (
    <div className="review-scroll">
      <table className="review">
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
          {rows.map((row) => (
            <tr key={rowKey(row)} data-status={row.status}>
              <td>
                <span className={`status status-${row.status}`}>{STATUS_WORDS[row.status]}</span>
                {row.status === 'notMatched' && row.outOfSync && <span className="out-of-sync"> Out of sync</span>}
              </td>
              <td>{'hub' in row && props.hubCell(row)}</td>
              <td>
                {'mis' in row && props.misCell(row.mis)}
                <Reasons row={row} />
              </td>
              {props.columns.map((column) => (
                <td key={column.header}>{column.cell(row)}</td>
              ))}
              <td>
                {props.pairedTick && (row.status === 'matched' || row.status === 'mayMatch') && (
                  <input type="checkbox" checked disabled aria-label={props.pairedTick} title={props.pairedTick} />
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
                {(row.status === 'mayMatch' || row.status === 'matched') && (
                  <button
                    type="button"
                    className="secondary"
                    disabled={locked}
                    onClick={() => (row.source === 'linked' ? props.onUnmatchSynced(row.hub) : props.onUnmatch(row))}
                  >
                    Unmatch
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Reasons<H, M>({ row }: { row: ReviewRow<H, M> }) {
  const reasons = 'reasons' in row ? row.reasons : [row.reason];
  return (
    <>
      {'warning' in row && row.warning && <p className="warning">{row.warning}</p>}
      <ul className="reasons">
        {reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
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
