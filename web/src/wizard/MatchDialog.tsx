import { useMemo, useState } from 'react';
import type { ReviewPlan } from '../api';
import { matchByHand } from '../../../shared/wizard/review/operations';
import { Dialog } from '../Dialog';

export interface Candidate {
  id: string;
  name: string;
  /** What tells two people of the same name apart (role, email, date of birth). */
  detail: string;
}

/** Match a Hub record to a MIS record by hand: a filtered list of the MIS records not yet matched. */
export function MatchDialog({
  title,
  listLabel,
  candidates,
  onCancel,
  onMatch,
}: {
  title: string;
  listLabel: string;
  candidates: Candidate[];
  onCancel(): void;
  onMatch(candidate: Candidate): void;
}) {
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    return candidates.filter((candidate) => words.every((word) => candidate.name.toLowerCase().includes(word)));
  }, [candidates, filter]);
  return (
    <Dialog
      title={title}
      confirm={{
        label: 'Match',
        disabled: !chosen,
        onClick: () => onMatch(candidates.find((candidate) => candidate.id === chosen)!),
      }}
      onCancel={onCancel}
    >
      <label>
        Filter
        <input value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="Part of a name" autoFocus />
      </label>
      <ul className="choices" role="listbox" aria-label={listLabel}>
        {shown.map((candidate) => (
          <li
            key={candidate.id}
            role="option"
            aria-selected={chosen === candidate.id}
            className={chosen === candidate.id ? 'chosen' : undefined}
            onClick={() => setChosen(candidate.id)}
          >
            {candidate.name} <span className="muted">{candidate.detail}</span>
          </li>
        ))}
        {shown.length === 0 && (
          <li className="muted">
            {filter.trim() ? 'Nobody unmatched in your MIS by that name.' : 'Everyone in your MIS is already matched.'}
          </li>
        )}
      </ul>
    </Dialog>
  );
}

/** The Match dialog for one Hub record: the chosen MIS record is matched to it in the plan. */
export function MatchByHand<Saved>({
  hub,
  title,
  listLabel,
  candidates,
  savePlan,
  onClose,
  onMatched,
}: {
  hub: { id: string };
  title: string;
  listLabel: string;
  candidates: Candidate[];
  savePlan(change: (plan: ReviewPlan) => ReviewPlan): Promise<Saved | null>;
  onClose(): void;
  /** After the plan is saved with the match (e.g. to ask again about a doubtful one). */
  onMatched?(pair: { hubId: string; misId: string }): void;
}) {
  return (
    <MatchDialog
      title={title}
      listLabel={listLabel}
      candidates={candidates}
      onCancel={onClose}
      onMatch={async (candidate) => {
        const pair = { hubId: hub.id, misId: candidate.id };
        onClose();
        const saved = await savePlan((plan) => matchByHand(plan, pair));
        if (saved) onMatched?.(pair);
      }}
    />
  );
}
