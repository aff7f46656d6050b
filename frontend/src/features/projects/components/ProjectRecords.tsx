import { useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorPanel } from "@/components/ErrorPanel";
import { FormProblem } from "@/components/FormProblem";
import { Loading } from "@/components/Loading";
import { useActivities, useBudgets, useTransactions } from "@/features/projects/api/project";
import {
  etagOf,
  useDeleteActivity,
  useDeleteBudget,
  useDeleteTransaction,
  type RecordList,
} from "@/features/projects/api/records";
import { ActivityForm } from "@/features/projects/components/ActivityForm";
import { ActivityTimeline } from "@/features/projects/components/ActivityTimeline";
import { BudgetForm } from "@/features/projects/components/BudgetForm";
import { BudgetsTable, TransactionsTable } from "@/features/projects/components/MoneyTables";
import { TransactionForm } from "@/features/projects/components/TransactionForm";

/**
 * Which row is being edited ("new" for a new one); a 412's "load the latest" refetches and reopens the form.
 * Called in the same component as the list's query, so the reopened form reads the refetched row.
 */
function useEditing(projectId: string, list: RecordList) {
  const client = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  return {
    editing,
    key: `${editing ?? ""}-${generation}`,
    open: (id: string) => setEditing(id),
    close: () => setEditing(null),
    reload: () =>
      void client
        .invalidateQueries({ queryKey: ["projects", list, projectId] })
        .then(() => setGeneration((g) => g + 1)),
  };
}

export interface RowActions<T> {
  onEdit: (row: T) => void;
  onDelete: (row: T) => void;
  busy: boolean;
}

interface Row {
  id: string;
  version: number;
}

/** What a record form needs from its section: the row being edited (none for a new one), and when to close or reload. */
interface FormSlot<T> {
  key: string;
  row: T | undefined;
  onDone: () => void;
  onReload: () => void;
}

interface RecordSectionProps<T extends Row> {
  canEdit: boolean;
  edit: ReturnType<typeof useEditing>;
  /** The section's id (and its heading's, with "-h"), and the list a reload refetches. */
  list: RecordList;
  title: string;
  addLabel: string;
  query: { isPending: boolean; isError: boolean; error: unknown; data?: { items: T[] } };
  remove: {
    isPending: boolean;
    error: unknown;
    reset: () => void;
    mutate: (row: { id: string; etag: string }) => void;
  };
  /** How a delete's confirmation names the row. */
  deleteWhat: (row: T) => string;
  form: (slot: FormSlot<T>) => ReactNode;
  rows: (items: T[], actions: RowActions<T> | undefined) => ReactNode;
}

/** A project's list of records with add, edit (one form at a time) and delete, each with the row's ETag as If-Match. */
function RecordSection<T extends Row>({
  canEdit,
  edit,
  list,
  title,
  addLabel,
  query,
  remove,
  deleteWhat,
  form,
  rows,
}: RecordSectionProps<T>) {
  const { t } = useTranslation();
  const row = query.data?.items.find((r) => r.id === edit.editing);
  const actions: RowActions<T> | undefined = canEdit
    ? {
        busy: remove.isPending,
        onEdit: (r) => edit.open(r.id),
        onDelete: (r) => {
          if (window.confirm(t("common.confirmDelete", { what: deleteWhat(r) })))
            remove.mutate({ id: r.id, etag: etagOf(r) });
        },
      }
    : undefined;
  return (
    <section id={list} aria-labelledby={`${list}-h`} className="card">
      <div className="section-header">
        <h2 id={`${list}-h`}>{title}</h2>
        {canEdit && edit.editing === null ? (
          <button type="button" onClick={() => edit.open("new")}>
            {addLabel}
          </button>
        ) : null}
      </div>
      {edit.editing !== null && (edit.editing === "new" || row)
        ? form({ key: edit.key, row, onDone: edit.close, onReload: edit.reload })
        : null}
      <FormProblem
        error={remove.error}
        onReload={() => {
          remove.reset();
          edit.reload();
        }}
      />
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorPanel error={query.error} />
      ) : (
        rows(query.data?.items ?? [], actions)
      )}
    </section>
  );
}

export function ActivitiesSection({ projectId, canEdit }: { projectId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  return (
    <RecordSection
      canEdit={canEdit}
      edit={useEditing(projectId, "activities")}
      list="activities"
      title={t("project.activities")}
      addLabel={t("activities.add")}
      query={useActivities(projectId)}
      remove={useDeleteActivity(projectId)}
      deleteWhat={(a) => a.title}
      form={({ key, row, onDone, onReload }) => (
        <ActivityForm key={key} projectId={projectId} activity={row} onDone={onDone} onReload={onReload} />
      )}
      rows={(items, actions) => <ActivityTimeline activities={items} actions={actions} />}
    />
  );
}

export function BudgetsSection({ projectId, canEdit }: { projectId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  return (
    <RecordSection
      canEdit={canEdit}
      edit={useEditing(projectId, "budgets")}
      list="budgets"
      title={t("project.budgets")}
      addLabel={t("budgets.add")}
      query={useBudgets(projectId)}
      remove={useDeleteBudget(projectId)}
      deleteWhat={() => t("budgets.one")}
      form={({ key, row, onDone, onReload }) => (
        <BudgetForm key={key} projectId={projectId} budget={row} onDone={onDone} onReload={onReload} />
      )}
      rows={(items, actions) => <BudgetsTable items={items} actions={actions} />}
    />
  );
}

export function TransactionsSection({ projectId, canEdit }: { projectId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  return (
    <RecordSection
      canEdit={canEdit}
      edit={useEditing(projectId, "transactions")}
      list="transactions"
      title={t("project.transactions")}
      addLabel={t("project.addTransaction")}
      query={useTransactions(projectId)}
      remove={useDeleteTransaction(projectId)}
      deleteWhat={() => t("project.oneTransaction")}
      form={({ key, row, onDone, onReload }) => (
        <TransactionForm key={key} projectId={projectId} transaction={row} onDone={onDone} onReload={onReload} />
      )}
      rows={(items, actions) => <TransactionsTable items={items} actions={actions} />}
    />
  );
}
