import type { SyncOverview } from '../api';
import { navigate } from '../router';

type Nightly = NonNullable<SyncOverview['nightly']>;

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;

const OUTCOME: Record<Nightly['status'], string> = {
  running: 'is running now',
  unchanged: 'found no changes in your MIS',
  synced: 'brought the Admin Hub up to date',
  failed: 'did not finish',
  skipped_locked: 'was skipped',
  skipped_deauthorised: 'was skipped: not connected to Assembly',
  revoked: 'stopped: access through Assembly was revoked',
};

/** The newest nightly sync on the wizard: when, how it ended, what it changed, and what waits for the co-ordinator. */
export function NightlyStatus({ nightly }: { nightly: Nightly | null }) {
  if (!nightly)
    return (
      <section className="panel nightly" aria-label="Nightly sync">
        <h2>Nightly sync</h2>
        <p className="muted">Once you have synced, your MIS is checked for changes every night.</p>
      </section>
    );
  const { counts, waiting } = nightly;
  const changes = [
    counts.imported && `${plural(counts.imported, 'new pupil')} imported`,
    counts.linked && `${plural(counts.linked, 'new pupil')} linked`,
    counts.changed && `${plural(counts.changed, 'synced user')} updated`,
    counts.outOfSync && `${plural(counts.outOfSync, 'user')} now Out of sync`,
    counts.errors && `${plural(counts.errors, 'record')} left as they were`,
  ].filter(Boolean);
  const go = (step: string) => (event: React.MouseEvent) => {
    event.preventDefault();
    navigate(`/school/mis-data-sync/${step}`);
  };
  const waits = [
    {
      list: waiting.teachers,
      text: (n: number) => `${plural(n, 'new teacher')} in your MIS`,
      step: 'teachers',
      action: 'Import them in the Teachers panel',
    },
    {
      list: waiting.classes,
      text: (n: number) => `${plural(n, 'new class', 'new classes')} in your MIS`,
      step: 'classes',
      action: 'Sync them in the Classes panel',
    },
    {
      list: waiting.mayMatches,
      text: (n: number) => `${plural(n, 'new pupil')} who may already be in the Admin Hub`,
      step: 'pupils',
      action: 'Check them in the Pupils panel',
    },
    {
      list: waiting.pupils,
      text: (n: number) => `${plural(n, 'new pupil')} in classes you do not sync`,
      step: 'classes',
      action: 'Sync their class to import them',
    },
  ].filter((wait) => wait.list.count > 0);
  return (
    <section className="panel nightly" aria-label="Nightly sync">
      <h2>Nightly sync</h2>
      <p>
        The last nightly sync ({when(nightly.startedAt)}) {OUTCOME[nightly.status]}
        {nightly.status === 'synced' ? `: ${changes.length ? changes.join(', ') : 'nothing needed changing'}.` : '.'}
      </p>
      {nightly.note && <p className="muted">{nightly.note}</p>}
      {waits.length > 0 && (
        <>
          <h3>Waiting for you</h3>
          <ul className="waiting">
            {waits.map((wait) => (
              <li key={wait.step + wait.action}>
                {wait.text(wait.list.count)}: {wait.list.names.join(', ')}
                {wait.list.count > wait.list.names.length ? `, and ${wait.list.count - wait.list.names.length} more` : ''}.{' '}
                <a href={`/school/mis-data-sync/${wait.step}`} onClick={go(wait.step)}>
                  {wait.action}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
