import type { FormEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { FormActions } from "@/components/FormActions";
import { FormProblem } from "@/components/FormProblem";

/** The frame of a record's form as its section words it: heading, test id, what a 412 calls it, cancel and reload. */
export interface RecordFrame {
  /** The form's heading and accessible name. */
  heading: string;
  testId: string;
  /** What the record is called in a 412's explanation ("this activity"). */
  what: string;
  onCancel: () => void;
  onReload: () => void;
}

/** What a project record's form gets from its section. */
export interface RecordFormProps<T> {
  projectId: string;
  /** The row as listed when the form opened (its version is the If-Match), or none for a new one. */
  row?: T;
  /** Closes the form (after a save, or on cancel). */
  onDone: () => void;
  frame: RecordFrame;
}

interface Props extends RecordFrame {
  /** The save: its error is explained above the fields (field errors go beside their fields), saving disables Save. */
  save: { error: unknown; isPending: boolean };
  onSubmit: () => void;
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
