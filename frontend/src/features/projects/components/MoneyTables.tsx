import { useTranslation } from "react-i18next";
import "@/features/projects/components/money.css";
import { formatDate, formatMoney, formatNumber } from "@/lib/format";
import type { Budget, Transaction } from "@/features/projects/api/project";
import { RecordTable, type Column } from "@/components/forms/RecordTable";
import type { RowActions } from "@/components/forms/RowActions";

type MoneyRow = Pick<Transaction, "amount" | "currency" | "eur">;

/** The amount as recorded and its EUR value, the last two columns of every money table. */
function moneyColumns<T extends MoneyRow>(original: string, language: string): Column<T>[] {
  return [
    { header: original, num: true, cell: (row) => formatMoney(language, row.amount, row.currency) },
    { header: "EUR", num: true, cell: (row) => <Eur eur={row.eur} /> },
  ];
}

function Eur({ eur }: { eur: Transaction["eur"] }) {
  const { t, i18n } = useTranslation();
  if (!eur) return <span className="not-converted">{t("money.notConverted")}</span>;
  // The rate, its date and its source are shown, not only hovered: a figure says how it was derived.
  return (
    <span className="eur-value">
      {formatMoney(i18n.language, eur.amount, "EUR")}
      <small className="rate-note">
        {t("money.rate", {
          rate: formatNumber(i18n.language, eur.rate, 6),
          date: formatDate(i18n.language, eur.rate_date),
          source: eur.source,
        })}
      </small>
    </span>
  );
}

export function TransactionsTable({
  items,
  actions,
}: {
  items: readonly Transaction[];
  actions?: RowActions<Transaction>;
}) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return <p className="muted">{t("project.noTransactions")}</p>;
  const label = (tx: Transaction) =>
    `${t(`transactionTypes.${tx.transaction_type}`)} ${formatDate(i18n.language, tx.transaction_date)}`;
  return (
    <RecordTable
      caption={t("project.transactions")}
      testId="transactions"
      rows={[...items].sort((a, b) => a.transaction_date.localeCompare(b.transaction_date))}
      actions={actions}
      rowLabel={label}
      columns={[
        { header: t("fields.date"), cell: (tx) => formatDate(i18n.language, tx.transaction_date) },
        { header: t("fields.type"), cell: (tx) => t(`transactionTypes.${tx.transaction_type}`) },
        { header: t("fields.provider"), cell: (tx) => tx.provider?.acronym ?? tx.provider?.name ?? "—" },
        { header: t("fields.receiver"), cell: (tx) => tx.receiver?.acronym ?? tx.receiver?.name ?? "—" },
        ...moneyColumns<Transaction>(t("money.original"), i18n.language),
      ]}
    />
  );
}

export function BudgetsTable({ items, actions }: { items: readonly Budget[]; actions?: RowActions<Budget> }) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return <p className="muted">{t("project.noBudgets")}</p>;
  const date = (value: string) => formatDate(i18n.language, value);
  return (
    <RecordTable
      caption={t("project.budgets")}
      rows={items}
      actions={actions}
      rowLabel={(b) => `${t("budgets.one")} ${date(b.period_start)}`}
      columns={[
        { header: t("project.period"), cell: (b) => `${date(b.period_start)} – ${date(b.period_end)}` },
        { header: t("fields.type"), cell: (b) => t(`budgetTypes.${b.budget_type}`) },
        { header: t("fields.status"), cell: (b) => t(`budgetStatuses.${b.status}`) },
        ...moneyColumns<Budget>(t("money.original"), i18n.language),
      ]}
    />
  );
}
