import { useState } from 'react';
import type { HubYearGroupView, MisYearGroupView, PanelView, ReviewRow, YearGroupsReview } from '../../api';
import { withSetting } from '../../../../shared/wizard/review/operations';
import { PanelCounts, PanelLoading, PanelMessages, SaveAndSync, UnmatchGroup } from '../PanelDialogs';
import { MatchByHand } from '../MatchDialog';
import { ReviewTable, StruckOut } from '../ReviewTable';
import { RunProgress, type RunWords } from '../RunProgress';
import { useReviewPanel } from '../useReviewPanel';

type View = PanelView<YearGroupsReview>;
type Row = ReviewRow<HubYearGroupView, MisYearGroupView>;

const PATH = '/api/sync/year-groups';

const RUN_WORDS: RunWords = {
  steps: {
    backup: 'Backing up the Admin Hub year groups that will change',
    recheck: 'Checking the plan against the latest data',
    apply: 'Creating and matching year groups',
    notify: 'Finishing',
    done: 'Finishing',
  },
  notices: 'emails',
  summary: (run) => `${run.counts.imported ?? 0} created, ${run.counts.linked ?? 0} matched or renamed from your MIS`,
};

const yearWords = (code: string | null) => (code === null ? 'No year code' : code === 'R' ? 'Reception' : `Year ${code}`);

/** School › MIS data sync › Year groups: matched by year code, with each year group's intake cohort. */
export function YearGroupsPanel() {
  const { panel, load, problem, run, locked, send, savePlan, saveAndSync, reviewed, rowActions } = useReviewPanel<View>(PATH);
  const [matching, setMatching] = useState<HubYearGroupView | null>(null);
  const [unmatching, setUnmatching] = useState<HubYearGroupView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (!panel)
    return (
      <PanelLoading
        title="Year groups"
        problem={problem}
        waiting="Loading year groups from your MIS…"
        progress={load && load.pages > 0 ? `${load.records} year groups so far` : null}
      />
    );

  const importing = panel.rows.filter((row): row is Extract<Row, { status: 'new' }> => row.status === 'new' && row.import);
  const { schoolYear } = panel;

  return (
    <div className="panel year-groups-panel">
      <h2>Year groups</h2>
      {run && <RunProgress run={run} words={RUN_WORDS} />}
      <div className="school-year">
        <label className="inline">
          Pupils in your MIS started their school year
          <select
            value={schoolYear.choice}
            disabled={locked}
            onChange={(event) => {
              const choice = event.target.value;
              void savePlan((plan) => withSetting(plan, 'schoolYear', choice));
            }}
          >
            <option value="this">this year</option>
            <option value="last">last year</option>
          </select>
        </label>
        <p className="muted">
          {schoolYear.why} {schoolYear.choice === schoolYear.suggested ? 'So this is chosen for you.' : 'You chose otherwise.'}{' '}
          The current intake group is the year a year group’s pupils started Reception, counted from the school year that started
          in {schoolYear.startYear}.
        </p>
      </div>
      {panel.nursery && <p className="muted nursery">{panel.nursery.note}</p>}
      <PanelCounts counts={panel.counts} creates="to create" />
      <PanelMessages problem={problem} notice={notice} />
      <ReviewTable<HubYearGroupView, MisYearGroupView>
        rows={panel.rows}
        locked={locked}
        tickHeader="Sync"
        pairedTick="Already in the Admin Hub: it is synced, and this process never deletes"
        hubCell={(row) => (
          <>
            <StruckOut
              parts={[{ field: 'name', value: row.hub.name }]}
              overwritten={'overwritten' in row ? row.overwritten : []}
            />
            <span className="role">{yearWords(row.hub.yearCode)}</span>
          </>
        )}
        misCell={(mis) => (
          <>
            <span className="person">{mis.name}</span>
            <span className="role">
              {yearWords(mis.code)} · {mis.pupils} pupil{mis.pupils === 1 ? '' : 's'}
            </span>
          </>
        )}
        columns={[
          {
            header: 'Current intake group (cohort)',
            cell: (row) => {
              const cohort = 'mis' in row ? row.mis.cohort : null;
              const was = 'hub' in row ? row.hub.intakeYear : null;
              if (cohort === null) return was ?? '';
              return was !== null && was !== cohort && 'hub' in row ? (
                <>
                  <del title={`Your MIS makes it ${cohort}`}>{was}</del> <span className="cohort">{cohort}</span>
                </>
              ) : (
                <span className="cohort">{cohort}</span>
              );
            },
          },
        ]}
        importLabel={(mis) => `Create ${mis.name}`}
        {...rowActions}
        onMatch={setMatching}
        onUnmatchSynced={setUnmatching}
      />
      <SaveAndSync
        problems={panel.problems}
        locked={locked}
        label="Save and sync year groups"
        creating={{
          people: importing.map((row) => `${row.mis.name} (intake ${row.mis.cohort ?? 'unknown'})`),
          noun: { one: 'new year group', many: 'new year groups' },
          records: { one: 'Admin Hub year group', many: 'Admin Hub year groups' },
          consequence: ' from your MIS; nothing in the Admin Hub is deleted',
          caution: null,
        }}
        onSave={() => void saveAndSync(reviewed())}
      />
      {matching && (
        <MatchByHand
          hub={matching}
          title={`Match ${matching.name}`}
          listLabel="Year groups in your MIS"
          candidates={panel.rows.flatMap((row) =>
            row.status === 'new' ? [{ id: row.mis.id, name: row.mis.name, detail: yearWords(row.mis.code) }] : [],
          )}
          savePlan={savePlan}
          onClose={() => setMatching(null)}
        />
      )}
      {unmatching && (
        <UnmatchGroup
          record={unmatching}
          imported={unmatching.id.startsWith('mis-year-')}
          group={{ noun: 'year group', holds: 'pupils' }}
          path={PATH}
          send={send}
          onClose={() => setUnmatching(null)}
          onDone={setNotice}
        />
      )}
    </div>
  );
}
