import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type ClassMarking, type MarkingOverview, type ResultView } from '../api';
import { useApi } from '../useApi';

type Pupil = ClassMarking['pupils'][number];

const today = () => new Date().toISOString().slice(0, 10);

/**
 * MARK › Marking: a teacher records the marks of a paper for the pupils of a class they teach
 * (the co-ordinator for any class). Each row saves on its own; a synced pupil's result goes to
 * Assembly when the school shares data.
 */
export function MarkingPage() {
  const { data: overview, error } = useApi<MarkingOverview>('/api/marking');
  const [classId, setClassId] = useState('');
  const [paperId, setPaperId] = useState('');
  const [marking, setMarking] = useState<ClassMarking | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!overview) return;
    setClassId((current) => current || overview.classes[0]?.classId || '');
    setPaperId((current) => current || overview.papers[0]?.paperId || '');
  }, [overview]);

  useEffect(() => {
    if (!classId) return;
    let live = true;
    setMarking(null);
    api<ClassMarking>('GET', `/api/marking/classes/${encodeURIComponent(classId)}`)
      .then((next) => live && setMarking(next))
      .catch(
        (failure: unknown) => live && setProblem(failure instanceof ApiError ? failure.message : 'Could not load the class.'),
      );
    return () => {
      live = false;
    };
  }, [classId]);

  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  if (!overview) return <p className="loading">Loading…</p>;
  return (
    <section className="marking">
      <h1>Marking</h1>
      {overview.classes.length === 0 ? (
        <p className="notice">
          You have no classes to mark yet. Your Access Co-ordinator syncs classes and their teachers from your MIS.
        </p>
      ) : (
        <>
          <div className="actions filters">
            <label className="inline">
              Class
              <select value={classId} onChange={(event) => setClassId(event.target.value)}>
                {overview.classes.map((group) => (
                  <option key={group.classId} value={group.classId}>
                    {group.name} ({group.pupils})
                  </option>
                ))}
              </select>
            </label>
            <label className="inline">
              Paper
              <select value={paperId} onChange={(event) => setPaperId(event.target.value)}>
                {overview.papers.map((paper) => (
                  <option key={paper.paperId} value={paper.paperId}>
                    {paper.words}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {problem && (
            <p className="error" role="alert">
              {problem}
            </p>
          )}
          {!marking ? (
            <p className="loading">Loading the class…</p>
          ) : marking.pupils.length === 0 ? (
            <p className="muted">No pupils are in {marking.name}.</p>
          ) : (
            <table className="marks">
              <thead>
                <tr>
                  <th>Pupil</th>
                  <th>Raw mark</th>
                  <th>Standardised score</th>
                  <th>Date sat</th>
                  <th aria-label="Save" />
                </tr>
              </thead>
              <tbody>
                {marking.pupils.map((pupil) => (
                  <MarkRow
                    key={`${pupil.pupilId}|${paperId}`}
                    pupil={pupil}
                    paperId={paperId}
                    onSaved={(result) =>
                      setMarking(
                        (current) =>
                          current && {
                            ...current,
                            pupils: current.pupils.map((candidate) =>
                              candidate.pupilId === pupil.pupilId
                                ? {
                                    ...candidate,
                                    results: [...candidate.results.filter((old) => old.paperId !== paperId), result],
                                  }
                                : candidate,
                            ),
                          },
                      )
                    }
                  />
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function MarkRow({ pupil, paperId, onSaved }: { pupil: Pupil; paperId: string; onSaved(result: ResultView): void }) {
  const current = pupil.results.find((result) => result.paperId === paperId) ?? null;
  const [rawMark, setRawMark] = useState(current ? String(current.rawMark) : '');
  const [score, setScore] = useState(current ? String(current.standardisedScore) : '');
  const [sat, setSat] = useState(current?.sat ?? today());
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setSaved(false);
    try {
      const result = await api<ResultView>(
        'PUT',
        `/api/marking/pupils/${encodeURIComponent(pupil.pupilId)}/results/${encodeURIComponent(paperId)}`,
        { rawMark: Number(rawMark), standardisedScore: Number(score), sat, version: current?.version ?? 0 },
      );
      onSaved(result);
      setSaved(true);
    } catch (failure) {
      setProblem(failure instanceof ApiError ? failure : new ApiError(0, 'Could not reach the Admin Hub.'));
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (field: string) => problem?.fields[field];
  // One form per row, so that Enter in any of its fields saves that pupil's mark.
  const formId = `mark-${pupil.pupilId}`;
  return (
    <tr data-pupil={pupil.pupilId}>
      <td>
        {pupil.name}
        {pupil.synced && <span className="muted"> · synced</span>}
      </td>
      <td>
        <input
          aria-label={`Raw mark for ${pupil.name}`}
          form={formId}
          inputMode="numeric"
          value={rawMark}
          aria-invalid={Boolean(fieldError('rawMark'))}
          onChange={(event) => setRawMark(event.target.value)}
          size={4}
        />
        {fieldError('rawMark') && <p className="field-error">{fieldError('rawMark')}</p>}
      </td>
      <td>
        <input
          aria-label={`Standardised score for ${pupil.name}`}
          form={formId}
          inputMode="numeric"
          value={score}
          aria-invalid={Boolean(fieldError('standardisedScore'))}
          onChange={(event) => setScore(event.target.value)}
          size={4}
        />
        {fieldError('standardisedScore') && <p className="field-error">{fieldError('standardisedScore')}</p>}
      </td>
      <td>
        <input
          type="date"
          aria-label={`Date sat for ${pupil.name}`}
          form={formId}
          value={sat}
          max={today()}
          aria-invalid={Boolean(fieldError('sat'))}
          onChange={(event) => setSat(event.target.value)}
        />
        {fieldError('sat') && <p className="field-error">{fieldError('sat')}</p>}
      </td>
      <td>
        <form id={formId} onSubmit={(event) => void save(event)}>
          <button type="submit" className="secondary" disabled={busy || rawMark === '' || score === ''}>
            {current ? 'Update' : 'Save'}
          </button>
        </form>
        {saved && (
          <span className="muted" role="status">
            Saved
          </span>
        )}
        {current?.assembly && !saved && <p className="muted assembly-status">{current.assembly}</p>}
        {problem && !Object.keys(problem.fields).length && (
          <p className="field-error" role="alert">
            {problem.message}
          </p>
        )}
      </td>
    </tr>
  );
}
