import { useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorPanel } from "@/components/ErrorPanel";
import { FormProblem } from "@/components/FormProblem";
import { Loading } from "@/components/Loading";
import { useActivities, useBudgets, useTransactions } from "@/features/projects/api/project";
import { etagOf, useDeleteActivity, useDeleteBudget, useDeleteTransaction } from "@/features/projects/api/records";
import { ActivityForm } from "@/features/projects/components/ActivityForm";
import { ActivityTimeline } from "@/features/projects/components/ActivityTimeline";
import { BudgetForm } from "@/features/projects/components/BudgetForm";
import { BudgetsTable, TransactionsTable } from "@/features/projects/components/MoneyTables";
import { TransactionForm } from "@/features/projects/components/TransactionForm";

type List = "activities" | "budgets" | "transactions";

/** Which row is being edited ("new" for a new one); a 412's "load the latest" refetches and reopens the form. */
function useEditing(projectId: string, list: List) {
  const client = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  return {
    editing,
    key: `${editing ?? ""}-${generation}`,
    open: (id: string) => setEditing(id),
    close: () => setEditing(null),
    reload: () =>
      void client.invalidateQueries({ queryKey: ["projects", list, projectId] }).then(() => setGeneration((g) => g + 1)),
  };
}

export interface RowActions<T> {
  onEdit: (row: T) => void;
  onDelete: (row: T) => void;
  busy: boolean;
}

function SectionHeader({ id, title, canEdit, adding, onAdd, addLabel }: { id: string; title: string; canEdit: boolean; adding: boolean; onAdd: () => void; addLabel: string }) {
  return (
    <div className="section-header">
      <h2 id={id}>{title}</h2>
      {canEdit && !adding ? (
        <button type="button" onClick={onAdd}>
          {addLabel}
        </button>
      ) : null}
    </div>
  );
}

function Body({ query, children }: { query: { isPending: boolean; isError: boolean; error: unknown }; children: () => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorPanel error={query.error} />;
  return <>{children()}</>;
}

export function ActivitiesSection({ projectId, canEdit }: { projectId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const activities = useActivities(projectId);
  const edit = useEditing(projectId, "activities");
  const remove = useDeleteActivity(projectId);
  const row = activities.data?.items.find((a) => a.id === edit.editing);
  const confirmDelete = (title: string) => window.confirm(t("common.confirmDelete", { what: title }));
  return (
    <section id="activities" aria-labelledby="activities-h" className="card">
      <SectionHeader id="activities-h" title={t("project.activities")} canEdit={canEdit} adding={edit.editing !== null} onAdd={() => edit.open("new")} addLabel={t("activities.add")} />
      {edit.editing !== null && (edit.editing === "new" || row) ? (
        <ActivityForm key={edit.key} projectId={projectId} activity={row} onDone={edit.close} onReload={edit.reload} />
      ) : null}
      <FormProblem
        error={remove.error}
        onReload={() => {
          remove.reset();
          edit.reload();
        }}
      />
      <Body query={activities}>
        {() => (
          <ActivityTimeline
            activities={activities.data?.items ?? []}
            actions={
              canEdit
                ? {
                    busy: remove.isPending,
                    onEdit: (a) => edit.open(a.id),
                    onDelete: (a) => confirmDelete(a.title) && remove.mutate({ id: a.id, etag: etagOf(a) }),
                  }
                : undefined
            }
          />
        )}
      </Body>
    </section>
  );
}

export function BudgetsSection({ projectId, canEdit }: { projectId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const budgets = useBudgets(projectId);
  const edit = useEditing(projectId, "budgets");
  const remove = useDeleteBudget(projectId);
  const row = budgets.data?.items.find((b) => b.id === edit.editing);
  return (
    <section id="budgets" aria-labelledby="budgets-h" className="card">
      <SectionHeader id="budgets-h" title={t("project.budgets")} canEdit={canEdit} adding={edit.editing !== null} onAdd={() => edit.open("new")} addLabel={t("budgets.add")} />
      {edit.editing !== null && (edit.editing === "new" || row) ? (
        <BudgetForm key={edit.key} projectId={projectId} budget={row} onDone={edit.close} onReload={edit.reload} />
      ) : null}
      <FormProblem
        error={remove.error}
        onReload={() => {
          remove.reset();
          edit.reload();
        }}
      />
      <Body query={budgets}>
        {() => (
          <BudgetsTable
            items={budgets.data?.items ?? []}
            actions={
              canEdit
                ? {
                    busy: remove.isPending,
                    onEdit: (b) => edit.open(b.id),
                    onDelete: (b) => window.confirm(t("common.confirmDelete", { what: t("budgets.one") })) && remove.mutate({ id: b.id, etag: etagOf(b) }),
                  }
                : undefined
            }
          />
        )}
      </Body>
    </section>
  );
}

export function TransactionsSection({ projectId, canEdit }: { projectId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const transactions = useTransactions(projectId);
  const edit = useEditing(projectId, "transactions");
  const remove = useDeleteTransaction(projectId);
  const row = transactions.data?.items.find((x) => x.id === edit.editing);
  return (
    <section id="transactions" aria-labelledby="transactions-h" className="card">
      <SectionHeader id="transactions-h" title={t("project.transactions")} canEdit={canEdit} adding={edit.editing !== null} onAdd={() => edit.open("new")} addLabel={t("project.addTransaction")} />
      {edit.editing !== null && (edit.editing === "new" || row) ? (
        <TransactionForm key={edit.key} projectId={projectId} transaction={row} onDone={edit.close} onReload={edit.reload} />
      ) : null}
      <FormProblem
        error={remove.error}
        onReload={() => {
          remove.reset();
          edit.reload();
        }}
      />
      <Body query={transactions}>
        {() => (
          <TransactionsTable
            items={transactions.data?.items ?? []}
            actions={
              canEdit
                ? {
                    busy: remove.isPending,
                    onEdit: (x) => edit.open(x.id),
                    onDelete: (x) =>
                      window.confirm(t("common.confirmDelete", { what: t("project.oneTransaction") })) && remove.mutate({ id: x.id, etag: etagOf(x) }),
                  }
                : undefined
            }
          />
        )}
      </Body>
    </section>
  );
}
