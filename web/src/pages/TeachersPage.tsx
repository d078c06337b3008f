import { useState } from 'react';
import { api, ApiError, type DeletedTeacherView, type TeacherList, type TeacherRow } from '../api';
import { RecentlyDeleted, useDeletion } from '../Deletion';
import { Dialog } from '../Dialog';
import { SyncedIcon } from '../SyncedIcon';
import { FilterSelect, ListPager, SearchBox, SYNC_FILTER, useUserList } from '../UserList';

/**
 * Users › Teachers. A synced teacher's details come from the MIS: only the email can be changed
 * here. A teacher who left (Out of sync) or was never synced can have their access removed, or be
 * deleted (recoverable for 6 months under Recently deleted).
 */
export function TeachersPage({ canEdit }: { canEdit: boolean }) {
  const list = useUserList<TeacherList>('/api/users/teachers');
  const { data, query } = list;
  const error = data ? null : list.error;
  const [edited, setEdited] = useState<Record<string, TeacherRow>>({});
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<TeacherRow | null>(null);
  const [linkSent, setLinkSent] = useState<{ teacherId: string; message: string; failed: boolean } | null>(null);
  const sendLink = async (teacher: TeacherRow) => {
    try {
      const sent = await api<{ sentTo: string }>(
        'POST',
        `/api/users/teachers/${encodeURIComponent(teacher.teacherId)}/set-password-link`,
      );
      setEdited((current) => ({ ...current, [teacher.teacherId]: { ...teacher, account: 'invited' } }));
      setLinkSent({
        teacherId: teacher.teacherId,
        message: `Welcome email sent to ${sent.sentTo}. Its link works once, for 7 days; any earlier link no longer works.`,
        failed: false,
      });
    } catch (error) {
      setLinkSent({
        teacherId: teacher.teacherId,
        message: error instanceof ApiError ? error.message : 'Could not reach the Admin Hub.',
        failed: true,
      });
    }
  };
  const changeAccess = async (teacher: TeacherRow, access: 'removed' | 'restored') => {
    setRemoving(null);
    try {
      const changed = await api<{ account: TeacherRow['account'] }>(
        'POST',
        `/api/users/teachers/${encodeURIComponent(teacher.teacherId)}/access`,
        { access },
      );
      setEdited((current) => ({ ...current, [teacher.teacherId]: { ...teacher, account: changed.account } }));
      setLinkSent({
        teacherId: teacher.teacherId,
        message:
          access === 'removed'
            ? `${teacher.firstName} ${teacher.lastName} can no longer sign in, and has been signed out everywhere. Restore access to undo it.`
            : `${teacher.firstName} ${teacher.lastName} can sign in again.`,
        failed: false,
      });
    } catch (problem) {
      setLinkSent({
        teacherId: teacher.teacherId,
        message: problem instanceof ApiError ? problem.message : 'Could not reach the Admin Hub.',
        failed: true,
      });
    }
  };
  const [showDeleted, setShowDeleted] = useState(false);
  const deletion = useDeletion({
    noun: 'teacher',
    path: '/api/users/teachers/delete',
    body: (chosen) => ({ teachers: chosen.map(({ id, version }) => ({ teacherId: id, version })) }),
    onDeleted(message) {
      setLinkSent({ teacherId: '', message, failed: false });
      list.reload();
    },
    onFailed(message) {
      setLinkSent({ teacherId: '', message, failed: true });
      list.reload();
    },
  });
  if (showDeleted)
    return (
      <RecentlyDeleted<DeletedTeacherView>
        noun="teacher"
        path="/api/users/teachers/deleted"
        rowsOf={(answer) => (answer as { teachers: DeletedTeacherView[] }).teachers}
        idOf={(teacher) => teacher.teacherId}
        columns={[{ header: 'Email', cell: (teacher) => teacher.email }]}
        intro="Deleted teachers can be restored for 6 months, with their account as it was. Then they are erased for good, with their account."
        restored={(teacher) =>
          `${teacher.firstName} ${teacher.lastName} is restored${teacher.hasAccount ? ', with their account as it was' : ''}.`
        }
        onBack={(restored) => {
          setShowDeleted(false);
          if (restored) {
            setLinkSent({ teacherId: '', message: restored, failed: false });
            list.reload();
          }
        }}
      />
    );
  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  if (!data) return <p className="loading">Loading teachers…</p>;
  const rows = data.rows.map((teacher) => edited[teacher.teacherId] ?? teacher);
  return (
    <section className="user-list">
      <h1>Teachers</h1>
      <div className="list-controls">
        <SearchBox label="Search teachers" hint="Name or email" value={query.q ?? ''} onSearch={(q) => list.change({ q })} />
        <FilterSelect label="Synced" value={query.sync ?? ''} options={SYNC_FILTER} onChange={(sync) => list.change({ sync })} />
      </div>
      {list.error && (
        <p className="error" role="alert">
          {list.error}
        </p>
      )}
      {canEdit && deletion.toolbar(() => setShowDeleted(true))}
      {deletion.dialog(
        <p>
          They are signed out at once and cannot sign in. You can restore them, with their account as it was, under Recently
          deleted for 6 months. After that they are erased for good, with their account.
        </p>,
      )}
      {removing && (
        <Dialog
          title={`Remove access for ${removing.firstName} ${removing.lastName}?`}
          confirm={{ label: 'Remove access', danger: true, onClick: () => void changeAccess(removing, 'removed') }}
          onCancel={() => setRemoving(null)}
        >
          <p>
            They will be signed out at once and cannot sign in to the Admin Hub or MARK. Their account and the papers they marked
            stay, and you can restore their access for 6 months. After that their account is erased (their name stays here).
          </p>
        </Dialog>
      )}
      <ListPager list={data} noun="teachers" onPage={(page) => list.change({ page: String(page) })} />
      {linkSent && (
        <p className={linkSent.failed ? 'error' : 'notice'} role={linkSent.failed ? 'alert' : 'status'}>
          {linkSent.message}
        </p>
      )}
      <table aria-busy={list.loading}>
        <thead>
          <tr>
            {canEdit && <th aria-label="Choose" />}
            <th>Title</th>
            <th>First name</th>
            <th>Last name</th>
            <th>Email</th>
            <th>Synced</th>
            <th>Account</th>
            {canEdit && <th aria-label="Actions" />}
          </tr>
        </thead>
        <tbody>
          {rows.map((teacher) =>
            editing === teacher.teacherId ? (
              <EditRow
                key={teacher.teacherId}
                teacher={teacher}
                onDone={(saved) => {
                  if (saved) {
                    setEdited((current) => ({ ...current, [saved.teacherId]: saved }));
                    deletion.update(choosable(saved));
                  }
                  setEditing(null);
                }}
              />
            ) : (
              <tr key={teacher.teacherId}>
                {canEdit && (
                  <td>
                    {teacher.synced !== 'synced' &&
                      // One's own account is not one's own to delete (the API refuses it too).
                      !teacher.own &&
                      deletion.checkbox(choosable(teacher))}
                  </td>
                )}
                <td>{teacher.title}</td>
                <td>{teacher.firstName}</td>
                <td>{teacher.lastName}</td>
                <td>{teacher.email}</td>
                <td>
                  <SyncedIcon status={teacher.synced} reason={teacher.syncReason} />
                </td>
                <td>{ACCOUNT_STATES[teacher.account]}</td>
                {canEdit && (
                  <td className="row-actions">
                    <button type="button" className="secondary" onClick={() => setEditing(teacher.teacherId)}>
                      Edit
                    </button>
                    {teacher.synced !== 'synced' &&
                      (teacher.account === 'active' || teacher.account === 'invited') &&
                      // One's own access is not one's own to remove (the API refuses it too).
                      !teacher.own && (
                        <button
                          type="button"
                          className="secondary"
                          onClick={() => setRemoving(teacher)}
                          aria-label={`Remove access for ${teacher.firstName} ${teacher.lastName}`}
                        >
                          Remove access
                        </button>
                      )}
                    {teacher.account === 'deactivated' && (
                      <button type="button" className="secondary" onClick={() => void changeAccess(teacher, 'restored')}>
                        Restore access
                      </button>
                    )}
                    {(teacher.account === 'invited' || teacher.account === 'none') && teacher.email && (
                      <button type="button" className="secondary" onClick={() => void sendLink(teacher)}>
                        {teacher.account === 'invited' ? 'Resend welcome email' : 'Send welcome email'}
                      </button>
                    )}
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

const ACCOUNT_STATES: Record<TeacherRow['account'], string> = {
  active: 'Password set',
  invited: 'Invited',
  deactivated: 'Access removed',
  none: 'No account',
};

function EditRow({ teacher, onDone }: { teacher: TeacherRow; onDone(saved: TeacherRow | null): void }) {
  const synced = teacher.synced === 'synced';
  const [fields, setFields] = useState({
    title: teacher.title ?? '',
    firstName: teacher.firstName,
    lastName: teacher.lastName,
    email: teacher.email ?? '',
  });
  const [problem, setProblem] = useState<ApiError | null>(null);
  const input = (field: keyof typeof fields, label: string, locked: boolean) => (
    <td>
      {locked ? (
        <span title="Synced with your MIS: change this in your MIS">{fields[field]}</span>
      ) : (
        <input
          aria-label={label}
          value={fields[field]}
          onChange={(event) => setFields({ ...fields, [field]: event.target.value })}
        />
      )}
      {problem?.fields[field] && <p className="field-error">{problem.fields[field]}</p>}
    </td>
  );
  const save = async () => {
    try {
      const body = synced ? { email: fields.email } : { ...fields, title: fields.title || null };
      onDone(await api<TeacherRow>('PATCH', `/api/users/teachers/${encodeURIComponent(teacher.teacherId)}`, body));
    } catch (error) {
      setProblem(error instanceof ApiError ? error : new ApiError(0, 'Could not save.'));
    }
  };
  return (
    <tr>
      <td />
      {input('title', 'Title', synced)}
      {input('firstName', 'First name', synced)}
      {input('lastName', 'Last name', synced)}
      {input('email', 'Email', false)}
      <td>
        <SyncedIcon status={teacher.synced} reason={teacher.syncReason} />
      </td>
      <td>{ACCOUNT_STATES[teacher.account]}</td>
      <td>
        <button type="button" onClick={save}>
          Save
        </button>{' '}
        <button type="button" className="secondary" onClick={() => onDone(null)}>
          Cancel
        </button>
        {problem && Object.keys(problem.fields).length === 0 && <p className="field-error">{problem.message}</p>}
      </td>
    </tr>
  );
}

const choosable = (teacher: TeacherRow) => ({
  id: teacher.teacherId,
  version: teacher.version,
  name: `${teacher.firstName} ${teacher.lastName}`,
});
