import { useEffect, useState } from 'react';
import type { ClassesReview, HubClassView, MisClassView, PanelView, ReviewRow } from '../../api';
import { withValue } from '../../../../shared/wizard/review/operations';
import { mixedYearsWords } from '../../../../shared/wizard/classes/panel';
import { PanelCounts, PanelLoading, PanelMessages, SaveAndSync, UnmatchGroup } from '../PanelDialogs';
import { MatchByHand } from '../MatchDialog';
import { ReviewTable, StruckOut } from '../ReviewTable';
import { RunProgress, type RunWords } from '../RunProgress';
import { useReviewPanel } from '../useReviewPanel';

type View = PanelView<ClassesReview>;
type Row = ReviewRow<HubClassView, MisClassView>;

const PATH = '/api/sync/classes';

const RUN_WORDS: RunWords = {
  steps: {
    backup: 'Backing up the Admin Hub classes that will change',
    recheck: 'Checking the plan against the latest data',
    apply: 'Creating and matching classes',
    notify: 'Finishing',
    done: 'Finishing',
  },
  notices: 'emails',
  summary: (run) => `${run.counts.imported ?? 0} created, ${run.counts.linked ?? 0} matched or updated from your MIS`,
};

const kindWords = (mis: MisClassView) =>
  mis.kind === 'teaching' ? `Teaching group${mis.subject ? ` · ${mis.subject}` : ''}` : 'Registration group';
const yearsWords = (years: string[]) =>
  years.length > 1 ? mixedYearsWords(years) : years[0] === 'R' ? 'Reception' : years[0] ? `Year ${years[0]}` : 'No pupils';

/** School › MIS data sync › Classes: matched by name; new classes go into a synced year group, with their teachers. */
export function ClassesPanel() {
  const { panel, load, problem, run, locked, send, savePlan, saveAndSync, reviewed, tick, rowActions } =
    useReviewPanel<View>(PATH);
  const [matching, setMatching] = useState<HubClassView | null>(null);
  const [unmatching, setUnmatching] = useState<HubClassView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (!panel)
    return (
      <PanelLoading
        title="Classes"
        problem={problem}
        waiting="Loading classes from your MIS…"
        progress={load && load.pages > 0 ? `${load.records} classes so far` : null}
      />
    );

  const newRows = panel.rows.filter((row): row is Extract<Row, { status: 'new' }> => row.status === 'new');
  const importing = newRows.filter((row) => row.import);
  const allTicked = newRows.length > 0 && newRows.every((row) => row.import);

  return (
    <div className="panel classes-panel">
      <h2>Classes</h2>
      {run && <RunProgress run={run} words={RUN_WORDS} />}
      {panel.nursery && <p className="muted nursery">{panel.nursery.note}</p>}
      {panel.yearGroupOptions.length === 0 && (
        <p className="notice">Sync your year groups in the Year groups panel first: each new class goes into one.</p>
      )}
      <PanelCounts counts={{ ...panel.counts, mayMatch: undefined }} creates="to create" />
      <PanelMessages problem={problem} notice={notice} />
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={locked || newRows.length === 0}
          onClick={() =>
            tick(
              newRows.map((row) => row.mis.id),
              !allTicked,
            )
          }
        >
          {allTicked ? `Untick all ${newRows.length} new classes` : `Tick all ${newRows.length} new classes`}
        </button>
      </div>
      <ReviewTable<HubClassView, MisClassView>
        rows={panel.rows}
        locked={locked}
        tickHeader="Create"
        pairedTick="Already in the Admin Hub: it is synced, and this process never deletes"
        hubCell={(row) => (
          <>
            <StruckOut
              parts={[{ field: 'name', value: row.hub.name }]}
              overwritten={'overwritten' in row ? row.overwritten : []}
            />
            {row.hub.teachers.length > 0 && <span className="role">{row.hub.teachers.join(', ')}</span>}
          </>
        )}
        misCell={(mis) => (
          <>
            <span className="person">{mis.name}</span>
            <span className="role">
              {kindWords(mis)} · {mis.pupils} pupil{mis.pupils === 1 ? '' : 's'} · {yearsWords(mis.years)}
            </span>
            {mis.teachers.length > 0 && (
              <ul className="teachers" aria-label={`Teachers of ${mis.name}`}>
                {mis.teachers.map((teacher) => (
                  <li key={teacher.name}>
                    {teacher.name}
                    {!teacher.synced && <span className="muted"> (not synced yet)</span>}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
        columns={[
          {
            header: 'Year group and description',
            cell: (row) =>
              row.status === 'new' ? (
                <div className="new-class">
                  <YearGroupChoice
                    row={row}
                    options={panel.yearGroupOptions}
                    locked={locked}
                    onChoose={(id) => void savePlan((plan) => withValue(plan, row.mis.id, 'yearGroup', id))}
                  />
                  <DescriptionInput
                    row={row}
                    locked={locked}
                    onSave={(text) => void savePlan((plan) => withValue(plan, row.mis.id, 'description', text))}
                  />
                </div>
              ) : 'hub' in row ? (
                <>
                  {row.hub.yearGroup ?? ''}
                  {row.hub.description && <span className="role">{row.hub.description}</span>}
                </>
              ) : null,
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
        label="Save and sync classes"
        creating={{
          people: importing.map((row) => `${row.mis.name} (${yearsWords(row.mis.years)})`),
          noun: { one: 'new class', many: 'new classes' },
          records: { one: 'Admin Hub class', many: 'Admin Hub classes' },
          consequence: ' from your MIS; nothing in the Admin Hub is deleted',
          caution: null,
        }}
        onSave={() => void saveAndSync(reviewed())}
      />
      {matching && (
        <MatchByHand
          hub={matching}
          title={`Match ${matching.name}`}
          listLabel="Classes in your MIS"
          candidates={newRows.map((row) => ({
            id: row.mis.id,
            name: row.mis.name,
            detail: `${kindWords(row.mis)} · ${yearsWords(row.mis.years)}`,
          }))}
          savePlan={savePlan}
          onClose={() => setMatching(null)}
        />
      )}
      {unmatching && (
        <UnmatchGroup
          record={unmatching}
          imported={unmatching.id.startsWith('mis-class-')}
          group={{ noun: 'class', holds: 'pupils' }}
          path={PATH}
          send={send}
          onClose={() => setUnmatching(null)}
          onDone={setNotice}
        />
      )}
    </div>
  );
}

function YearGroupChoice({
  row,
  options,
  locked,
  onChoose,
}: {
  row: Extract<Row, { status: 'new' }>;
  options: { id: string; name: string }[];
  locked: boolean;
  onChoose(id: string): void;
}) {
  return (
    <>
      <select
        aria-label={`Year group for ${row.mis.name}`}
        value={row.mis.yearGroupId ?? ''}
        disabled={locked}
        aria-invalid={Boolean(row.problem)}
        onChange={(event) => onChoose(event.target.value)}
      >
        <option value="">Choose…</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
      {row.problem && <p className="field-error">{row.problem}</p>}
    </>
  );
}

function DescriptionInput({
  row,
  locked,
  onSave,
}: {
  row: Extract<Row, { status: 'new' }>;
  locked: boolean;
  onSave(text: string): void;
}) {
  const [value, setValue] = useState(row.mis.description);
  useEffect(() => setValue(row.mis.description), [row.mis.description]);
  return (
    <input
      type="text"
      className="description-input"
      aria-label={`Description of ${row.mis.name}`}
      placeholder="Optional"
      maxLength={200}
      value={value}
      disabled={locked}
      onChange={(event) => setValue(event.target.value)}
      onBlur={() => value.trim() !== row.mis.description && onSave(value.trim())}
    />
  );
}
