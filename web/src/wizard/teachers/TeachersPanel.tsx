import { useEffect, useState } from 'react';
import type { HubTeacherView, MisStaffView, ReviewRow, TeachersPanelView } from '../../api';
import { Dialog } from '../../Dialog';
import { MatchDialog } from '../MatchDialog';
import { ReviewTable, StruckOut } from '../ReviewTable';
import { RunProgress, type RunWords } from '../RunProgress';
import { useReviewPanel } from '../useReviewPanel';
import { BatchEmailDialog } from './BatchEmailDialog';

type Row = ReviewRow<HubTeacherView, MisStaffView>;
type RoleFilter = 'all' | 'teaching' | 'non_teaching';

const fullName = (person: { title: string | null; firstName: string | null; lastName: string | null }) =>
  [person.title, person.firstName, person.lastName].filter(Boolean).join(' ');
const ROLE_WORDS = { teaching: 'Teaching staff', non_teaching: 'Non-teaching staff' } as const;

const RUN_WORDS: RunWords = {
  steps: {
    backup: 'Backing up the Admin Hub teachers that will change',
    recheck: 'Checking the plan against the latest data',
    apply: 'Importing and matching teachers',
    notify: 'Sending welcome emails',
    done: 'Finishing',
  },
  notices: 'welcome emails',
  summary: (run) =>
    `${run.counts.imported ?? 0} imported, ${run.counts.linked ?? 0} matched, ${run.notices.sent} welcome email${run.notices.sent === 1 ? '' : 's'} sent`,
};

/** School › MIS data sync › Teachers: review, match, tick and give emails before Save and sync. */
export function TeachersPanel() {
  const { panel, load, problem, setProblem, run, locked, send, savePlan, saveAndSync } =
    useReviewPanel<TeachersPanelView>('/api/sync/teachers');
  const [matching, setMatching] = useState<HubTeacherView | null>(null);
  const [batch, setBatch] = useState(false);
  const [unmatching, setUnmatching] = useState<HubTeacherView | null>(null);
  const [restored, setRestored] = useState<string | null>(null);
  const [roleFilter, setRoleFilter] = useState<RoleFilter>('all');
  const [doubtful, setDoubtful] = useState<{ hubId: string; misId: string } | null>(null);

  // A pair matched by hand whose names disagree strongly: ask again.
  useEffect(() => {
    if (!doubtful || !panel) return;
    const row = panel.rows.find((candidate) => 'hub' in candidate && candidate.hub.id === doubtful.hubId);
    if (!row || !('warning' in row) || !row.warning) setDoubtful(null);
  }, [doubtful, panel]);

  if (!panel) {
    return (
      <div className="panel">
        <h2>Teachers</h2>
        {problem ? (
          <p className="error" role="alert">
            {problem}
          </p>
        ) : (
          <div className="loading" role="status">
            <p>Loading all staff from your MIS… this may take up to a minute.</p>
            {load && load.pages > 0 && (
              <p>
                {load.records} staff so far ({load.pages} page{load.pages === 1 ? '' : 's'} from Assembly)
              </p>
            )}
          </div>
        )}
      </div>
    );
  }

  const { plan } = panel;
  const roleOf = (row: Row) => ('mis' in row ? row.mis.role : null);
  const shown = panel.rows.filter((row) => roleFilter === 'all' || !('mis' in row) || roleOf(row) === roleFilter);
  const newShown = shown.filter((row): row is Extract<Row, { status: 'new' }> => row.status === 'new');
  const allTicked = newShown.length > 0 && newShown.every((row) => row.import);
  const tickWhat =
    roleFilter === 'teaching' ? 'new teaching staff' : roleFilter === 'non_teaching' ? 'new non-teaching staff' : 'new staff';
  const doubtfulRow = doubtful
    ? panel.rows.find(
        (row): row is Extract<Row, { hub: HubTeacherView; mis: MisStaffView }> =>
          row.status === 'matched' && row.hub.id === doubtful.hubId,
      )
    : undefined;

  return (
    <div className="panel teachers-panel">
      <h2>Teachers</h2>
      {run && <RunProgress run={run} words={RUN_WORDS} />}
      <p className="counts">
        {panel.counts.notMatched} not matched · {panel.counts.new} new · {panel.counts.mayMatch} may match ·{' '}
        {panel.counts.matched} matched · {panel.counts.importing} to import
      </p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {restored && (
        <p className="notice" role="status">
          {restored}
        </p>
      )}
      <div className="actions">
        <label className="inline">
          Show
          <select value={roleFilter} onChange={(event) => setRoleFilter(event.target.value as RoleFilter)}>
            <option value="all">All staff</option>
            <option value="teaching">Teaching staff</option>
            <option value="non_teaching">Non-teaching staff</option>
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          disabled={locked || newShown.length === 0}
          onClick={() => {
            const ids = new Set(newShown.map((row) => row.mis.id));
            void savePlan({
              ...plan,
              imports: allTicked ? plan.imports.filter((id) => !ids.has(id)) : [...new Set([...plan.imports, ...ids])],
            });
          }}
        >
          {allTicked ? `Untick all ${newShown.length} ${tickWhat}` : `Tick all ${newShown.length} ${tickWhat}`}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={locked || panel.counts.mayMatch === 0}
          onClick={() =>
            savePlan({
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
        <button
          type="button"
          className="secondary"
          onClick={() => setBatch(true)}
          disabled={locked || panel.counts.importing === 0}
        >
          Batch create email addresses
        </button>
        {panel.counts.importing === 0 && <span className="muted">Tick the new teachers to import first.</span>}
      </div>
      <ReviewTable<HubTeacherView, MisStaffView>
        rows={shown}
        locked={locked}
        hubCell={(row) => (
          <StruckOut
            parts={(['title', 'firstName', 'lastName'] as const).map((field) => ({ field, value: row.hub[field] }))}
            overwritten={'overwritten' in row ? row.overwritten : []}
          />
        )}
        misCell={(mis) => (
          <>
            <span className="person">{fullName(mis)}</span>
            {mis.role && <span className="role">{ROLE_WORDS[mis.role]}</span>}
          </>
        )}
        columns={[
          {
            header: 'Email',
            cell: (row) =>
              row.status === 'new' ? (
                <EmailInput
                  row={row}
                  locked={locked}
                  onSave={(email) => savePlan({ ...plan, values: { ...plan.values, [row.mis.id]: { email } } })}
                />
              ) : 'hub' in row ? (
                <span className="email">{row.hub.email}</span>
              ) : null,
          },
        ]}
        importLabel={(mis) => `Import ${fullName(mis)}`}
        onTick={(mis, ticked) =>
          savePlan({ ...plan, imports: ticked ? [...plan.imports, mis.id] : plan.imports.filter((id) => id !== mis.id) })
        }
        onMatch={setMatching}
        onConfirm={(row) => savePlan({ ...plan, confirmed: [...plan.confirmed, { hubId: row.hub.id, misId: row.mis.id }] })}
        onUnmatch={(row) => {
          const pair = { hubId: row.hub.id, misId: row.mis.id };
          const same = (other: typeof pair) => other.hubId === pair.hubId && other.misId === pair.misId;
          void savePlan({
            ...plan,
            manualMatches: plan.manualMatches.filter((other) => !same(other)),
            confirmed: plan.confirmed.filter((other) => !same(other)),
            unmatched: row.source === 'you' ? plan.unmatched : [...plan.unmatched, pair],
          });
        }}
        onUnmatchSynced={setUnmatching}
      />
      {panel.problems.length > 0 && (
        <ul className="problems">
          {panel.problems.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={locked || panel.problems.length > 0}
          onClick={() =>
            saveAndSync(
              Object.fromEntries(
                panel.rows.flatMap((row) =>
                  row.status === 'matched' ? [[row.hub.id, { misId: row.mis.id, version: row.hub.version }]] : [],
                ),
              ),
            )
          }
        >
          Save and sync teachers
        </button>
        <span className="muted">Your choices are saved as you work.</span>
      </div>
      {matching && (
        <MatchDialog
          title={`Match ${fullName(matching)}`}
          listLabel="Staff in your MIS"
          candidates={panel.rows.flatMap((row) =>
            row.status === 'new'
              ? [
                  {
                    id: row.mis.id,
                    name: fullName(row.mis),
                    detail: [row.mis.role ? ROLE_WORDS[row.mis.role] : null, row.mis.email].filter(Boolean).join(' · '),
                  },
                ]
              : [],
          )}
          onCancel={() => setMatching(null)}
          onMatch={async (candidate) => {
            const hubId = matching.id;
            setMatching(null);
            const next = await savePlan({ ...plan, manualMatches: [...plan.manualMatches, { hubId, misId: candidate.id }] });
            if (next) setDoubtful({ hubId, misId: candidate.id });
          }}
        />
      )}
      {doubtful && doubtfulRow?.warning && (
        <Dialog
          title="Are these the same person?"
          confirm={{ label: 'Keep the match', onClick: () => setDoubtful(null) }}
          onCancel={() => {
            setDoubtful(null);
            void savePlan({
              ...plan,
              manualMatches: plan.manualMatches.filter(
                (pair) => !(pair.hubId === doubtful.hubId && pair.misId === doubtful.misId),
              ),
            });
          }}
          cancelLabel="Undo the match"
        >
          <p>
            {fullName(doubtfulRow.hub)} (Admin Hub) and {fullName(doubtfulRow.mis)} (your MIS): {doubtfulRow.warning}
          </p>
          <ul className="reasons">
            {doubtfulRow.reasons.slice(1).map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </Dialog>
      )}
      {unmatching && (
        <Dialog
          title={`Unmatch ${fullName(unmatching)}?`}
          confirm={{
            label: 'Unmatch',
            danger: true,
            onClick: async () => {
              const who = fullName(unmatching);
              setUnmatching(null);
              const next = await send<TeachersPanelView & { restored: { fields: string[]; fromRun: string | null } }>(
                'POST',
                '/api/sync/teachers/unmatch',
                { hubId: unmatching.id },
              );
              if (next)
                setRestored(
                  next.restored.fromRun
                    ? `${who} is unmatched. ${next.restored.fields.length ? `Restored from the backup taken before the sync: ${next.restored.fields.map(fieldWords).join(', ')}.` : 'Their Admin Hub record had not been changed by the sync.'}`
                    : `${who} is unmatched. They were imported by the sync, so there was no earlier record to restore; they keep their account.`,
                );
            },
          }}
          onCancel={() => setUnmatching(null)}
        >
          <p>
            They will no longer be synced with your MIS. Their Admin Hub record is restored as it was before the sync linked it
            (an email changed since is kept). They will show as Not matched here, and the MIS person as New.
          </p>
        </Dialog>
      )}
      {batch && (
        <BatchEmailDialog
          suggestion={panel.emailFormat}
          onCancel={() => setBatch(false)}
          onPreview={(format, domain) =>
            fetchCreated(send, { format, domain, preview: true }).then((created) => created && created.length)
          }
          onCreate={async (format, domain) => {
            const created = await fetchCreated(send, { format, domain });
            if (created === null) return 'Could not create the addresses.';
            setBatch(false);
            setProblem(null);
            setRestored(`${created.length} email address${created.length === 1 ? '' : 'es'} created.`);
            return null;
          }}
        />
      )}
    </div>
  );
}

type Send = ReturnType<typeof useReviewPanel<TeachersPanelView>>['send'];
async function fetchCreated(send: Send, body: { format: string; domain: string; preview?: boolean }) {
  const next = await send<TeachersPanelView & { created: { misId: string; email: string }[] }>(
    'POST',
    '/api/sync/teachers/emails',
    body,
  );
  return next ? next.created : null;
}

const fieldWords = (field: string) => ({ title: 'title', firstName: 'first name', lastName: 'last name' })[field] ?? field;

function EmailInput({
  row,
  locked,
  onSave,
}: {
  row: Extract<Row, { status: 'new' }>;
  locked: boolean;
  onSave(email: string): void;
}) {
  const [value, setValue] = useState(row.mis.email ?? '');
  useEffect(() => setValue(row.mis.email ?? ''), [row.mis.email]);
  return (
    <>
      <input
        type="email"
        className="email-input"
        aria-label={`Email for ${fullName(row.mis)}`}
        value={value}
        disabled={locked}
        aria-invalid={Boolean(row.problem)}
        onChange={(event) => setValue(event.target.value)}
        onBlur={() => value.trim() !== (row.mis.email ?? '') && onSave(value.trim())}
      />
      {row.problem && <p className="field-error">{row.problem}</p>}
    </>
  );
}
