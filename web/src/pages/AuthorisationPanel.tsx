import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type ConnectionView } from '../api';
import { goToAssemblyAuthorisation } from '../authorise';
import { Dialog } from '../Dialog';
import { navigate } from '../router';

const date = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });

/** School › MIS data sync › Authorisation: connect to Assembly, see the connection, deauthorise. */
export function AuthorisationPanel() {
  const [connection, setConnection] = useState<ConnectionView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [justDeauthorised, setJustDeauthorised] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api<ConnectionView>('GET', '/api/sync/authorisation')
      .then(setConnection)
      .catch((error: unknown) => setProblem(error instanceof ApiError ? error.message : 'Could not load the connection.'));
  }, []);
  useEffect(load, [load]);

  const authorise = async () => {
    setBusy(true);
    try {
      await goToAssemblyAuthorisation();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'Could not start authorisation.');
      setBusy(false);
    }
  };

  const confirmDeauthorise = async () => {
    setBusy(true);
    try {
      setConnection(await api<ConnectionView>('POST', '/api/sync/authorisation/deauthorise', { confirm: true }));
      setJustDeauthorised(true);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'Could not deauthorise.');
    } finally {
      setConfirming(false);
      setBusy(false);
    }
  };

  if (!connection)
    return problem ? (
      <p className="error" role="alert">
        {problem}
      </p>
    ) : (
      <p className="loading">Checking your Assembly connection…</p>
    );
  return (
    <div className="panel">
      <h2>Authorisation</h2>
      <p className="assembly-logo" aria-hidden="true">
        Assembly
      </p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <p className="connection-status" data-status={connection.status}>
        {connection.status === 'not_connected' && 'Not connected to Assembly.'}
        {connection.status === 'connected' &&
          `Connected to ${connection.schoolName ?? 'your school'} since ${date(connection.connectedAt)}.`}
        {connection.status === 'deauthorised' &&
          `Deauthorised${connection.deauthorisedAt ? ` on ${date(connection.deauthorisedAt)}` : ''}${connection.revokedInAssembly ? ' (access was revoked in Assembly)' : ''}. Syncing is off.`}
      </p>
      {connection.status === 'connected' && (
        <>
          <p>
            Upload assessment data: <strong>{connection.uploadAssessmentData ? 'granted' : 'not granted'}</strong>
          </p>
          <details>
            <summary>Permissions granted in Assembly ({connection.scopes.length})</summary>
            <ul className="scopes">
              {connection.scopes.map((scope) => (
                <li key={scope}>{scope}</li>
              ))}
            </ul>
          </details>
          <div className="actions">
            <button type="button" onClick={() => navigate('/school/mis-data-sync/teachers')}>
              Start sync
            </button>
            <button type="button" className="secondary" onClick={() => navigate('/school/mis-data-sync/finish')}>
              Data sharing preferences
            </button>
            <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={busy}>
              Deauthorise
            </button>
          </div>
        </>
      )}
      {connection.status !== 'connected' && (
        <button type="button" onClick={authorise} disabled={busy}>
          Authorise
        </button>
      )}
      {justDeauthorised && (
        <p className="notice" role="status">
          All syncing of users has stopped. You will also need to log in to your Assembly account, select the ‘Hodder Education
          Group Admin Hub’ application, and select ‘Do not authorise’.
        </p>
      )}
      {confirming && (
        <Dialog
          title="Deauthorise Assembly?"
          confirm={{ label: 'Yes, deauthorise', onClick: confirmDeauthorise, disabled: busy, danger: true }}
          onCancel={() => setConfirming(false)}
        >
          <p>This disables all syncing of users with your MIS. Users already in the Admin Hub are kept.</p>
        </Dialog>
      )}
      <GdprTable />
    </div>
  );
}

/** Assembly sends the school back here; the state is checked server-side before anything is stored. */
export function AuthorisationCallback() {
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const body = {
      state: params.get('state') ?? '',
      code: params.get('code') ?? undefined,
      error: params.get('error') ?? undefined,
    };
    api('POST', '/api/sync/authorisation/complete', body)
      .then(() => navigate('/school/mis-data-sync/authorisation'))
      .catch((error: unknown) => {
        const fields = error instanceof ApiError ? Object.values(error.fields) : [];
        setProblem(fields[0] ?? (error instanceof ApiError ? error.message : 'Could not complete authorisation.'));
      });
  }, []);
  return (
    <div className="panel">
      <h2>Authorisation</h2>
      {problem ? (
        <>
          <p className="error" role="alert">
            {problem}
          </p>
          <button type="button" onClick={() => navigate('/school/mis-data-sync/authorisation')}>
            Back to Authorisation
          </button>
        </>
      ) : (
        <p className="loading">Connecting to Assembly…</p>
      )}
    </div>
  );
}

const GDPR_ROWS: [string, string, string][] = [
  ['UPN', 'UPN', 'UPN'],
  ['MIS ID', 'MIS ID', 'MIS ID'],
  ['First name', 'First name', 'First name'],
  ['Middle name', 'Middle name', 'Middle name'],
  ['Last name', 'Last name', 'Second name'],
  ['DOB', 'DOB', 'DOB'],
  ['Username', 'Username', 'Does not exist'],
  ['Password', 'Password', 'Does not exist'],
  ['Site access', 'Site access', 'Does not exist'],
  ['Gender', 'Gender', 'Gender'],
  ['Pupil premium', 'Pupil premium', 'Pupil premium'],
  ['Intake year', 'Intake year', 'Does not exist'],
  ['Year code', 'Does not exist', 'Year code'],
  ['Home language', 'Home language', 'Does not exist'],
];

/** The product guide's GDPR table: what the Admin Hub and Assembly store for a pupil. */
function GdprTable() {
  return (
    <section className="gdpr">
      <h3>What is stored (GDPR)</h3>
      <p>The pupil data that the Admin Hub and Assembly store to make this connection:</p>
      <table>
        <thead>
          <tr>
            <th>Pupil data</th>
            <th>Admin Hub</th>
            <th>Assembly</th>
          </tr>
        </thead>
        <tbody>
          {GDPR_ROWS.map(([field, hub, assembly]) => (
            <tr key={field}>
              <th scope="row">{field}</th>
              <td className={hub === 'Does not exist' ? 'muted' : undefined}>{hub}</td>
              <td className={assembly === 'Does not exist' ? 'muted' : undefined}>{assembly}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
