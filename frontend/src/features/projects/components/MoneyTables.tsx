import { useTranslation } from "react-i18next";
import { formatDate, formatMoney, formatNumber } from "@/lib/format";
import type { Budget, Transaction } from "@/features/projects/api/project";

function Eur({ eur }: { eur: Transaction["eur"] }) {
  const { t, i18n } = useTranslation();
  if (!eur) return <span className="not-converted">{t("money.notConverted")}</span>;
  return (
    <span title={t("money.rate", { rate: formatNumber(i18n.language, eur.rate, 6), date: formatDate(i18n.language, eur.rate_date), source: eur.source })}>
      {formatMoney(i18n.language, eur.amount, "EUR")}
    </span>
  );
}

export function TransactionsTable({ items }: { items: readonly Transaction[] }) {
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
            <th scope="col" className="num">{t("money.original")}</th>
            <th scope="col" className="num">EUR</th>
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
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}

export function BudgetsTable({ items }: { items: readonly Budget[] }) {
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
            <th scope="col" className="num">{t("money.original")}</th>
            <th scope="col" className="num">EUR</th>
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
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
