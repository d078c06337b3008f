import type { PupilRow } from '../api';
import { SyncedIcon } from '../SyncedIcon';
import { useApi } from '../useApi';

export function PupilsPage() {
  const { data, error } = useApi<{ pupils: PupilRow[] }>('/api/users/pupils');
  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  if (!data) return <p className="loading">Loading pupils…</p>;
  return (
    <section>
      <h1>Pupils</h1>
      <table>
        <thead>
          <tr>
            <th>First name</th>
            <th>Last name</th>
            <th>Username</th>
            <th>Year group</th>
            <th>Classes</th>
            <th>Synced</th>
          </tr>
        </thead>
        <tbody>
          {data.pupils.map((pupil) => (
            <tr key={pupil.pupilId}>
              <td>{pupil.firstName}</td>
              <td>{pupil.lastName}</td>
              <td>{pupil.username}</td>
              <td>{pupil.yearGroup}</td>
              <td>{pupil.classes.join(', ')}</td>
              <td>
                <SyncedIcon status={pupil.synced} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
