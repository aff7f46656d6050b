import { useQueryClient } from "@tanstack/react-query";
import { useState, type ComponentType, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorPanel } from "@/components/ErrorPanel";
import { FormProblem } from "@/components/FormProblem";
import type { RowActions } from "@/components/forms/RowActions";
import { Loading } from "@/components/Loading";
import {
  useActivities,
  useBudgets,
  useTransactions,
  type Activity,
  type Budget,
  type Transaction,
} from "@/features/projects/api/project";
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
import type { RecordFormProps } from "@/features/projects/components/RecordForm";
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

interface Row {
  id: string;
  version: number;
}

/** A kind of project record: where its section stands, what it says, its hooks, its form and how its rows show. */
interface RecordKind<T extends Row> {
  /** The section's id (and its heading's, with "-h"), and the list a reload refetches. */
  list: RecordList;
  /** The form's test id. */
  testId: string;
  /** The project's rows and the delete (hooks of the project api, called once per section). */
  useRows: (projectId: string) => {
    isPending: boolean;
    isError: boolean;
    error: unknown;
    data?: { items: T[] };
  };
  useRemove: (projectId: string) => {
    isPending: boolean;
    error: unknown;
    reset: () => void;
    mutate: (row: { id: string; etag: string }) => void;
  };
  /** A row's own name, for its form's heading and a delete's confirmation (which otherwise say the kind's `one`). */
  name?: (row: T) => string;
  /** The create/edit form, given the row being edited (none for a new one). */
  Form: ComponentType<RecordFormProps<T>>;
  rows: (items: T[], actions: RowActions<T> | undefined) => ReactNode;
}

/**
 * The i18n keys of what each kind of record says: the section's heading, its add button (also a new row's form
 * heading), an edited row's form heading (given the row's `title` where it has a name) and one row ("this budget").
 */
const WORDS: Record<RecordList, { title: string; add: string; edit: string; one: string }> = {
  activities: { title: "project.activities", add: "activities.add", edit: "activities.edit", one: "activities.one" },
  budgets: { title: "project.budgets", add: "budgets.add", edit: "budgets.edit", one: "budgets.one" },
  transactions: {
    title: "project.transactions",
    add: "project.addTransaction",
    edit: "project.editTransaction",
    one: "project.oneTransaction",
  },
};

interface SectionProps {
  projectId: string;
  canEdit: boolean;
}

/** A project's list of records with add, edit (one form at a time) and delete, each with the row's ETag as If-Match. */
function RecordSection<T extends Row>({ kind, projectId, canEdit }: SectionProps & { kind: RecordKind<T> }) {
  const { t } = useTranslation();
  const { list, Form } = kind;
  const words = WORDS[list];
  const edit = useEditing(projectId, list);
  const query = kind.useRows(projectId);
  const remove = kind.useRemove(projectId);
  const row = query.data?.items.find((r) => r.id === edit.editing);
  const actions: RowActions<T> | undefined = canEdit
    ? {
        busy: remove.isPending,
        onEdit: (r) => edit.open(r.id),
        onDelete: (r) => {
          if (window.confirm(t("common.confirmDelete", { what: kind.name?.(r) ?? t(words.one) })))
            remove.mutate({ id: r.id, etag: etagOf(r) });
        },
      }
    : undefined;
  return (
    <section id={list} aria-labelledby={`${list}-h`} className="card">
      <div className="section-header">
        <h2 id={`${list}-h`}>{t(words.title)}</h2>
        {canEdit && edit.editing === null ? (
          <button type="button" onClick={() => edit.open("new")}>
            {t(words.add)}
          </button>
        ) : null}
      </div>
      {edit.editing !== null && (edit.editing === "new" || row) ? (
        <Form
          key={edit.key}
          projectId={projectId}
          row={row}
          onDone={edit.close}
          frame={{
            heading: row ? t(words.edit, { title: kind.name?.(row) }) : t(words.add),
            testId: kind.testId,
            what: t(words.one),
            onCancel: edit.close,
            onReload: edit.reload,
          }}
        />
      ) : null}
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
        kind.rows(query.data?.items ?? [], actions)
      )}
    </section>
  );
}

const ACTIVITIES: RecordKind<Activity> = {
  list: "activities",
  testId: "activity-form",
  useRows: useActivities,
  useRemove: useDeleteActivity,
  name: (a) => a.title,
  Form: ActivityForm,
  rows: (items, actions) => <ActivityTimeline activities={items} actions={actions} />,
};

const BUDGETS: RecordKind<Budget> = {
  list: "budgets",
  testId: "budget-form",
  useRows: useBudgets,
  useRemove: useDeleteBudget,
  Form: BudgetForm,
  rows: (items, actions) => <BudgetsTable items={items} actions={actions} />,
};

const TRANSACTIONS: RecordKind<Transaction> = {
  list: "transactions",
  testId: "transaction-form",
  useRows: useTransactions,
  useRemove: useDeleteTransaction,
  Form: TransactionForm,
  rows: (items, actions) => <TransactionsTable items={items} actions={actions} />,
};

export const ActivitiesSection = (props: SectionProps) => <RecordSection kind={ACTIVITIES} {...props} />;
export const BudgetsSection = (props: SectionProps) => <RecordSection kind={BUDGETS} {...props} />;
export const TransactionsSection = (props: SectionProps) => <RecordSection kind={TRANSACTIONS} {...props} />;
