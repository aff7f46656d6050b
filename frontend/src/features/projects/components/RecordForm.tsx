import type { FormEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { FormActions } from "@/components/FormActions";
import { FormProblem } from "@/components/FormProblem";

/** What a project record's form gets from its section: the row being edited (none for a new one), when to close or reload. */
export interface RecordFormProps<T> {
  projectId: string;
  /** The row as listed when the form opened (its version is the If-Match), or none for a new one. */
  row?: T;
  onDone: () => void;
  onReload: () => void;
}

interface Props {
  /** The form's heading and accessible name. */
  heading: string;
  testId: string;
  /** What the record is called in a 412's explanation ("this activity"). */
  what: string;
  /** The save: its error is explained above the fields (field errors go beside their fields), saving disables Save. */
  save: { error: unknown; isPending: boolean };
  onSubmit: () => void;
  onCancel: () => void;
  onReload?: () => void;
  children: ReactNode;
}

/** The frame of a project record's create/edit form: heading, the save's problem, the fields, save and cancel. */
export function RecordForm({ heading, testId, what, save, onSubmit, onCancel, onReload, children }: Props) {
  const { t } = useTranslation();
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit();
  }
  return (
    <form className="form card" onSubmit={submit} aria-label={heading} noValidate data-testid={testId}>
      <h3>{heading}</h3>
      <FormProblem error={save.error} onReload={onReload} what={what} />
      {children}
      <FormActions
        busy={save.isPending}
        cancel={
          <button type="button" onClick={onCancel}>
            {t("common.cancel")}
          </button>
        }
      />
    </form>
  );
}
