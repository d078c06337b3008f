import { useEffect, useMemo, useState } from 'react';
import type { HubPupilView, MisPupilView, Overwrite, PanelView, PupilsReview, ReviewRow } from '../../api';
import { confirmPairs } from '../../../../shared/wizard/review/operations';
import { filterRows, NO_FILTER, type RowFilter } from '../../../../shared/wizard/review/search';
import { REVIEW_ORDER } from '../../../../shared/wizard/review/rows';
import { PanelCounts, PanelLoading, PanelMessages, SaveAndSync, UnmatchPerson } from '../PanelDialogs';
import { MatchByHand } from '../MatchDialog';
import { ReviewTable, STATUS_WORDS, StruckOut } from '../ReviewTable';
import { RunProgress, type RunWords } from '../RunProgress';
import { useReviewPanel } from '../useReviewPanel';
import { Dialog } from '../../Dialog';
import { PupilSelection } from './PupilSelection';

type View = PanelView<PupilsReview>;
type Row = ReviewRow<HubPupilView, MisPupilView>;
type Pair = Extract<Row, { hub: HubPupilView; mis: MisPupilView }>;

const PATH = '/api/sync/pupils';

const RUN_WORDS: RunWords = {
  steps: {
    backup: 'Backing up the Admin Hub pupils that will change',
    recheck: 'Checking the plan against the latest data',
    apply: 'Importing and matching pupils',
    notify: 'Finishing',
    done: 'Finishing',
  },
  notices: 'records',
  summary: (run) => `${run.counts.imported ?? 0} imported, ${run.counts.linked ?? 0} matched or updated from your MIS`,
};

const name = (pupil: { firstName: string; middleName: string | null; lastName: string }) =>
  [pupil.firstName, pupil.middleName, pupil.lastName].filter(Boolean).join(' ');
// One formatter for every row: making one per call (toLocaleDateString) costs a frame on a long scroll.
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dateWords = (iso: string | null) => (iso ? DATE.format(new Date(`${iso}T00:00:00Z`)) : null);
const FIELD_WORDS: Record<string, string> = {
  firstName: 'first name',
  middleName: 'middle name',
  lastName: 'last name',
  dob: 'date of birth',
  upn: 'UPN',
  gender: 'gender',
  pupilPremium: 'pupil premium',
  yearGroup: 'year group',
  classes: 'classes',
  intakeYear: 'intake year',
  yearGroupId: 'year group',
  classIds: 'classes',
};

/** A pupil's details, each as the co-ordinator reads it, keyed by the field the MIS may overwrite. */
function facts(pupil: HubPupilView | MisPupilView): { field: string; text: string | null }[] {
  return [
    { field: 'dob', text: pupil.dob ? `Born ${dateWords(pupil.dob)}` : 'No date of birth' },
    { field: 'gender', text: pupil.gender === 'F' ? 'Female' : pupil.gender === 'M' ? 'Male' : null },
    { field: 'yearGroup', text: pupil.yearGroup },
    { field: 'classes', text: pupil.classes.length ? pupil.classes.join(', ') : null },
    { field: 'upn', text: pupil.upnTail ? `UPN\u00a0…${pupil.upnTail}` : null },
    { field: 'pupilPremium', text: pupil.pupilPremium ? 'Pupil premium' : null },
    { field: 'intakeYear', text: pupil.intakeYear ? `${pupil.intakeYear} intake` : null },
  ];
}

/** The details line under a name; on the Hub side, each value the MIS will overwrite is struck out. */
function Facts({ pupil, overwritten }: { pupil: HubPupilView | MisPupilView; overwritten?: Overwrite[] }) {
  const replaced = new Map((overwritten ?? []).map((change) => [change.field, change]));
  const shown = facts(pupil).filter((fact) => fact.text);
  return (
    <span className="role facts">
      {shown.map((fact, index) => {
        const change = replaced.get(fact.field);
        if (fact.field === 'classes' && pupil.classes.length)
          return (
            <span key={fact.field}>
              {index > 0 && ' · '}
              {pupil.classes.map((group, at) => (
                <span key={group}>
                  {at > 0 && ', '}
                  {change?.leaves?.includes(group) ? (
                    <del title="Your MIS no longer has the pupil in this class">{group}</del>
                  ) : change?.keeps?.includes(group) ? (
                    <span title="A class only in the Admin Hub: the sync leaves the pupil in it">
                      {group} <span className="muted">(stays: Admin Hub only)</span>
                    </span>
                  ) : (
                    group
                  )}
                </span>
              ))}
            </span>
          );
        return (
          <span key={fact.field}>
            {index > 0 && ' · '}
            {change && !(fact.field === 'dob' && !pupil.dob) ? (
              <del title={`Your MIS says ${misWords(change)}: it will replace this`}>{fact.text}</del>
            ) : (
              fact.text
            )}
          </span>
        );
      })}
    </span>
  );
}

const misWords = (change: Overwrite) =>
  change.field === 'dob' ? (dateWords(change.misValue) ?? 'no date of birth') : (change.misValue ?? 'nothing');

const detailOf = (mis: MisPupilView) =>
  facts(mis)
    .filter((fact) => fact.text && fact.field !== 'pupilPremium' && fact.field !== 'intakeYear')
    .map((fact) => fact.text)
    .join(' · ');

/**
 * School › MIS data sync › Pupils: choose which MIS pupils to review, then review them against
 * every Admin Hub pupil: confirm each May match, tick who is written, and Save and sync.
 */
export function PupilsPanel() {
  const review = useReviewPanel<View>(PATH, { autoload: false });
  const { panel, setPanel, load, start, problem, run, locked, send, savePlan, saveAndSync, reviewed, tick, tickPairs } = review;
  const [choosing, setChoosing] = useState(true);
  const [filter, setFilter] = useState<RowFilter>(NO_FILTER);
  const [matching, setMatching] = useState<HubPupilView | null>(null);
  const [unmatching, setUnmatching] = useState<HubPupilView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [doubting, setDoubting] = useState<Pair | null>(null);
  // Saved on this page: the outcome is followed by who was left as they are.
  const [saved, setSaved] = useState(false);

  // A run going when the panel opens (or started here) is followed: there is nothing to choose meanwhile.
  useEffect(() => {
    if (run?.status === 'running') setChoosing(false);
  }, [run?.status]);

  const shown = useMemo(
    () =>
      panel
        ? filterRows(panel.rows, filter, (row) => [
            'hub' in row ? name(row.hub) : null,
            'mis' in row ? name(row.mis) : null,
            'hub' in row ? `${row.hub.firstName} ${row.hub.lastName}` : null,
            'mis' in row ? `${row.mis.firstName} ${row.mis.lastName}` : null,
            'hub' in row ? row.hub.upnTail : null,
            'mis' in row ? row.mis.upnTail : null,
            ...('mis' in row ? row.mis.classes : []),
            ...('hub' in row ? row.hub.classes : []),
            'mis' in row ? row.mis.yearGroup : null,
            'hub' in row ? row.hub.yearGroup : null,
          ])
        : [],
    [panel, filter],
  );

  if (choosing && run?.status !== 'running')
    return (
      <PupilSelection
        onProceed={() => {
          setChoosing(false);
          setFilter(NO_FILTER);
          setNotice(null);
          setSaved(false);
          setPanel(null);
          void start();
        }}
      />
    );

  if (!panel)
    return (
      <PanelLoading
        title="Pupils"
        problem={problem}
        waiting="Loading pupils from your MIS… this may take a minute or two."
        progress={
          load?.status === 'done'
            ? `${load.records} pupils fetched: matching them with the Admin Hub…`
            : load && load.pages > 0
              ? `${load.records} pupils so far (${load.pages} page${load.pages === 1 ? '' : 's'} from Assembly)`
              : null
        }
      />
    );

  const pairs = panel.rows.filter((row): row is Pair => row.status === 'matched' || row.status === 'mayMatch');
  const newRows = panel.rows.filter((row): row is Extract<Row, { status: 'new' }> => row.status === 'new');
  const importing = newRows.filter((row) => row.import);
  // Deselect all: the newly matched and the new pupils in view (pupils synced before stay linked).
  const shownPairs = shown.filter(
    (row): row is Pair => (row.status === 'matched' || row.status === 'mayMatch') && row.source !== 'linked',
  );
  const shownNew = shown.filter((row): row is Extract<Row, { status: 'new' }> => row.status === 'new');
  const anyTicked = shownPairs.some((row) => row.ticked) || shownNew.some((row) => row.import);
  const filtered = filter.status !== 'all' || filter.text.trim() !== '';
  const toConfirm = pairs.filter((row) => row.status === 'mayMatch' && row.ticked);
  const plainMay = toConfirm.filter((row) => row.conflicts.length === 0);
  const conflicting = toConfirm.length - plainMay.length;

  const setTicks = (ticked: boolean) => {
    if (shownPairs.length)
      tickPairs(
        shownPairs.map((row) => ({ hubId: row.hub.id, misId: row.mis.id })),
        ticked,
      );
    if (shownNew.length)
      tick(
        shownNew.map((row) => row.mis.id),
        ticked,
      );
  };

  return (
    <div className="panel pupils-panel">
      <h2>Pupils</h2>
      {/* The outcome of a save made here; an earlier one would only confuse a fresh review. */}
      {run && (saved || run.status === 'running') && <RunProgress run={run} words={RUN_WORDS} />}
      {saved && run?.status === 'succeeded' && !locked && <LeftBehind panel={panel} />}
      <p className="selection">
        Reviewing: <strong>{panel.selection.words}</strong>
        {panel.selection.outside > 0 &&
          ` (${panel.selection.outside} pupil${panel.selection.outside === 1 ? '' : 's'} in your MIS outside this choice ${panel.selection.outside === 1 ? 'is' : 'are'} not shown)`}
        . Every Admin Hub pupil can be matched.{' '}
        <button type="button" className="link" disabled={locked} onClick={() => setChoosing(true)}>
          Change which pupils
        </button>
      </p>
      {panel.nursery && <p className="muted nursery">{panel.nursery.note}</p>}
      <PanelCounts counts={panel.counts} creates="to import" links={pairs.filter((row) => row.ticked).length} />
      <PanelMessages problem={problem} notice={notice} />
      <div className="actions filters">
        <label className="inline">
          Search
          <input
            type="search"
            value={filter.text}
            placeholder="Name, class or year"
            onChange={(event) => {
              const text = event.target.value;
              setFilter((current) => ({ ...current, text }));
            }}
          />
        </label>
        <label className="inline">
          Show
          <select
            value={filter.status}
            onChange={(event) => {
              const status = event.target.value as RowFilter['status'];
              setFilter((current) => ({ ...current, status }));
            }}
          >
            <option value="all">Every status ({panel.rows.length})</option>
            {REVIEW_ORDER.map((status) => (
              <option key={status} value={status}>
                {STATUS_WORDS[status]} ({panel.counts[status]})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          disabled={locked || plainMay.length === 0}
          onClick={() =>
            void savePlan((plan) =>
              confirmPairs(
                plan,
                plainMay.map((row) => ({ hubId: row.hub.id, misId: row.mis.id })),
              ),
            )
          }
        >
          Confirm all May match without a conflict ({plainMay.length})
        </button>
        {conflicting > 0 && (
          <span className="muted">
            {conflicting} May match{conflicting === 1 ? ' has' : 'es have'} a conflict (twins, the same name, a different gender
            or UPN): confirm {conflicting === 1 ? 'it' : 'them'} one by one.
          </span>
        )}
      </div>
      {filtered && (
        <p className="muted" role="status">
          Showing {shown.length} of {panel.rows.length}.{' '}
          <button type="button" className="link" onClick={() => setFilter(NO_FILTER)}>
            Show all
          </button>
        </p>
      )}
      <ReviewTable<HubPupilView, MisPupilView>
        rows={shown}
        locked={locked}
        tickHeader="Sync"
        foldReasons
        hubCell={(row) => (
          <>
            <StruckOut
              parts={(['firstName', 'middleName', 'lastName'] as const).map((field) => ({ field, value: row.hub[field] }))}
              overwritten={'overwritten' in row && row.ticked ? row.overwritten : []}
            />
            <Facts pupil={row.hub} overwritten={'overwritten' in row && row.ticked ? row.overwritten : []} />
          </>
        )}
        misCell={(mis) => (
          <>
            <span className="person">{name(mis)}</span>
            <Facts pupil={mis} />
            {mis.blocked && <p className="field-error">{mis.blocked}</p>}
          </>
        )}
        columns={[]}
        importLabel={(mis) => `Import ${name(mis)}`}
        pairTickLabel={(row) => `Sync ${name(row.mis)} with ${name(row.hub)}`}
        {...review.rowActions}
        onConfirm={(row) => (row.conflicts.length ? setDoubting(row) : review.rowActions.onConfirm(row))}
        onMatch={setMatching}
        onUnmatchSynced={setUnmatching}
      />
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={locked || shownPairs.length + shownNew.length === 0}
          onClick={() => setTicks(!anyTicked)}
        >
          {anyTicked
            ? filtered
              ? `Deselect the ${shownPairs.length + shownNew.length} shown`
              : 'Deselect all'
            : filtered
              ? `Select the ${shownPairs.length + shownNew.length} shown`
              : 'Select all'}
        </button>
        <span className="muted">Newly matched and new pupils; an unticked pupil is left as they are.</span>
      </div>
      <SaveAndSync
        problems={panel.problems}
        locked={locked}
        label="Save and sync pupils"
        creating={{
          people: importing.map((row) => `${name(row.mis)} (${detailOf(row.mis)})`),
          noun: { one: 'new pupil', many: 'new pupils' },
          records: { one: 'Admin Hub pupil', many: 'Admin Hub pupils' },
          consequence: ', each with a username and access to MARK, in their synced year group and classes',
          caution: null,
        }}
        onSave={() => {
          setSaved(true);
          void saveAndSync(reviewed());
        }}
      />
      {matching && (
        <MatchByHand
          hub={matching}
          title={`Match ${name(matching)}${matching.dob ? `, born ${dateWords(matching.dob)}` : ''}`}
          listLabel="Pupils in your MIS"
          candidates={newRows.map((row) => ({ id: row.mis.id, name: name(row.mis), detail: detailOf(row.mis) }))}
          savePlan={savePlan}
          onClose={() => setMatching(null)}
        />
      )}
      {doubting && (
        <Dialog
          title={`Is ${name(doubting.hub)} the same child as ${name(doubting.mis)}?`}
          confirm={{
            label: 'Confirm the match',
            onClick: () => {
              review.rowActions.onConfirm(doubting);
              setDoubting(null);
            },
          }}
          onCancel={() => setDoubting(null)}
          cancelLabel="Go back"
        >
          <p>The records disagree in a way that can mean two different children:</p>
          <ul className="reasons">
            {doubting.conflicts.map((conflict) => (
              <li key={conflict}>
                <strong>{conflict}</strong>
              </li>
            ))}
          </ul>
          <p>
            Admin Hub: <Facts pupil={doubting.hub} />
            <br />
            Your MIS: <Facts pupil={doubting.mis} />
          </p>
          <p>Confirm only if you know they are the same child: their Admin Hub record will take the MIS’s details.</p>
        </Dialog>
      )}
      {unmatching && (
        <UnmatchPerson
          record={unmatching}
          name={name(unmatching)}
          imported={unmatching.id.startsWith('mis-pupil-')}
          path={PATH}
          send={send}
          nameOf={name}
          fieldWords={(field) => FIELD_WORDS[field] ?? field}
          keeps=" (their username and access to MARK are kept)"
          onClose={() => setUnmatching(null)}
          onDone={setNotice}
        />
      )}
    </div>
  );
}

/** After a save: who was left as they are, so that nobody is forgotten. */
function LeftBehind({ panel }: { panel: View }) {
  const unticked = panel.rows.filter((row) => row.status === 'new' && !row.import);
  const pairsLeft = panel.rows.filter(
    (row): row is Pair => (row.status === 'matched' || row.status === 'mayMatch') && !row.ticked,
  );
  const notMatched = panel.rows.filter((row): row is Extract<Row, { status: 'notMatched' }> => row.status === 'notMatched');
  const outside = panel.selection.outside;
  if (!unticked.length && !pairsLeft.length && !notMatched.length && !outside) return null;
  return (
    <section className="left-behind" aria-label="Left as they are">
      <h3>Left as they are</h3>
      {outside > 0 && (
        <p>
          {outside} pupil{outside === 1 ? '' : 's'} in your MIS outside the year groups and classes you chose: choose them next
          time to review them.
        </p>
      )}
      <NameList title="In your MIS, not imported (unticked)" names={unticked.map((row) => ('mis' in row ? name(row.mis) : ''))} />
      <NameList title="Matched but not synced (unticked)" names={pairsLeft.map((row) => name(row.mis))} />
      <NameList title="In the Admin Hub, Not matched" names={notMatched.map((row) => name(row.hub))} />
      {notMatched.length > 0 && (
        <p className="muted">
          Admin Hub pupils left Not matched stay as they are, with their access to MARK: often pupils who have left.
        </p>
      )}
    </section>
  );
}

function NameList({ title, names }: { title: string; names: string[] }) {
  if (!names.length) return null;
  return (
    <details>
      <summary>
        {title}: {names.length}
      </summary>
      <ul className="reasons">
        {names.map((person, index) => (
          <li key={`${person}-${index}`}>{person}</li>
        ))}
      </ul>
    </details>
  );
}
