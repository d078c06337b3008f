import { useState, type ReactNode } from 'react';
import { Dialog } from '../Dialog';
import { navigate } from '../router';
import { SaveBar } from './ReviewTable';

/** A panel before its MIS records are in: the load's progress, or why it could not load (with the way on). */
export function PanelLoading({
  title,
  problem,
  waiting,
  progress,
}: {
  title: string;
  problem: string | null;
  waiting: string;
  progress: string | null;
}) {
  return (
    <div className="panel">
      <h2>{title}</h2>
      {problem ? (
        <p className="error" role="alert">
          {problem}{' '}
          {/Authorisation step/.test(problem) && (
            <a
              href="/school/mis-data-sync/authorisation"
              onClick={(event) => {
                event.preventDefault();
                navigate('/school/mis-data-sync/authorisation');
              }}
            >
              Go to Authorisation
            </a>
          )}
        </p>
      ) : (
        <div className="loading" role="status">
          <p>{waiting}</p>
          {progress && <p>{progress}</p>}
        </div>
      )}
    </div>
  );
}

/** A panel's two messages: what went wrong (an alert), and what was just done (a status). */
export function PanelMessages({ problem, notice }: { problem: string | null; notice: string | null }) {
  return (
    <>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
    </>
  );
}

/** A panel's counts per status, in review order, and how many records Save and sync will create. */
export function PanelCounts({
  counts,
  creates,
  links,
}: {
  counts: { notMatched: number; new: number; mayMatch?: number; matched: number; importing: number };
  /** The verb for what ticked New records become: "to import", "to create". */
  creates: string;
  /** Where pairs have ticks: how many are ticked, to be linked (or updated) by the save. */
  links?: number;
}) {
  const parts = [
    `${counts.notMatched} not matched`,
    `${counts.new} new`,
    ...(counts.mayMatch === undefined ? [] : [`${counts.mayMatch} may match`]),
    `${counts.matched} matched`,
    ...(links === undefined ? [] : [`${links} to link`]),
    `${counts.importing} ${creates}`,
  ];
  return <p className="counts">{parts.join(' · ')}</p>;
}

/**
 * The Save and sync button with the panel's problems above it: when the save creates records,
 * it first says how many and who, and starts only once that is confirmed.
 */
export function SaveAndSync({
  problems,
  locked,
  label,
  creating,
  onSave,
}: {
  problems: string[];
  locked: boolean;
  label: string;
  /** What the save creates, for the confirmation; people empty: no confirmation. */
  creating: Omit<Parameters<typeof ConfirmImports>[0], 'onConfirm' | 'onCancel'>;
  onSave(): void;
}) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <SaveBar
        problems={problems}
        locked={locked}
        label={label}
        onSave={() => (creating.people.length > 0 ? setConfirming(true) : onSave())}
      />
      {confirming && (
        <ConfirmImports
          {...creating}
          onConfirm={() => {
            setConfirming(false);
            onSave();
          }}
          onCancel={() => setConfirming(false)}
        />
      )}
    </>
  );
}

/** Before Save and sync creates accounts: how many, who, and anything to think twice about. */
export function ConfirmImports({
  people,
  noun,
  consequence,
  caution,
  records = { one: 'Admin Hub account', many: 'Admin Hub accounts' },
  onConfirm,
  onCancel,
}: {
  people: string[];
  noun: { one: string; many: string };
  consequence: string;
  caution: string | null;
  /** What Save and sync creates, for the title. */
  records?: { one: string; many: string };
  onConfirm(): void;
  onCancel(): void;
}) {
  const count = people.length;
  return (
    <Dialog
      title={`Create ${count} ${count === 1 ? records.one : records.many}?`}
      confirm={{ label: 'Save and sync', onClick: onConfirm }}
      onCancel={onCancel}
      cancelLabel="Go back"
    >
      <p>
        {count} {count === 1 ? noun.one : noun.many} will be imported{consequence}. {caution}
      </p>
      <ul className="reasons">
        {people.slice(0, 8).map((person) => (
          <li key={person}>{person}</li>
        ))}
        {count > 8 && <li>and {count - 8} more</li>}
      </ul>
    </Dialog>
  );
}

/** A match made by hand of two records that disagree strongly: keep it, or undo it. */
export function SamePerson({
  hubName,
  misName,
  warning,
  reasons,
  onKeep,
  onUndo,
}: {
  hubName: string;
  misName: string;
  warning: string;
  reasons: string[];
  onKeep(): void;
  onUndo(): void;
}) {
  return (
    <Dialog
      title="Are these the same person?"
      confirm={{ label: 'Keep the match', onClick: onKeep }}
      onCancel={onUndo}
      cancelLabel="Undo the match"
    >
      <p>
        {hubName} (Admin Hub) and {misName} (your MIS): {warning}
      </p>
      <ul className="reasons">
        {reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
    </Dialog>
  );
}

/** Unmatching a record synced by an earlier run: what will happen, said before it does. */
export function ConfirmUnmatch({
  name,
  imported,
  group,
  keeps = ' (an email changed since is kept)',
  onConfirm,
  onCancel,
}: {
  name: string;
  imported: boolean;
  /** What the restore leaves as it is now, said after "restored as it was before the sync linked it". */
  keeps?: string;
  /** A year group or class rather than a person: what it holds is not moved. */
  group?: { noun: string; holds: string };
  onConfirm(): void;
  onCancel(): void;
}) {
  if (group)
    return (
      <Dialog title={`Unmatch ${name}?`} confirm={{ label: 'Unmatch', danger: true, onClick: onConfirm }} onCancel={onCancel}>
        <p>
          It will no longer be synced with your MIS.{' '}
          {imported
            ? 'It was created by a sync, so there is no earlier name to restore.'
            : 'Its Admin Hub name is restored as it was before the sync linked it.'}{' '}
          The {group.holds} in it are not moved. It will show as Not matched here, and the MIS {group.noun} as New.
        </p>
      </Dialog>
    );
  const restores: ReactNode = imported
    ? 'They were imported by a sync, so there is no earlier record to restore: they keep their Admin Hub account and sign-in.'
    : `Their Admin Hub record is restored as it was before the sync linked it${keeps}.`;
  return (
    <Dialog title={`Unmatch ${name}?`} confirm={{ label: 'Unmatch', danger: true, onClick: onConfirm }} onCancel={onCancel}>
      <p>
        They will no longer be synced with your MIS. {restores} They will show as Not matched here, and the MIS person as New.
      </p>
    </Dialog>
  );
}

/**
 * Unmatching a year group or class synced by an earlier run: asks first, then unmatches it on the
 * server (its name restored from the backup) and says what was done; what it holds is not moved.
 */
export function UnmatchGroup<Panel>({
  record,
  imported,
  group,
  path,
  send,
  onClose,
  onDone,
}: {
  record: { id: string; name: string };
  imported: boolean;
  group: { noun: string; holds: string };
  /** The panel's API path; the unmatch is its `/unmatch`. */
  path: string;
  send(method: string, url: string, body: unknown): Promise<Panel | null>;
  onClose(): void;
  onDone(notice: string): void;
}) {
  return (
    <ConfirmUnmatch
      name={record.name}
      imported={imported}
      group={group}
      onCancel={onClose}
      onConfirm={async () => {
        onClose();
        const next = await send('POST', `${path}/unmatch`, { hubId: record.id });
        if (next) onDone(`${record.name} is unmatched; its ${group.holds} were not moved.`);
      }}
    />
  );
}

/**
 * Unmatching a person synced by an earlier run: asks first, then unmatches on the server (their
 * record restored from the backup) and says what was restored, in the panel's words for fields.
 */
export function UnmatchPerson<Panel extends { rows: unknown[] }>({
  record,
  name,
  imported,
  path,
  send,
  nameOf,
  fieldWords,
  keeps,
  onClose,
  onDone,
}: {
  record: { id: string };
  name: string;
  imported: boolean;
  keeps?: string;
  path: string;
  send(method: string, url: string, body: unknown): Promise<(Panel & { restored: Restored }) | null>;
  /** The person's name as the Hub record has it after the restore. */
  nameOf(hub: never): string;
  fieldWords(field: string): string;
  onClose(): void;
  onDone(notice: string): void;
}) {
  return (
    <ConfirmUnmatch
      name={name}
      imported={imported}
      {...(keeps === undefined ? {} : { keeps })}
      onCancel={onClose}
      onConfirm={async () => {
        onClose();
        const next = await send('POST', `${path}/unmatch`, { hubId: record.id });
        if (!next) return;
        const row = (next.rows as { hub?: { id: string } }[]).find((candidate) => candidate.hub?.id === record.id);
        const now = row?.hub ? nameOf(row.hub as never) : name;
        onDone(
          next.restored.fromRun
            ? next.restored.fields.length
              ? `${name} is unmatched, and the Admin Hub record is ${now} again: ${next.restored.fields.map(fieldWords).join(', ')} restored from the backup taken before the sync.`
              : `${name} is unmatched. The sync had not changed their Admin Hub record.`
            : `${name} is unmatched. They were imported by a sync, so there was no earlier record to restore; they keep their account.`,
        );
      }}
    />
  );
}

export interface Restored {
  fields: string[];
  fromRun: string | null;
}
