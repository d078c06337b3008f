import { useState } from 'react';
import { api, ApiError, type DeletedPupilView, type PupilList, type PupilRow } from '../api';
import { RecentlyDeleted, useDeletion } from '../Deletion';
import { SyncedIcon } from '../SyncedIcon';
import { FilterSelect, ListPager, SearchBox, ListNotLoaded, SYNC_FILTER, useUserList } from '../UserList';

/**
 * Users › Pupils: every pupil of the school, searched (part of a name, a UPN, a class), filtered
 * (year group, class, sync state) and paged by the API. A synced pupil's details come from the
 * MIS; the Access Co-ordinator edits the others.
 */
export function PupilsPage({ canEdit }: { canEdit: boolean }) {
  const list = useUserList<PupilList>('/api/users/pupils');
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [showDeleted, setShowDeleted] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const deletion = useDeletion({
    noun: 'pupil',
    path: '/api/users/pupils/delete',
    body: (chosen) => ({ pupils: chosen.map(({ id, version }) => ({ pupilId: id, version })) }),
    onDeleted(message) {
      setSaved(message);
      setProblem(null);
      list.reload();
    },
    onFailed(message) {
      setProblem(message);
      list.reload();
    },
  });
  const { data, query } = list;
  if (showDeleted)
    return (
      <RecentlyDeleted<DeletedPupilView>
        noun="pupil"
        path="/api/users/pupils/deleted"
        rowsOf={(answer) => (answer as { pupils: DeletedPupilView[] }).pupils}
        idOf={(pupil) => pupil.pupilId}
        columns={[
          { header: 'UPN', cell: (pupil) => pupil.upn },
          { header: 'Results', cell: (pupil) => pupil.results },
        ]}
        intro="Deleted pupils can be restored, with their results, for 6 months. Then they are erased for good."
        restored={(pupil) => `${pupil.firstName} ${pupil.lastName} is restored, with their results.`}
        onBack={(restored) => {
          setShowDeleted(false);
          if (restored) {
            setSaved(restored);
            list.reload();
          }
        }}
      />
    );
  if (!data) return <ListNotLoaded error={list.error} noun="pupils" />;
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
      {canEdit && deletion.toolbar(() => setShowDeleted(true))}
      {deletion.dialog(
        <p>
          Their results go with them. You can restore them under Recently deleted for 6 months. After that they are erased for
          good, with their results and backups. Results already sent to Assembly stay in your MIS.
        </p>,
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
                    deletion.update(choosable(updated));
                    setSaved(`${updated.firstName} ${updated.lastName} is saved.`);
                    list.reload();
                  }
                }}
              />
            ) : (
              <tr key={pupil.pupilId}>
                {canEdit && <td>{pupil.synced !== 'synced' && deletion.checkbox(choosable(pupil))}</td>}
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

const choosable = (pupil: PupilRow) => ({
  id: pupil.pupilId,
  version: pupil.version,
  name: `${pupil.firstName} ${pupil.lastName}`,
});
