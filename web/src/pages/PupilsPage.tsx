import { useState } from 'react';
import { api, ApiError, type DeletedPupilView, type PupilList, type PupilRow } from '../api';
import { Dialog } from '../Dialog';
import { SyncedIcon } from '../SyncedIcon';
import { useApi } from '../useApi';
import { FilterSelect, ListPager, SearchBox, SYNC_FILTER, useUserList } from '../UserList';

/**
 * Users › Pupils: every pupil of the school, searched (part of a name, a UPN, a class), filtered
 * (year group, class, sync state) and paged by the API. A synced pupil's details come from the
 * MIS; the Access Co-ordinator edits the others.
 */
export function PupilsPage({ canEdit }: { canEdit: boolean }) {
  const list = useUserList<PupilList>('/api/users/pupils');
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Map<string, PupilRow>>(new Map());
  const [confirming, setConfirming] = useState(false);
  const [showDeleted, setShowDeleted] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { data, query } = list;
  if (showDeleted)
    return (
      <RecentlyDeleted
        onBack={(restored) => {
          setShowDeleted(false);
          if (restored) {
            setSaved(restored);
            list.reload();
          }
        }}
      />
    );
  const choose = (pupil: PupilRow, on: boolean) =>
    setChosen((current) => {
      const next = new Map(current);
      if (on) next.set(pupil.pupilId, pupil);
      else next.delete(pupil.pupilId);
      return next;
    });
  const deleteChosen = async () => {
    setConfirming(false);
    try {
      const done = await api<{ deleted: number }>('POST', '/api/users/pupils/delete', {
        pupils: [...chosen.values()].map(({ pupilId, version }) => ({ pupilId, version })),
      });
      setSaved(
        `${done.deleted} ${done.deleted === 1 ? 'pupil' : 'pupils'} deleted. You can restore them under Recently deleted for 6 months.`,
      );
      setProblem(null);
      setChosen(new Map());
      list.reload();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'Could not reach the Admin Hub.');
      // Some may have been deleted, changed or synced meanwhile: choose again from the list as it is now.
      setChosen(new Map());
      list.reload();
    }
  };
  if (!data)
    return list.error ? (
      <p className="error" role="alert">
        {list.error}
      </p>
    ) : (
      <p className="loading">Loading pupils…</p>
    );
  const classes = data.classes.filter((group) => !query.yearGroup || group.yearGroupId === query.yearGroup);
  return (
    <section className="user-list">
      <h1>Pupils</h1>
      <div className="list-controls">
        <SearchBox label="Search pupils" hint="Name, UPN or class" value={query.q ?? ''} onSearch={(q) => list.change({ q })} />
        <FilterSelect
          label="Year group"
          value={query.yearGroup ?? ''}
          options={data.yearGroups.map((group) => ({ value: group.id, label: group.name }))}
          onChange={(yearGroup) => list.change({ yearGroup, class: undefined })}
        />
        <FilterSelect
          label="Class"
          value={query.class ?? ''}
          options={classes.map((group) => ({ value: group.id, label: group.name }))}
          onChange={(value) => list.change({ class: value })}
        />
        <FilterSelect label="Synced" value={query.sync ?? ''} options={SYNC_FILTER} onChange={(sync) => list.change({ sync })} />
      </div>
      {list.error && (
        <p className="error" role="alert">
          {list.error}
        </p>
      )}
      {saved && (
        <p className="notice" role="status">
          {saved}
        </p>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {canEdit && (
        <div className="actions">
          <button type="button" className="danger" disabled={chosen.size === 0} onClick={() => setConfirming(true)}>
            Delete {chosen.size ? `${chosen.size} chosen` : 'chosen'}
          </button>
          <button type="button" className="secondary" onClick={() => setShowDeleted(true)}>
            Recently deleted
          </button>
        </div>
      )}
      {confirming && (
        <Dialog
          title={`Delete ${chosen.size} ${chosen.size === 1 ? 'pupil' : 'pupils'}?`}
          confirm={{
            label: `Delete ${chosen.size} ${chosen.size === 1 ? 'pupil' : 'pupils'}`,
            onClick: () => void deleteChosen(),
            danger: true,
          }}
          onCancel={() => setConfirming(false)}
        >
          <p>
            {[...chosen.values()]
              .slice(0, 5)
              .map((pupil) => `${pupil.firstName} ${pupil.lastName}`)
              .join(', ')}
            {chosen.size > 5 ? ` and ${chosen.size - 5} more` : ''} will disappear from the Admin Hub and MARK at once, with their
            results.
          </p>
          <p>
            You can restore them under Recently deleted for 6 months. After that they are erased for good, with their results and
            backups. Results already sent to Assembly stay in your MIS.
          </p>
        </Dialog>
      )}
      <ListPager list={data} noun="pupils" onPage={(page) => list.change({ page: String(page) })} />
      <table aria-busy={list.loading}>
        <thead>
          <tr>
            {canEdit && <th aria-label="Choose" />}
            <th>First name</th>
            <th>Last name</th>
            <th>Username</th>
            <th>Year group</th>
            <th>Classes</th>
            <th>Synced</th>
            <th>UPN</th>
            {canEdit && <th aria-label="Actions" />}
          </tr>
        </thead>
        <tbody>
          {data.rows.map((pupil) =>
            editing === pupil.pupilId ? (
              <EditPupil
                key={pupil.pupilId}
                pupil={pupil}
                onDone={(updated) => {
                  setEditing(null);
                  if (updated) {
                    setChosen((current) => {
                      if (!current.has(updated.pupilId)) return current;
                      const next = new Map(current);
                      next.set(updated.pupilId, updated);
                      return next;
                    });
                    setSaved(`${updated.firstName} ${updated.lastName} is saved.`);
                    list.reload();
                  }
                }}
              />
            ) : (
              <tr key={pupil.pupilId}>
                {canEdit && (
                  <td>
                    {pupil.synced !== 'synced' && (
                      <input
                        type="checkbox"
                        aria-label={`Choose ${pupil.firstName} ${pupil.lastName}`}
                        checked={chosen.has(pupil.pupilId)}
                        onChange={(event) => choose(pupil, event.target.checked)}
                      />
                    )}
                  </td>
                )}
                <td>{pupil.firstName}</td>
                <td>{pupil.lastName}</td>
                <td>{pupil.username}</td>
                <td>{pupil.yearGroup}</td>
                <td>{pupil.classes.join(', ')}</td>
                <td>
                  <SyncedIcon status={pupil.synced} reason={pupil.syncReason} />
                </td>
                <td>{pupil.upn}</td>
                {canEdit && (
                  <td className="row-actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${pupil.firstName} ${pupil.lastName}`}
                      onClick={() => {
                        setSaved(null);
                        setEditing(pupil.pupilId);
                      }}
                    >
                      Edit
                    </button>
                  </td>
                )}
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}

/**
 * A pupil's details in the row, to change. For a synced pupil the MIS manages them: the form says
 * so and sends nothing; the API refuses such a change too (409, naming the field).
 */
function EditPupil({ pupil, onDone }: { pupil: PupilRow; onDone(updated: PupilRow | null): void }) {
  const synced = pupil.synced === 'synced';
  const [fields, setFields] = useState({ firstName: pupil.firstName, lastName: pupil.lastName, upn: pupil.upn ?? '' });
  const [problem, setProblem] = useState<ApiError | null>(null);
  const input = (field: keyof typeof fields, label: string) => (
    <td>
      <input
        aria-label={label}
        value={fields[field]}
        readOnly={synced}
        aria-invalid={Boolean(problem?.fields[field])}
        onChange={(event) => setFields({ ...fields, [field]: event.target.value })}
      />
      {problem?.fields[field] && <p className="field-error">{problem.fields[field]}</p>}
    </td>
  );
  const save = async () => {
    try {
      onDone(
        await api<PupilRow>('PATCH', `/api/users/pupils/${encodeURIComponent(pupil.pupilId)}`, {
          firstName: fields.firstName,
          lastName: fields.lastName,
          upn: fields.upn.trim() || null,
          version: pupil.version,
        }),
      );
    } catch (error) {
      setProblem(error instanceof ApiError ? error : new ApiError(0, 'Could not reach the Admin Hub.'));
    }
  };
  return (
    <>
      <tr className="editing">
        <td />
        {input('firstName', 'First name')}
        {input('lastName', 'Last name')}
        <td>{pupil.username}</td>
        <td>{pupil.yearGroup}</td>
        <td>{pupil.classes.join(', ')}</td>
        <td>
          <SyncedIcon status={pupil.synced} reason={pupil.syncReason} />
        </td>
        {input('upn', 'UPN')}
        <td className="row-actions">
          {!synced && (
            <button type="button" onClick={() => void save()}>
              Save
            </button>
          )}
          <button type="button" className="secondary" onClick={() => onDone(null)}>
            {synced ? 'Close' : 'Cancel'}
          </button>
        </td>
      </tr>
      {(synced || (problem && Object.keys(problem.fields).length === 0)) && (
        <tr className="editing-note">
          <td colSpan={9}>
            {synced ? (
              <p className="notice" role="status">
                {pupil.firstName} {pupil.lastName} is synced with your MIS, which manages their name, UPN, date of birth, gender,
                year group and classes. Change them in your MIS: the next nightly sync brings the change here.
              </p>
            ) : (
              <p className="field-error" role="alert">
                {problem!.message}
              </p>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

/** Users › Pupils › Recently deleted: what can still be restored, and until when. */
function RecentlyDeleted({ onBack }: { onBack(restored: string | null): void }) {
  const { data, error } = useApi<{ pupils: DeletedPupilView[] }>('/api/users/pupils/deleted');
  const [problem, setProblem] = useState<string | null>(null);
  const restore = async (pupil: DeletedPupilView) => {
    try {
      await api('POST', `/api/users/pupils/deleted/${encodeURIComponent(pupil.pupilId)}/restore`, {
        deletedAt: pupil.deletedAt,
      });
      onBack(`${pupil.firstName} ${pupil.lastName} is restored, with their results.`);
    } catch (failure) {
      setProblem(failure instanceof ApiError ? failure.message : 'Could not reach the Admin Hub.');
    }
  };
  const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
  return (
    <section className="user-list">
      <h1>Recently deleted pupils</h1>
      <p>Deleted pupils can be restored, with their results, for 6 months. Then they are erased for good.</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => onBack(null)}>
          Back to pupils
        </button>
      </div>
      {(error ?? problem) && (
        <p className="error" role="alert">
          {error ?? problem}
        </p>
      )}
      {!data ? (
        !error && <p className="loading">Loading…</p>
      ) : data.pupils.length === 0 ? (
        <p role="status">No pupils have been deleted in the last 6 months.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>First name</th>
              <th>Last name</th>
              <th>UPN</th>
              <th>Results</th>
              <th>Deleted</th>
              <th>Erased for good</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {data.pupils.map((pupil) => (
              <tr key={pupil.pupilId}>
                <td>{pupil.firstName}</td>
                <td>{pupil.lastName}</td>
                <td>{pupil.upn}</td>
                <td>{pupil.results}</td>
                <td>{day(pupil.deletedAt)}</td>
                <td>{day(pupil.erasesAt)}</td>
                <td>
                  <button type="button" onClick={() => void restore(pupil)}>
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
