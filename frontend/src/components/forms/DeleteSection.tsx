import { useTranslation } from "react-i18next";
import { FormProblem } from "@/components/FormProblem";

interface Props {
  /** The heading's id (the section is labelled by it). */
  id: string;
  title: string;
  hint: string;
  /** The name the confirmation and the button say. */
  name: string;
  button: string;
  busy: boolean;
  error: unknown;
  onConfirmed: () => void;
}

/** The "delete this" zone under a record's form: asks once, then deletes; the API's refusal is shown in place. */
export function DeleteSection({ id, title, hint, name, button, busy, error, onConfirmed }: Props) {
  const { t } = useTranslation();
  return (
    <section className="card danger-zone" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className="muted">{hint}</p>
      <FormProblem error={error} />
      <button
        type="button"
        className="link-button"
        disabled={busy}
        onClick={() => {
          if (window.confirm(t("common.confirmDelete", { what: name }))) onConfirmed();
        }}
      >
        {button}
      </button>
    </section>
  );
}
