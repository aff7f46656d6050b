import type { FormEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { FormActions } from "@/components/FormActions";
import { FormProblem } from "@/components/FormProblem";
import { DeleteSection } from "@/components/forms/DeleteSection";

/** What a page that creates or edits one kind of record says, and where it belongs. */
export interface RecordPage {
  /** The page's class ("page admin" in the admin area). */
  className: string;
  /** The list the page belongs to: linked above the heading, where Cancel and a delete go. */
  list: string;
  /**
   * The i18n namespace of the page's words: `back` (the link to the list), `new` and `edit` (the heading, with the
   * record's `name`), `delete`, `deleteHint` and `deleteButton` (with the `name`).
   */
  words: string;
  /** The i18n key of what the record is called in a 412's explanation ("this user"). */
  what: string;
  /** The id of the delete section's heading. */
  deleteId: string;
}

interface Props<R extends { name: string }> {
  page: RecordPage;
  /** The record being changed; none for a new one (nothing to delete then). */
  record?: R;
  /** The save: its problem is explained above the fields (field errors go beside their fields), saving disables Save. */
  save: { error: unknown; isPending: boolean };
  remove: { error: unknown; isPending: boolean; mutate: (record: R, options: { onSuccess: () => void }) => void };
  onSubmit: () => void;
  /** The form's fieldsets. */
  children: ReactNode;
}

/** A page that creates or edits one record: back link, heading, the save's problem, the fields, save and cancel. */
export function PageForm<R extends { name: string }>({ page, record, save, remove, onSubmit, children }: Props<R>) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const heading = record ? t(`${page.words}.edit`, { name: record.name }) : t(`${page.words}.new`);
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit();
  }
  return (
    <div className={page.className}>
      <p>
        <Link to={page.list}>{t(`${page.words}.back`)}</Link>
      </p>
      <h1>{heading}</h1>
      <form className="form" onSubmit={submit} aria-label={heading} noValidate>
        <FormProblem error={save.error} what={t(page.what)} />
        {children}
        <FormActions
          busy={save.isPending}
          cancel={
            <Link className="button" to={page.list}>
              {t("common.cancel")}
            </Link>
          }
        />
      </form>
      {record ? (
        <DeleteSection
          id={page.deleteId}
          title={t(`${page.words}.delete`)}
          hint={t(`${page.words}.deleteHint`)}
          name={record.name}
          button={t(`${page.words}.deleteButton`, { name: record.name })}
          busy={remove.isPending}
          error={remove.error}
          onConfirmed={() => remove.mutate(record, { onSuccess: () => navigate(page.list) })}
        />
      ) : null}
    </div>
  );
}
