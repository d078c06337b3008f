import type { InputHTMLAttributes } from 'react';
import type { ApiError } from './api';

/** A labelled input with its field message from the API underneath. */
export function Field({
  label,
  error,
  ...input
}: { label: string; error?: string | undefined } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <>
      <label>
        {label}
        <input {...input} aria-invalid={Boolean(error)} />
      </label>
      {error && <p className="field-error">{error}</p>}
    </>
  );
}

/** The sign-in email address, as the sign-in and forgot-password forms ask for it. */
export function EmailField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
}) {
  return (
    <Field
      label="Email"
      type="email"
      name="email"
      autoComplete="username"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={error}
    />
  );
}

/** A problem that belongs to no single field (a wrong password, an expired link). */
export function FormAlert({ problem }: { problem: ApiError | null }) {
  if (!problem || Object.keys(problem.fields).length > 0) return null;
  return (
    <p className="error" role="alert">
      {problem.message}
    </p>
  );
}
