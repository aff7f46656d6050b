import { useTranslation } from "react-i18next";
import "@/features/projects/components/money.css";
import { formatDate, formatMoney, formatNumber } from "@/lib/format";
import type { Budget, Transaction } from "@/features/projects/api/project";
import type { RowActions } from "@/features/projects/components/ProjectRecords";

function Actions<T>({ row, actions, label }: { row: T; actions: RowActions<T>; label: string }) {
  const { t } = useTranslation();
  return (
    <td className="row-actions">
      <button
        type="button"
        className="link"
        disabled={actions.busy}
        onClick={() => actions.onEdit(row)}
        aria-label={t("common.editWhat", { what: label })}
      >
        {t("common.edit")}
      </button>{" "}
      <button
        type="button"
        className="link-button"
        disabled={actions.busy}
        onClick={() => actions.onDelete(row)}
        aria-label={t("common.deleteWhat", { what: label })}
      >
        {t("common.delete")}
      </button>
    </td>
  );
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
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="transactions">
        <caption className="visually-hidden">{t("project.transactions")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("fields.date")}</th>
            <th scope="col">{t("fields.type")}</th>
            <th scope="col">{t("fields.provider")}</th>
            <th scope="col">{t("fields.receiver")}</th>
            <th scope="col" className="num">
              {t("money.original")}
            </th>
            <th scope="col" className="num">
              EUR
            </th>
            {actions ? (
              <th scope="col">
                <span className="visually-hidden">{t("common.actions")}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {[...items]
            .sort((a, b) => a.transaction_date.localeCompare(b.transaction_date))
            .map((tx) => (
              <tr key={tx.id}>
                <td>{formatDate(i18n.language, tx.transaction_date)}</td>
                <td>{t(`transactionTypes.${tx.transaction_type}`)}</td>
                <td>{tx.provider?.acronym ?? tx.provider?.name ?? "—"}</td>
                <td>{tx.receiver?.acronym ?? tx.receiver?.name ?? "—"}</td>
                <td className="num">{formatMoney(i18n.language, tx.amount, tx.currency)}</td>
                <td className="num">
                  <Eur eur={tx.eur} />
                </td>
                {actions ? (
                  <Actions
                    row={tx}
                    actions={actions}
                    label={`${t(`transactionTypes.${tx.transaction_type}`)} ${formatDate(i18n.language, tx.transaction_date)}`}
                  />
                ) : null}
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}

export function BudgetsTable({ items, actions }: { items: readonly Budget[]; actions?: RowActions<Budget> }) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return <p className="muted">{t("project.noBudgets")}</p>;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{t("project.budgets")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("project.period")}</th>
            <th scope="col">{t("fields.type")}</th>
            <th scope="col">{t("fields.status")}</th>
            <th scope="col" className="num">
              {t("money.original")}
            </th>
            <th scope="col" className="num">
              EUR
            </th>
            {actions ? (
              <th scope="col">
                <span className="visually-hidden">{t("common.actions")}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {items.map((b) => (
            <tr key={b.id}>
              <td>
                {formatDate(i18n.language, b.period_start)} – {formatDate(i18n.language, b.period_end)}
              </td>
              <td>{t(`budgetTypes.${b.budget_type}`)}</td>
              <td>{t(`budgetStatuses.${b.status}`)}</td>
              <td className="num">{formatMoney(i18n.language, b.amount, b.currency)}</td>
              <td className="num">
                <Eur eur={b.eur} />
              </td>
              {actions ? (
                <Actions
                  row={b}
                  actions={actions}
                  label={`${t("budgets.one")} ${formatDate(i18n.language, b.period_start)}`}
                />
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
