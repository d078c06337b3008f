import { useEffect, useState } from 'react';
import { Dialog } from '../../Dialog';

const FORMATS = ['{first}.{last}', '{f}{last}', '{first}{l}', '{last}.{first}'];
const EXAMPLE = { first: 'jane', last: 'smith' };
const example = (format: string, domain: string) =>
  `${format
    .replaceAll('{first}', EXAMPLE.first)
    .replaceAll('{last}', EXAMPLE.last)
    .replaceAll('{f}', EXAMPLE.first[0]!)
    .replaceAll('{l}', EXAMPLE.last[0]!)}@${domain.replace(/^@/, '') || 'your-school.sch.uk'}`;

/** Batch create email addresses: the school's format and domain, guessed from the addresses it already has, and a preview. */
export function BatchEmailDialog({
  suggestion,
  withMisAddress,
  onCancel,
  onPreview,
  onCreate,
}: {
  suggestion: { format: string; domain: string } | null;
  /** Ticked teachers who already have an address from the MIS. */
  withMisAddress: number;
  onCancel(): void;
  onPreview(format: string, domain: string, replace: boolean): Promise<number | null>;
  onCreate(format: string, domain: string, replace: boolean): Promise<string | null>;
}) {
  const [replace, setReplace] = useState(false);
  const guessed = suggestion && FORMATS.includes(suggestion.format) ? suggestion.format : FORMATS[0]!;
  const [format, setFormat] = useState(guessed);
  const [custom, setCustom] = useState('');
  const [domain, setDomain] = useState(suggestion?.domain ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const pattern = format === 'custom' ? custom : format;
  useEffect(() => {
    if (!domain || !pattern) return setCount(null);
    const timer = setTimeout(() => void onPreview(pattern, domain, replace).then(setCount), 300);
    return () => clearTimeout(timer);
  }, [pattern, domain, replace]);
  return (
    <Dialog
      title="Batch create email addresses"
      confirm={{ label: 'Create addresses', onClick: async () => setProblem(await onCreate(pattern, domain, replace)) }}
      onCancel={onCancel}
    >
      {suggestion && <p className="muted">Guessed from the addresses your school already uses.</p>}
      <label>
        Your school’s email format
        <select value={format} onChange={(event) => setFormat(event.target.value)}>
          {FORMATS.map((option) => (
            <option key={option} value={option}>
              {option}@
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {format === 'custom' && (
        <label>
          Custom format
          <input value={custom} onChange={(event) => setCustom(event.target.value)} placeholder="{first}_{last}" />
        </label>
      )}
      <label>
        Domain
        <input value={domain} onChange={(event) => setDomain(event.target.value)} placeholder="oakfield.sch.uk" />
      </label>
      {withMisAddress > 0 && (
        <label className="inline">
          <input type="checkbox" checked={replace} onChange={(event) => setReplace(event.target.checked)} />
          Also replace the {withMisAddress === 1 ? 'address' : `${withMisAddress} addresses`} your MIS already gives
        </label>
      )}
      <p className="preview">
        For example, Jane Smith: <strong>{example(pattern, domain)}</strong>
        {count !== null &&
          ` · ${count} address${count === 1 ? '' : 'es'} will be created for ticked new teachers${replace ? '' : ' who have none'}.`}
      </p>
      {problem && <p className="field-error">{problem}</p>}
    </Dialog>
  );
}
