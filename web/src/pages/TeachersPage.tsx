import type { TeacherRow } from '../api';
import { SyncedIcon } from '../SyncedIcon';
import { useApi } from '../useApi';

export function TeachersPage() {
  const { data, error } = useApi<{ teachers: TeacherRow[] }>('/api/users/teachers');
  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  if (!data) return <p className="loading">Loading teachers…</p>;
  return (
    <section>
      <h1>Teachers</h1>
      <table>
        <thead>
          <tr>
            <th>Title</th>
            <th>First name</th>
            <th>Last name</th>
            <th>Email</th>
            <th>Synced</th>
          </tr>
        </thead>
        <tbody>
          {data.teachers.map((teacher) => (
            <tr key={teacher.teacherId}>
              <td>{teacher.title}</td>
              <td>{teacher.firstName}</td>
              <td>{teacher.lastName}</td>
              <td>{teacher.email}</td>
              <td>
                <SyncedIcon status={teacher.synced} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
