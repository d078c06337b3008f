import { useEffect, useState } from 'react';
import type { HubTeacherView, MisStaffView, ReviewRow, TeachersPanelView } from '../../api';
import { confirmPairs, unmatchPair, withValue } from '../../../../shared/wizard/review/operations';
import { fullName } from '../../../../shared/wizard/teachers/ids';
import { PanelCounts, PanelLoading, PanelMessages, SamePerson, SaveAndSync, UnmatchPerson } from '../PanelDialogs';
import { MatchByHand } from '../MatchDialog';
import { ReviewTable, StruckOut } from '../ReviewTable';
import { RunProgress, type RunWords } from '../RunProgress';
import { useReviewPanel } from '../useReviewPanel';
import { BatchEmailDialog } from './BatchEmailDialog';

type Row = ReviewRow<HubTeacherView, MisStaffView>;
type RoleFilter = 'all' | 'teaching' | 'non_teaching';

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
    `${run.counts.imported ?? 0} imported, ${run.counts.linked ?? 0} matched or updated from your MIS, ${run.notices.sent} welcome email${run.notices.sent === 1 ? '' : 's'} sent`,
};

/** School › MIS data sync › Teachers: review, match, tick and give emails before Save and sync. */
export function TeachersPanel() {
  const { panel, load, problem, setProblem, run, locked, send, savePlan, saveAndSync, reviewed, tick, rowActions } =
    useReviewPanel<TeachersPanelView>('/api/sync/teachers');
  const [matching, setMatching] = useState<HubTeacherView | null>(null);
  const [batch, setBatch] = useState(false);
  const [unmatching, setUnmatching] = useState<HubTeacherView | null>(null);
  const [restored, setRestored] = useState<string | null>(null);
  const [roleFilter, setRoleFilter] = useState<RoleFilter | null>(null);
  const [doubtful, setDoubtful] = useState<{ hubId: string; misId: string } | null>(null);

  // A pair matched by hand whose names disagree strongly: ask again.
  useEffect(() => {
    if (!doubtful || !panel) return;
    const row = panel.rows.find((candidate) => 'hub' in candidate && candidate.hub.id === doubtful.hubId);
    if (!row || !('warning' in row) || !row.warning) setDoubtful(null);
  }, [doubtful, panel]);

  if (!panel)
    return (
      <PanelLoading
        title="Teachers"
        problem={problem}
        waiting="Loading all staff from your MIS… this may take up to a minute."
        progress={
          load && load.pages > 0
            ? `${load.records} staff so far (${load.pages} page${load.pages === 1 ? '' : 's'} from Assembly)`
            : null
        }
      />
    );

  const roleOf = (row: Row) => ('mis' in row ? row.mis.role : null);
  // Most staff in a MIS do not need MARK: where the MIS says who teaches, teaching staff are shown first.
  const rolesKnown = panel.rows.some((row) => roleOf(row) !== null);
  const filter: RoleFilter = roleFilter ?? (rolesKnown ? 'teaching' : 'all');
  // The filter narrows the New rows (who to import); everyone already in the Admin Hub stays in view.
  const shown = panel.rows.filter((row) => filter === 'all' || row.status !== 'new' || roleOf(row) === filter);
  const newShown = shown.filter((row): row is Extract<Row, { status: 'new' }> => row.status === 'new');
  const allTicked = newShown.length > 0 && newShown.every((row) => row.import);
  const tickWhat =
    filter === 'teaching' ? 'new teaching staff' : filter === 'non_teaching' ? 'new non-teaching staff' : 'new staff';
  const importing = panel.rows.filter((row): row is Extract<Row, { status: 'new' }> => row.status === 'new' && row.import);
  const nonTeaching = importing.filter((row) => row.mis.role === 'non_teaching').length;
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
      <PanelCounts counts={panel.counts} creates="to import" />
      <PanelMessages problem={problem} notice={restored} />
      <div className="actions">
        <label className="inline">
          New staff to show
          <select value={filter} onChange={(event) => setRoleFilter(event.target.value as RoleFilter)}>
            <option value="all">All staff</option>
            <option value="teaching">Teaching staff</option>
            <option value="non_teaching">Non-teaching staff</option>
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          disabled={locked || newShown.length === 0}
          onClick={() =>
            tick(
              newShown.map((row) => row.mis.id),
              !allTicked,
            )
          }
        >
          {allTicked ? `Untick all ${newShown.length} ${tickWhat}` : `Tick all ${newShown.length} ${tickWhat}`}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={locked || panel.counts.mayMatch === 0}
          onClick={() =>
            savePlan((plan) =>
              confirmPairs(
                plan,
                panel.rows.flatMap((row) => (row.status === 'mayMatch' ? [{ hubId: row.hub.id, misId: row.mis.id }] : [])),
              ),
            )
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
                  onSave={(email) => savePlan((plan) => withValue(plan, row.mis.id, 'email', email))}
                />
              ) : 'hub' in row ? (
                <>
                  <span className="email">{row.hub.email}</span>
                  {'mis' in row && row.mis.email && row.mis.email.toLowerCase() !== row.hub.email?.toLowerCase() && (
                    <span className="email">Your MIS: {row.mis.email}</span>
                  )}
                </>
              ) : null,
          },
        ]}
        importLabel={(mis) => `Import ${fullName(mis)}`}
        {...rowActions}
        onMatch={setMatching}
        onUnmatchSynced={setUnmatching}
      />
      <SaveAndSync
        problems={panel.problems}
        locked={locked}
        label="Save and sync teachers"
        creating={{
          people: importing.map((row) => `${fullName(row.mis)} (${row.mis.email ?? ''})`),
          noun: { one: 'new teacher', many: 'new teachers' },
          consequence: ', and each will be sent a welcome email to set a password',
          caution:
            nonTeaching > 0
              ? `${nonTeaching} of them ${nonTeaching === 1 ? 'is' : 'are'} non-teaching staff, who may not need MARK.`
              : null,
        }}
        onSave={() => void saveAndSync(reviewed())}
      />
      {matching && (
        <MatchByHand
          hub={matching}
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
          savePlan={savePlan}
          onClose={() => setMatching(null)}
          onMatched={setDoubtful}
        />
      )}
      {doubtful && doubtfulRow?.warning && (
        <SamePerson
          hubName={fullName(doubtfulRow.hub)}
          misName={fullName(doubtfulRow.mis)}
          warning={doubtfulRow.warning}
          reasons={doubtfulRow.reasons.slice(1)}
          onKeep={() => setDoubtful(null)}
          onUndo={() => {
            setDoubtful(null);
            void savePlan((plan) => unmatchPair(plan, doubtful, true));
          }}
        />
      )}
      {unmatching && (
        <UnmatchPerson
          record={unmatching}
          name={fullName(unmatching)}
          imported={unmatching.imported}
          path="/api/sync/teachers"
          send={send}
          nameOf={fullName}
          fieldWords={fieldWords}
          onClose={() => setUnmatching(null)}
          onDone={setRestored}
        />
      )}
      {batch && (
        <BatchEmailDialog
          suggestion={panel.emailFormat}
          onCancel={() => setBatch(false)}
          withMisAddress={panel.rows.filter((row) => row.status === 'new' && row.import && row.mis.email).length}
          onPreview={(format, domain, replaceMisAddresses) =>
            fetchCreated(send, { format, domain, preview: true, replaceMisAddresses }).then(
              (created) => created && created.length,
            )
          }
          onCreate={async (format, domain, replaceMisAddresses) => {
            const created = await fetchCreated(send, { format, domain, replaceMisAddresses });
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
async function fetchCreated(
  send: Send,
  body: { format: string; domain: string; preview?: boolean; replaceMisAddresses?: boolean },
) {
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
