import { cloneElement, useId, type ReactElement } from "react";

interface Props {
  /** The control's id, where something outside the form refers to it (a link, a test); a generated one otherwise. */
  id?: string;
  label: string;
  error?: string;
  hint?: string;
  className?: string;
  children: ReactElement<Record<string, unknown>>;
}

/** A labelled form control whose error (from the API's problem+json) is announced and tied to it. */
export function Field({ id: given, label, error, hint, className, children }: Props) {
  const generated = useId();
  const id = given ?? generated;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " has-error" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint ? (
        <small id={hintId} className="hint">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={errorId} className="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}
