import { useId, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  children: ReactNode;
  confirm: { label: string; onClick(): void; disabled?: boolean; danger?: boolean };
  onCancel(): void;
  cancelLabel?: string;
}

/** A modal dialog with one confirming action and Cancel: the wizard's only kind of dialog. */
export function Dialog({ title, children, confirm, onCancel, cancelLabel = 'Cancel' }: DialogProps) {
  const titleId = useId();
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <h3 id={titleId}>{title}</h3>
        {children}
        <div className="actions">
          <button
            type="button"
            className={confirm.danger ? 'danger' : undefined}
            onClick={confirm.onClick}
            disabled={confirm.disabled}
          >
            {confirm.label}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {cancelLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
