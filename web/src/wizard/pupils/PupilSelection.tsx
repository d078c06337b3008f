import { useEffect, useState } from 'react';
import { api, ApiError, type PupilSelectionView } from '../../api';
import { PanelMessages } from '../PanelDialogs';

const PATH = '/api/sync/pupils/selection';

type Choice = 'all' | 'some';

/**
 * The Pupils panel's first step: which MIS pupils to review (all, or those in chosen synced year
 * groups and classes). Every Admin Hub pupil is always available to match, whatever is chosen.
 */
export function PupilSelection({ onProceed }: { onProceed(): void }) {
  const [view, setView] = useState<PupilSelectionView | null>(null);
  const [choice, setChoice] = useState<Choice>('all');
  const [yearGroups, setYearGroups] = useState<string[]>([]);
  const [classes, setClasses] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    api<PupilSelectionView>('GET', PATH)
      .then((loaded) => {
        setView(loaded);
        setChoice(loaded.selection ? 'some' : 'all');
        setYearGroups(loaded.selection?.yearGroups ?? []);
        setClasses(loaded.selection?.classes ?? []);
      })
      .catch((error: unknown) => setProblem(error instanceof ApiError ? error.message : 'Could not load this panel.'));
  }, []);

  if (!view)
    return (
      <div className="panel">
        <h2>Pupils</h2>
        {problem ? <PanelMessages problem={problem} notice={null} /> : <p className="loading">Loading…</p>}
      </div>
    );

  const nothingSynced = view.yearGroups.length === 0;
  const nothingChosen = choice === 'some' && yearGroups.length === 0 && classes.length === 0;
  const toggle = (list: string[], set: (next: string[]) => void, id: string, on: boolean) =>
    set(on ? [...list, id] : list.filter((other) => other !== id));

  const proceed = async () => {
    setSaving(true);
    try {
      await api('PUT', PATH, {
        planVersion: view.planVersion,
        selection: choice === 'all' ? null : { yearGroups, classes },
      });
      onProceed();
    } catch (error) {
      setSaving(false);
      if (error instanceof ApiError && error.code === 'stale_plan') {
        setView(await api<PupilSelectionView>('GET', PATH));
      }
      setProblem(error instanceof ApiError ? (Object.values(error.fields)[0] ?? error.message) : 'Could not save your choice.');
    }
  };

  return (
    <div className="panel pupils-selection">
      <h2>Pupils</h2>
      <h3>Decide which pupils to sync</h3>
      <p>
        Choose the pupils from your MIS to review in the next step. Every pupil already in the Admin Hub can be matched, whatever
        you choose here. We recommend reviewing all pupils in one go; you can come back to add more year groups or classes later.
      </p>
      {nothingSynced && <p className="notice">Sync your year groups and classes first: pupils are placed in them.</p>}
      <fieldset disabled={saving || nothingSynced}>
        <legend>Pupils to review</legend>
        <label className="option">
          <input type="radio" name="choice" checked={choice === 'all'} onChange={() => setChoice('all')} />
          All pupils (recommended)
        </label>
        <label className="option">
          <input type="radio" name="choice" checked={choice === 'some'} onChange={() => setChoice('some')} />
          Pupils in the year groups or classes I choose
        </label>
        {choice === 'some' && (
          <div className="selection-lists">
            <ChoiceList
              title="Year groups"
              options={view.yearGroups}
              chosen={yearGroups}
              onChange={(id, on) => toggle(yearGroups, setYearGroups, id, on)}
            />
            <ChoiceList
              title="Classes"
              options={view.classes}
              chosen={classes}
              onChange={(id, on) => toggle(classes, setClasses, id, on)}
            />
          </div>
        )}
      </fieldset>
      <PanelMessages problem={problem} notice={null} />
      <div className="actions">
        <button type="button" disabled={saving || nothingSynced || nothingChosen} onClick={() => void proceed()}>
          Proceed
        </button>
        <span className="muted">
          {nothingChosen
            ? 'Choose at least one year group or class.'
            : 'Loading your pupils may take a minute or two, particularly for all pupils.'}
        </span>
      </div>
    </div>
  );
}

function ChoiceList({
  title,
  options,
  chosen,
  onChange,
}: {
  title: string;
  options: { id: string; name: string; pupils: number | null }[];
  chosen: string[];
  onChange(id: string, on: boolean): void;
}) {
  return (
    <fieldset className="choice-list">
      <legend>{title}</legend>
      {options.length === 0 && <p className="muted">None synced yet.</p>}
      {options.map((option) => (
        <label key={option.id} className="option">
          <input
            type="checkbox"
            checked={chosen.includes(option.id)}
            onChange={(event) => onChange(option.id, event.target.checked)}
          />
          {option.name}{' '}
          {option.pupils !== null && (
            <span className="muted">
              {option.pupils} pupil{option.pupils === 1 ? '' : 's'}
            </span>
          )}
        </label>
      ))}
    </fieldset>
  );
}
