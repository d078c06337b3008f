import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../api';
import { Dialog } from '../Dialog';

interface Person {
  id: string;
  title: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}
interface Pair {
  hubId: string;
  misId: string;
}
interface Plan {
  imports: string[];
  manualMatches: Pair[];
  unmatched: Pair[];
  confirmed: Pair[];
  emails: Record<string, string>;
}
type Row =
  | { status: 'notMatched'; hub: Person }
  | { status: 'new'; mis: Person; import: boolean; email: string; emailProblem: string | null }
  | {
      status: 'mayMatch' | 'matched';
      hub: Person;
      mis: Person;
      reasons: string[];
      source: 'linked' | 'system' | 'confirmed' | 'you';
      overwritten: { field: 'title' | 'firstName' | 'lastName'; hubValue: string | null; misValue: string | null }[];
    };
interface Panel {
  rows: Row[];
  counts: { notMatched: number; new: number; mayMatch: number; matched: number; importing: number };
  problems: string[];
  plan: Plan;
}

const STATUS: Record<Row['status'], string> = {
  notMatched: 'Not matched',
  new: 'New',
  mayMatch: 'May match',
  matched: 'Matched',
};
const FORMATS = ['{first}.{last}', '{f}{last}', '{first}{l}', '{last}.{first}'];
const fullName = (person: Person) => [person.title, person.firstName, person.lastName].filter(Boolean).join(' ');

/** School › MIS data sync › Teachers: review, match, tick and give emails before Save and sync. */
export function TeachersPanel() {
  const [panel, setPanel] = useState<Panel | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [matching, setMatching] = useState<Person | null>(null);
  const [batch, setBatch] = useState(false);
  const [run, setRun] = useState<Run | null>(null);

  const saveAndSync = async () => {
    try {
      let current = await api<Run>('POST', '/api/sync/teachers/save');
      setRun(current);
      while (current.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        current = await api<Run>('GET', `/api/sync/runs/${encodeURIComponent(current.runId)}`);
        setRun(current);
      }
      setPanel(await api<Panel>('GET', '/api/sync/teachers'));
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'Could not save and sync.');
    }
  };

  useEffect(() => {
    api<Panel>('GET', '/api/sync/teachers')
      .then(setPanel)
      .catch((error: unknown) => setProblem(error instanceof ApiError ? error.message : 'Could not load your teachers.'));
  }, []);

  const save = useCallback(async (plan: Plan) => {
    try {
      setPanel(await api<Panel>('PUT', '/api/sync/teachers/plan', plan));
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof ApiError ? (Object.values(error.fields)[0] ?? error.message) : 'Could not save your changes.');
    }
  }, []);

  if (!panel) {
    return (
      <div className="panel">
        <h2>Teachers</h2>
        {problem ? (
          <p className="error" role="alert">
            {problem}
          </p>
        ) : (
          <p className="loading" role="status">
            Loading all staff from your MIS… this may take up to a minute.
          </p>
        )}
      </div>
    );
  }

  const { plan } = panel;
  const newRows = panel.rows.filter((row): row is Extract<Row, { status: 'new' }> => row.status === 'new');
  const allTicked = newRows.length > 0 && newRows.every((row) => row.import);
  const unmatch = (row: Extract<Row, { hub: Person; mis: Person }>) => {
    const pair = { hubId: row.hub.id, misId: row.mis.id };
    const same = (other: Pair) => other.hubId === pair.hubId && other.misId === pair.misId;
    void save({
      ...plan,
      manualMatches: plan.manualMatches.filter((other) => !same(other)),
      confirmed: plan.confirmed.filter((other) => !same(other)),
      unmatched: row.source === 'you' ? plan.unmatched : [...plan.unmatched, pair],
    });
  };

  return (
    <div className="panel teachers-panel">
      <h2>Teachers</h2>
      <p className="counts">
        {panel.counts.notMatched} not matched · {panel.counts.new} new · {panel.counts.mayMatch} may match ·{' '}
        {panel.counts.matched} matched · {panel.counts.importing} to import
      </p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={() => save({ ...plan, imports: allTicked ? [] : newRows.map((row) => row.mis.id) })}
        >
          {allTicked ? 'Untick all' : 'Tick all new teachers'}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={panel.counts.mayMatch === 0}
          onClick={() =>
            save({
              ...plan,
              confirmed: [
                ...plan.confirmed,
                ...panel.rows.flatMap((row) => (row.status === 'mayMatch' ? [{ hubId: row.hub.id, misId: row.mis.id }] : [])),
              ],
            })
          }
        >
          Confirm all May match
        </button>
        <button type="button" className="secondary" onClick={() => setBatch(true)} disabled={panel.counts.importing === 0}>
          Batch create email addresses
        </button>
      </div>
      <table className="teachers">
        <thead>
          <tr>
            <th>Status</th>
            <th>Existing Admin Hub</th>
            <th>Your MIS</th>
            <th>Email</th>
            <th>Import</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {panel.rows.map((row) => (
            <tr
              key={row.status === 'new' ? `m-${row.mis.id}` : row.status === 'notMatched' ? `h-${row.hub.id}` : `p-${row.hub.id}`}
              data-status={row.status}
            >
              <td>
                <span className={`status status-${row.status}`}>{STATUS[row.status]}</span>
              </td>
              <td>{'hub' in row && <HubName row={row} />}</td>
              <td>
                {'mis' in row && fullName(row.mis)}
                {'reasons' in row && (
                  <ul className="reasons">
                    {row.reasons.map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                {row.status === 'new' ? (
                  <EmailInput row={row} onSave={(email) => save({ ...plan, emails: { ...plan.emails, [row.mis.id]: email } })} />
                ) : (
                  'hub' in row && row.hub.email
                )}
              </td>
              <td>
                {row.status === 'new' && (
                  <input
                    type="checkbox"
                    aria-label={`Import ${fullName(row.mis)}`}
                    checked={row.import}
                    onChange={(event) =>
                      save({
                        ...plan,
                        imports: event.target.checked
                          ? [...plan.imports, row.mis.id]
                          : plan.imports.filter((id) => id !== row.mis.id),
                      })
                    }
                  />
                )}
              </td>
              <td>
                {row.status === 'notMatched' && (
                  <button type="button" className="secondary" onClick={() => setMatching(row.hub)}>
                    Match
                  </button>
                )}
                {row.status === 'mayMatch' && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => save({ ...plan, confirmed: [...plan.confirmed, { hubId: row.hub.id, misId: row.mis.id }] })}
                  >
                    Confirm
                  </button>
                )}
                {(row.status === 'mayMatch' || row.status === 'matched') && row.source !== 'linked' && (
                  <button type="button" className="secondary" onClick={() => unmatch(row)}>
                    Unmatch
                  </button>
                )}
                {row.status === 'matched' && row.source === 'linked' && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={async () => {
                      if (
                        !window.confirm(
                          `Unmatch ${fullName(row.hub)}? Their Admin Hub record is restored as it was before the sync.`,
                        )
                      )
                        return;
                      try {
                        setPanel(await api<Panel>('POST', '/api/sync/teachers/unmatch', { hubId: row.hub.id }));
                      } catch (error) {
                        setProblem(error instanceof ApiError ? error.message : 'Could not unmatch.');
                      }
                    }}
                  >
                    Unmatch
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {panel.problems.length > 0 && (
        <ul className="problems">
          {panel.problems.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" disabled={panel.problems.length > 0 || run?.status === 'running'} onClick={saveAndSync}>
          Save and sync teachers
        </button>
        <span className="muted">Your choices are saved as you work.</span>
      </div>
      {run && <RunProgress run={run} />}
      {matching && (
        <MatchDialog
          hub={matching}
          candidates={newRows.map((row) => row.mis)}
          onCancel={() => setMatching(null)}
          onMatch={(mis) => {
            setMatching(null);
            void save({ ...plan, manualMatches: [...plan.manualMatches, { hubId: matching.id, misId: mis.id }] });
          }}
        />
      )}
      {batch && (
        <BatchEmailDialog
          onCancel={() => setBatch(false)}
          onCreate={async (format, domain) => {
            try {
              setPanel(await api<Panel>('POST', '/api/sync/teachers/emails', { format, domain }));
              setBatch(false);
              return null;
            } catch (error) {
              return error instanceof ApiError
                ? (Object.values(error.fields)[0] ?? error.message)
                : 'Could not create the addresses.';
            }
          }}
        />
      )}
    </div>
  );
}

interface Run {
  runId: string;
  status: 'running' | 'succeeded' | 'failed';
  step: 'backup' | 'match' | 'apply' | 'email' | 'done';
  progress: { done: number; total: number };
  counts: { imported: number; linked: number; emailsSent: number };
  failures: { misId: string; reason: string }[];
  failureReason: string | null;
}

const STEP: Record<Run['step'], string> = {
  backup: 'Backing up the Admin Hub records that will change',
  match: 'Checking the plan against the latest data',
  apply: 'Importing and matching teachers',
  email: 'Sending welcome emails',
  done: 'Finishing',
};

/** Progress of a Save and sync, then its outcome. */
function RunProgress({ run }: { run: Run }) {
  if (run.status === 'running') {
    return (
      <div className="run" role="status">
        <p>
          {STEP[run.step]}… ({run.progress.done} of {run.progress.total})
        </p>
        <progress max={Math.max(1, run.progress.total)} value={run.progress.done} />
      </div>
    );
  }
  if (run.status === 'failed') {
    return (
      <div className="run error" role="alert">
        <p>The sync did not complete. {run.failureReason}</p>
      </div>
    );
  }
  return (
    <div className="run" role="status">
      <p>
        Sync complete: {run.counts.imported} imported, {run.counts.linked} matched, {run.counts.emailsSent} welcome email
        {run.counts.emailsSent === 1 ? '' : 's'} sent.
      </p>
      {run.failures.length > 0 && (
        <ul className="problems">
          {run.failures.map((failure) => (
            <li key={failure.misId}>{failure.reason}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function HubName({ row }: { row: Row & { hub: Person } }) {
  const overwritten = 'overwritten' in row ? new Map(row.overwritten.map((change) => [change.field, change])) : new Map();
  const part = (field: 'title' | 'firstName' | 'lastName') => {
    const value = row.hub[field];
    if (!value) return null;
    return overwritten.has(field) ? (
      <del key={field} title={`Your MIS says ${overwritten.get(field).misValue}`}>
        {value}
      </del>
    ) : (
      <span key={field}>{value}</span>
    );
  };
  return (
    <span className="person">
      {(['title', 'firstName', 'lastName'] as const)
        .map(part)
        .filter(Boolean)
        .flatMap((node, index) => (index ? [' ', node] : [node]))}
    </span>
  );
}

function EmailInput({ row, onSave }: { row: Extract<Row, { status: 'new' }>; onSave(email: string): void }) {
  const [value, setValue] = useState(row.email);
  useEffect(() => setValue(row.email), [row.email]);
  return (
    <>
      <input
        type="email"
        aria-label={`Email for ${fullName(row.mis)}`}
        value={value}
        aria-invalid={Boolean(row.emailProblem)}
        onChange={(event) => setValue(event.target.value)}
        onBlur={() => value !== row.email && onSave(value.trim())}
      />
      {row.emailProblem && <p className="field-error">{row.emailProblem}</p>}
    </>
  );
}

function MatchDialog({
  hub,
  candidates,
  onCancel,
  onMatch,
}: {
  hub: Person;
  candidates: Person[];
  onCancel(): void;
  onMatch(mis: Person): void;
}) {
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    return candidates.filter((person) => words.every((word) => fullName(person).toLowerCase().includes(word)));
  }, [candidates, filter]);
  return (
    <Dialog
      title={`Match ${fullName(hub)}`}
      confirm={{ label: 'Match', disabled: !chosen, onClick: () => onMatch(candidates.find((person) => person.id === chosen)!) }}
      onCancel={onCancel}
    >
      <label>
        Filter
        <input value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="Part of a name" autoFocus />
      </label>
      <ul className="choices" role="listbox" aria-label="Staff in your MIS">
        {shown.map((person) => (
          <li
            key={person.id}
            role="option"
            aria-selected={chosen === person.id}
            className={chosen === person.id ? 'chosen' : undefined}
            onClick={() => setChosen(person.id)}
          >
            {fullName(person)} {person.email && <span className="muted">{person.email}</span>}
          </li>
        ))}
        {shown.length === 0 && <li className="muted">No unmatched staff in your MIS by that name.</li>}
      </ul>
    </Dialog>
  );
}

function BatchEmailDialog({
  onCancel,
  onCreate,
}: {
  onCancel(): void;
  onCreate(format: string, domain: string): Promise<string | null>;
}) {
  const [format, setFormat] = useState(FORMATS[0]!);
  const [custom, setCustom] = useState('');
  const [domain, setDomain] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <Dialog
      title="Batch create email addresses"
      confirm={{
        label: 'Create addresses',
        onClick: async () => setProblem(await onCreate(format === 'custom' ? custom : format, domain)),
      }}
      onCancel={onCancel}
    >
      <label>
        Your school’s email format
        <select value={format} onChange={(event) => setFormat(event.target.value)}>
          {FORMATS.map((option) => (
            <option key={option} value={option}>
              {option}@
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {format === 'custom' && (
        <label>
          Custom format
          <input value={custom} onChange={(event) => setCustom(event.target.value)} placeholder="{first}_{last}" />
        </label>
      )}
      <label>
        Domain
        <input value={domain} onChange={(event) => setDomain(event.target.value)} placeholder="oakfield.sch.uk" />
      </label>
      {problem && <p className="field-error">{problem}</p>}
    </Dialog>
  );
}
