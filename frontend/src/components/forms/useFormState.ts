import { useState } from "react";

/** The keys of a form whose values are text (what an input, a date or a select gives). */
type TextKey<F> = { [K in keyof F]: F[K] extends string ? K : never }[keyof F];

/**
 * A form's values as typed: `set` changes one, `bind` wires an input, date or select to a text value
 * (`<input {...bind("title")} />`; a select's options say which values it can take).
 */
export function useFormState<F extends object>(initial: F | (() => F)) {
  const [form, setForm] = useState<F>(initial);
  const set = <K extends keyof F>(key: K, value: F[K]) => setForm((current) => ({ ...current, [key]: value }));
  const bind = <K extends TextKey<F>>(key: K) => ({
    value: form[key] as string,
    onChange: (event: { target: { value: string } }) => set(key, event.target.value as F[K]),
  });
  return { form, set, bind };
}
