import { useState } from 'react';
import { api, ApiError, type DeliveryRow, type DeliveryState, type DeliveryStatusList } from '../api';
import { FilterSelect, ListPager, SearchBox, ListNotLoaded, useUserList } from '../UserList';

const STATE_WORDS: Record<DeliveryState, string> = {
  sent: 'Sent',
  waiting: 'Waiting',
  parked: 'Parked',
  failed: 'Failed',
  not_sent: 'Not for Assembly',
};

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/**
 * MARK › Results in Assembly (the Access Co-ordinator's): what became of each marked paper, by
 * pupil and paper, filtered by state; a failed one says why and can be sent again once the cause
 * is fixed (a grade added to Assembly's grade set, say).
 */
export function ResultsInAssemblyPage() {
  const list = useUserList<DeliveryStatusList>('/api/results/deliveries');
  const { data, query } = list;
  const [notice, setNotice] = useState<{ text: string; failed: boolean } | null>(null);
  const retry = async (rows: DeliveryRow[]) => {
    try {
      const done = await api<{ retried: number }>('POST', '/api/results/deliveries/retry', {
        results: rows.map(({ resultId, version }) => ({ resultId, version })),
      });
      setNotice({
        text: `${done.retried} ${done.retried === 1 ? 'result is' : 'results are'} being sent again. ${
          done.retried === 1 ? 'It shows' : 'They show'
        } Sent once Assembly has ${done.retried === 1 ? 'it' : 'them'}, or Failed with the reason.`,
        failed: false,
      });
    } catch (error) {
      setNotice({ text: error instanceof ApiError ? error.message : 'Could not reach the Admin Hub.', failed: true });
    }
    list.reload();
  };
  if (!data) return <ListNotLoaded error={list.error} noun="results" />;
  const failedHere = data.rows.filter((row) => row.state === 'failed');
  return (
    <section className="user-list">
      <h1>Results in Assembly</h1>
      <p>
        What became of each marked paper in Assembly. A failed result says why; once the cause is fixed, send it again.
        {!data.sharing &&
          ' Results are not being shared with Assembly now: switch sharing on in the Finish step of MIS data sync.'}
      </p>
      <div className="list-controls">
        <SearchBox label="Search results" hint="Pupil or paper" value={query.q ?? ''} onSearch={(q) => list.change({ q })} />
        <FilterSelect
          label="Status"
          value={query.status ?? ''}
          options={(Object.keys(STATE_WORDS) as DeliveryState[]).map((state) => ({
            value: state,
            label: `${STATE_WORDS[state]} (${data.counts[state].toLocaleString('en-GB')})`,
          }))}
          onChange={(status) => list.change({ status })}
        />
      </div>
      {notice && (
        <p className={notice.failed ? 'error' : 'notice'} role={notice.failed ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
      {failedHere.length > 1 && data.sharing && (
        <div className="actions">
          <button type="button" onClick={() => void retry(failedHere)}>
            Send again the {failedHere.length} failed on this page
          </button>
        </div>
      )}
      <ListPager list={data} noun="results" onPage={(page) => list.change({ page: String(page) })} />
      <table aria-busy={list.loading}>
        <thead>
          <tr>
            <th>Pupil</th>
            <th>Paper</th>
            <th>Score</th>
            <th>Sat</th>
            <th>Status</th>
            <th>Why</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {data.rows.map((row) => (
            <tr key={row.resultId} data-state={row.state}>
              <td>{row.pupilName}</td>
              <td>{row.paper}</td>
              <td>{row.standardisedScore}</td>
              <td>{row.sat}</td>
              <td>
                <span className={`badge delivery-${row.state}`}>{STATE_WORDS[row.state]}</span>
                {row.at && row.state !== 'waiting' && (
                  <span className="when">{row.state === 'parked' ? ` until ${when(row.at)}` : ` ${when(row.at)}`}</span>
                )}
              </td>
              <td>{row.reason}</td>
              <td className="row-actions">
                {row.state === 'failed' && data.sharing && (
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Send again ${row.pupilName}, ${row.paper}`}
                    onClick={() => void retry([row])}
                  >
                    Send again
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
