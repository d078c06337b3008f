import { useEffect, useRef } from 'react';
import type { RunView } from '../api';

export interface RunWords {
  /** What each step is doing, in the panel's words. */
  steps: Record<RunView['step'], string>;
  /** The outcome of a finished run, e.g. "3 imported, 40 matched". */
  summary(run: RunView): string;
  /** What the Notify step's progress counts, e.g. "welcome emails". */
  notices: string;
}

/** A run's progress while it works (kept in view), then its outcome and what it left alone. */
export function RunProgress({ run, words }: { run: RunView; words: RunWords }) {
  const box = useRef<HTMLDivElement>(null);
  // When the run ends, its outcome is brought into view, wherever the Save button was.
  useEffect(() => {
    if (run.status !== 'running') box.current?.scrollIntoView?.({ block: 'nearest' });
  }, [run.status]);
  if (run.status === 'running') {
    const unit = run.step === 'notify' ? words.notices : 'records';
    return (
      <div className="run running" role="status">
        <p>
          {words.steps[run.step]}… {run.progress.total > 0 && `${run.progress.done} of ${run.progress.total} ${unit}`}
        </p>
        <progress max={Math.max(1, run.progress.total)} value={run.progress.done} />
        <p className="muted">The panel is locked until the sync finishes.</p>
      </div>
    );
  }
  const issues = [...run.issues, ...run.noticeIssues];
  return (
    <div ref={box} className={run.status === 'failed' ? 'run error' : 'run'} role={run.status === 'failed' ? 'alert' : 'status'}>
      <p>
        {run.status === 'failed'
          ? `The sync did not complete. ${run.failureReason ?? ''}`
          : `Sync complete: ${words.summary(run)}.`}
      </p>
      {issues.length > 0 && (
        <>
          <p>{run.issueCount + run.noticeIssues.length} not done:</p>
          <ul className="problems">
            {issues.map((issue) => (
              <li key={`${issue.recordId}-${issue.reason}`}>
                <strong>{issue.label}</strong>: {issue.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
