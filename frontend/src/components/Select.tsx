import type { SelectHTMLAttributes } from "react";

export interface SelectOption {
  value: string;
  label: string;
}

interface Props extends SelectHTMLAttributes<HTMLSelectElement> {
  options: readonly SelectOption[];
  /** The label of a first, empty choice (value ""); none when left out. */
  empty?: string;
}

/** A <select> over a list of options; every other prop (id, aria-*, value, onChange from Field or the caller) goes to it. */
export function Select({ options, empty, ...props }: Props) {
  return (
    <select {...props}>
      {empty !== undefined ? <option value="">{empty}</option> : null}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
