import { useState, type ReactNode } from 'react';
import { api, ApiError } from './api';
import { Dialog } from './Dialog';
import { useApi } from './useApi';

/** A user the list can choose for deletion: its id, the version the list showed, and a name. */
export interface Choosable {
  id: string;
  version: number;
  name: string;
}

const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * Users › Pupils and Users › Teachers: choose users with the rows' checkboxes, confirm in a dialog
 * that names them, and delete them through `path` (the API deletes each at once, recoverable for
 * 6 months). `body` turns the chosen into what the API takes.
 */
export function useDeletion(options: {
  noun: 'pupil' | 'teacher';
  path: string;
  body(chosen: Choosable[]): unknown;
  onDeleted(message: string): void;
  onFailed(message: string): void;
}) {
  const [chosen, setChosen] = useState<Map<string, Choosable>>(new Map());
  const [confirming, setConfirming] = useState(false);
  const choose = (one: Choosable, on: boolean) =>
    setChosen((current) => {
      const next = new Map(current);
      if (on) next.set(one.id, one);
      else next.delete(one.id);
      return next;
    });
  /** A chosen user edited meanwhile: the Delete sends the version it has now. */
  const update = (one: Choosable) => setChosen((current) => (current.has(one.id) ? new Map(current).set(one.id, one) : current));
  const deleteChosen = async () => {
    setConfirming(false);
    try {
      const done = await api<{ deleted: number }>('POST', options.path, options.body([...chosen.values()]));
      options.onDeleted(
        `${counted(done.deleted, options.noun)} deleted. You can restore them under Recently deleted for 6 months.`,
      );
    } catch (error) {
      options.onFailed(error instanceof ApiError ? error.message : 'Could not reach the Admin Hub.');
    }
    // Deleted, or some deleted, changed or synced meanwhile: choose again from the list as it is now.
    setChosen(new Map());
  };
  const { noun } = options;
  const checkbox = (one: Choosable) => (
    <input
      type="checkbox"
      aria-label={`Choose ${one.name}`}
      checked={chosen.has(one.id)}
      onChange={(event) => choose(one, event.target.checked)}
    />
  );
  const button = (
    <button type="button" className="danger" disabled={chosen.size === 0} onClick={() => setConfirming(true)}>
      Delete {chosen.size ? `${chosen.size} chosen` : 'chosen'}
    </button>
  );
  /** Delete, and the way to Recently deleted. */
  const toolbar = (onRecentlyDeleted: () => void) => (
    <div className="actions">
      {button}
      <button type="button" className="secondary" onClick={onRecentlyDeleted}>
        Recently deleted
      </button>
    </div>
  );
  /** The confirmation, naming the first five chosen; `children` say what goes with them. */
  const dialog = (children: ReactNode) =>
    confirming && (
      <Dialog
        title={`Delete ${counted(chosen.size, noun)}?`}
        confirm={{ label: `Delete ${counted(chosen.size, noun)}`, onClick: () => void deleteChosen(), danger: true }}
        onCancel={() => setConfirming(false)}
      >
        <p>
          {[...chosen.values()]
            .slice(0, 5)
            .map((one) => one.name)
            .join(', ')}
          {chosen.size > 5 ? ` and ${chosen.size - 5} more` : ''} will disappear from the Admin Hub and MARK at once.
        </p>
        {children}
      </Dialog>
    );
  return { checkbox, toolbar, dialog, update };
}

export interface DeletedView {
  deletedAt: string;
  erasesAt: string;
  firstName: string;
  lastName: string;
}

const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });

/** Recently deleted pupils or teachers: what can still be restored, and until when. */
export function RecentlyDeleted<View extends DeletedView>(props: {
  noun: 'pupil' | 'teacher';
  /** The list's address; a restore posts to `${path}/{id}/restore`. */
  path: string;
  rowsOf(answer: unknown): View[];
  idOf(view: View): string;
  /** Columns shown between the name and the dates. */
  columns: { header: string; cell(view: View): ReactNode }[];
  intro: string;
  restored(view: View): string;
  onBack(restored: string | null): void;
}) {
  const { noun } = props;
  const { data, error } = useApi<unknown>(props.path);
  const [problem, setProblem] = useState<string | null>(null);
  const restore = async (view: View) => {
    try {
      await api('POST', `${props.path}/${encodeURIComponent(props.idOf(view))}/restore`, { deletedAt: view.deletedAt });
      props.onBack(props.restored(view));
    } catch (failure) {
      setProblem(failure instanceof ApiError ? failure.message : 'Could not reach the Admin Hub.');
    }
  };
  const rows = data === null ? null : props.rowsOf(data);
  return (
    <section className="user-list">
      <h1>Recently deleted {noun}s</h1>
      <p>{props.intro}</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => props.onBack(null)}>
          Back to {noun}s
        </button>
      </div>
      {(error ?? problem) && (
        <p className="error" role="alert">
          {error ?? problem}
        </p>
      )}
      {!rows ? (
        !error && <p className="loading">Loading…</p>
      ) : rows.length === 0 ? (
        <p role="status">No {noun}s have been deleted in the last 6 months.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>First name</th>
              <th>Last name</th>
              {props.columns.map((column) => (
                <th key={column.header}>{column.header}</th>
              ))}
              <th>Deleted</th>
              <th>Erased for good</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {rows.map((view) => (
              <tr key={props.idOf(view)}>
                <td>{view.firstName}</td>
                <td>{view.lastName}</td>
                {props.columns.map((column) => (
                  <td key={column.header}>{column.cell(view)}</td>
                ))}
                <td>{day(view.deletedAt)}</td>
                <td>{day(view.erasesAt)}</td>
                <td>
                  <button type="button" onClick={() => void restore(view)}>
                    Restore
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
