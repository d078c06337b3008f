import type { SyncOverview } from '../api';
import { AuthorisationCallback, AuthorisationPanel } from './AuthorisationPanel';
import { TeachersPanel } from '../wizard/teachers/TeachersPanel';
import { YearGroupsPanel } from '../wizard/yearGroups/YearGroupsPanel';
import { ClassesPanel } from '../wizard/classes/ClassesPanel';
import { PupilsPanel } from '../wizard/pupils/PupilsPanel';
import { FinishPanel } from '../wizard/finish/FinishPanel';
import { NightlyStatus } from '../wizard/NightlyStatus';
import { navigate } from '../router';
import { useApi } from '../useApi';

const CONNECTION_TEXT: Record<SyncOverview['connection']['status'], string> = {
  not_connected: 'Not connected to Assembly',
  connected: 'Connected to Assembly',
  deauthorised: 'Deauthorised',
};

/** School › MIS data sync: the wizard's steps, each panel once its feature has landed. */
export function MisDataSyncPage({ step, callback }: { step: string; callback: boolean }) {
  const { data, error } = useApi<SyncOverview>('/api/sync/overview');
  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  if (!data) return <p className="loading">Loading…</p>;
  const current = data.steps.find((candidate) => candidate.id === step) ?? data.steps[0]!;
  return (
    <section>
      <h1>MIS data sync</h1>
      {/* The Authorisation panel shows the connection itself, kept current as it changes. */}
      {current.id !== 'authorisation' && <p className="connection">{CONNECTION_TEXT[data.connection.status]}</p>}
      <ol className="steps" aria-label="Sync steps">
        {data.steps.map((candidate) => (
          <li key={candidate.id}>
            <a
              href={`/school/mis-data-sync/${candidate.id}`}
              className={candidate.id === current.id ? 'step active' : 'step'}
              aria-current={candidate.id === current.id ? 'step' : undefined}
              onClick={(event) => {
                event.preventDefault();
                navigate(`/school/mis-data-sync/${candidate.id}`);
              }}
            >
              {candidate.title}
            </a>
          </li>
        ))}
      </ol>
      {/* Where the co-ordinator starts and ends: what the nightly sync did, and what waits for them. */}
      {(current.id === 'authorisation' || current.id === 'finish') && data.connection.status === 'connected' && (
        <NightlyStatus nightly={data.nightly} />
      )}
      {current.id === 'authorisation' && callback ? (
        <AuthorisationCallback />
      ) : current.id === 'authorisation' ? (
        <AuthorisationPanel />
      ) : current.id === 'teachers' ? (
        <TeachersPanel />
      ) : current.id === 'year-groups' ? (
        <YearGroupsPanel />
      ) : current.id === 'classes' ? (
        <ClassesPanel />
      ) : current.id === 'pupils' ? (
        <PupilsPanel />
      ) : current.id === 'finish' ? (
        <FinishPanel />
      ) : (
        <div className="panel">
          <h2>{current.title}</h2>
          {!current.available && <p className="muted">This step is not available yet.</p>}
        </div>
      )}
    </section>
  );
}
