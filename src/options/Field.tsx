/** A labelled form control with its hint and its error right below it, wired for screen readers. */
import type { ComponentChildren } from 'preact';

export function fieldAria(id: string, error: string | null | undefined, hasHint = false) {
  const describedBy = [hasHint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy || undefined };
}

export function Field(props: {
  id: string;
  label: string;
  error?: string | null;
  hint?: string | null;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p id={`${props.id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${props.id}-error`} class="field-error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A form-level message: errors are announced at once, confirmations politely. */
export function FormMessage({ error, success }: { error?: string | null; success?: string | null }) {
  if (error) {
    return (
      <p class="notice error" role="alert">
        {error}
      </p>
    );
  }
  return (
    <p class="notice" role="status" hidden={!success}>
      {success}
    </p>
  );
}
