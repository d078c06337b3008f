import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type FinishView } from '../../api';
import { goToAssemblyAuthorisation } from '../../authorise';
import { navigate } from '../../router';
import { PanelMessages } from '../PanelDialogs';

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });

const plural = (count: number, one: string, many: string) => `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;

/**
 * School › MIS data sync › Finish: what the wizard has synced, and the school's data sharing
 * preferences (also opened by the Authorisation panel's button).
 */
export function FinishPanel() {
  const [view, setView] = useState<FinishView | null>(null);
  const [shareAll, setShareAll] = useState(false);
  const [shareHistorical, setShareHistorical] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const show = useCallback((next: FinishView) => {
    setView(next);
    setShareAll(next.sharing.shareAll);
    setShareHistorical(next.sharing.shareHistorical);
  }, []);
  const load = useCallback(() => {
    api<FinishView>('GET', '/api/sync/finish')
      .then(show)
      .catch((error: unknown) => setProblem(error instanceof ApiError ? error.message : 'Could not load this panel.'));
  }, [show]);
  useEffect(load, [load]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!view) return;
    setBusy(true);
    setProblem(null);
    setNotice(null);
    try {
      const saved = await api<FinishView>('PUT', '/api/sync/finish/sharing', {
        version: view.sharing.version,
        shareAll,
        shareHistorical: shareAll && shareHistorical,
      });
      show(saved);
      setNotice(
        saved.sharing.shareAll
          ? 'Saved. From now on, every paper marked for a synced pupil is sent to Assembly.'
          : 'Saved. No more results will be sent to Assembly.',
      );
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'Could not save the preferences.');
      if (error instanceof ApiError && error.status === 409) load();
    } finally {
      setBusy(false);
    }
  };

  const authoriseAgain = async () => {
    setBusy(true);
    try {
      await goToAssemblyAuthorisation();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'Could not start authorisation.');
      setBusy(false);
    }
  };

  if (!view)
    return problem ? (
      <p className="error" role="alert">
        {problem}
      </p>
    ) : (
      <p className="loading">Loading…</p>
    );

  const { synced, sharing } = view;
  const changed = shareAll !== sharing.shareAll || (shareAll && shareHistorical !== sharing.shareHistorical);
  return (
    <div className="panel finish-panel">
      <h2>Finish</h2>
      <section aria-labelledby="synced-heading">
        <h3 id="synced-heading">What is synced with your MIS</h3>
        {synced.teachers + synced.yearGroups + synced.classes + synced.pupils === 0 ? (
          <p className="notice">
            Nothing is synced yet. Start with{' '}
            <a
              href="/school/mis-data-sync/teachers"
              onClick={(event) => {
                event.preventDefault();
                navigate('/school/mis-data-sync/teachers');
              }}
            >
              Teachers
            </a>
            , then year groups, classes and pupils.
          </p>
        ) : (
          <>
            <ul className="synced-summary">
              <li>{plural(synced.teachers, 'teacher', 'teachers')}</li>
              <li>{plural(synced.yearGroups, 'year group', 'year groups')}</li>
              <li>{plural(synced.classes, 'class', 'classes')}</li>
              <li>{plural(synced.pupils, 'pupil', 'pupils')}</li>
            </ul>
            <p className="muted">
              Synced users are kept up to date with your MIS. Users › Teachers and Users › Pupils show each one with the Synced
              icon.
            </p>
          </>
        )}
      </section>

      <form onSubmit={(event) => void save(event)} aria-labelledby="sharing-heading">
        <h3 id="sharing-heading">Data sharing preferences</h3>
        <p>
          When sharing is on, every time a synced pupil has a paper marked in MARK, their result is sent to Assembly at once, and
          from there to your MIS.
        </p>
        {view.paused && (
          <p className="warning" role="status">
            {view.paused}
          </p>
        )}
        {view.cannotShare && !sharing.shareAll && (
          <div className="notice">
            <p>{view.cannotShare}</p>
            {/not grant/.test(view.cannotShare) && (
              <button type="button" className="secondary" disabled={busy} onClick={() => void authoriseAgain()}>
                Authorise again with “upload assessment data”
              </button>
            )}
          </div>
        )}
        <label className="check">
          <input
            type="checkbox"
            checked={shareAll}
            disabled={busy || (Boolean(view.cannotShare) && !sharing.shareAll)}
            onChange={(event) => setShareAll(event.target.checked)}
          />
          Share all available data
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={shareAll && shareHistorical}
            disabled={busy || !shareAll}
            onChange={(event) => setShareHistorical(event.target.checked)}
          />
          Share historical data
          <span className="muted"> (results marked before today, for reporting over time in Assembly)</span>
        </label>
        <p className="muted">
          Results already sent stay in Assembly and in your MIS if you switch sharing off later: remove them there if you need to.
        </p>
        {sharing.changedAt && (
          <p className="muted">
            {sharing.shareAll ? 'Switched on' : 'Switched off'}
            {sharing.changedBy ? ` by ${sharing.changedBy}` : ''} on {when(sharing.changedAt)}.
            {!sharing.shareAll && ' Marks are not sent to Assembly while sharing is off.'}
          </p>
        )}
        {view.results.total > 0 && (
          <p className="results-summary">
            In Assembly: {plural(view.results.counts.sent, 'result', 'results')} sent
            {view.results.counts.failed ? `, ${view.results.counts.failed} failed` : ''}
            {view.results.counts.waiting + view.results.counts.parked
              ? `, ${view.results.counts.waiting + view.results.counts.parked} waiting`
              : ''}
            .{' '}
            {view.results.stuck > 0 &&
              `${plural(view.results.stuck, 'result has', 'results have')} waited over an hour: support has been alerted and will send ${
                view.results.stuck === 1 ? 'it' : 'them'
              } again. `}
            <a
              href="/mark/results"
              onClick={(event) => {
                event.preventDefault();
                navigate('/mark/results');
              }}
            >
              See each result
            </a>
          </p>
        )}
        <PanelMessages problem={problem} notice={notice} />
        <div className="actions">
          <button type="submit" disabled={busy || !changed}>
            Save preferences
          </button>
        </div>
      </form>
    </div>
  );
}
