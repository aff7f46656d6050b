import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useOrganisations } from "@/api/organisations";
import { useCurrencies } from "@/api/reference";
import { Field } from "@/components/Field";
import { FormProblem } from "@/components/FormProblem";
import { useCurrencyName } from "@/i18n/names";
import { ApiError, fieldErrors } from "@/lib/problem";
import { useCreateTransaction, type Transaction, type TransactionCreate } from "@/features/projects/api/project";
import { etagOf, useUpdateTransaction } from "@/features/projects/api/records";

const TYPES: TransactionCreate["transaction_type"][] = ["incoming-funds", "incoming-commitment", "commitment", "disbursement", "expenditure"];

interface Props {
  projectId: string;
  /** The transaction as listed when the form opened (its version is the If-Match), or none for a new one. */
  transaction?: Transaction;
  onDone: () => void;
  onReload?: () => void;
}

export function TransactionForm({ projectId, transaction, onDone, onReload }: Props) {
  const { t } = useTranslation();
  const currencyName = useCurrencyName();
  const createTx = useCreateTransaction(projectId);
  const updateTx = useUpdateTransaction(projectId);
  const create = transaction ? updateTx : createTx;
  const currencies = useCurrencies();
  const organisations = useOrganisations();
  const [form, setForm] = useState({
    transaction_type: transaction?.transaction_type ?? ("disbursement" as TransactionCreate["transaction_type"]),
    transaction_date: transaction?.transaction_date ?? new Date().toISOString().slice(0, 10),
    amount: transaction ? String(Number(transaction.amount)) : "",
    currency: transaction?.currency ?? "EUR",
    provider_org_id: transaction?.provider?.id ?? "",
    receiver_org_id: transaction?.receiver?.id ?? "",
    description: transaction?.description ?? "",
  });
  const heading = transaction ? t("project.editTransaction") : t("project.addTransaction");
  const problem = create.error instanceof ApiError ? create.error.problem : null;
  const errors = fieldErrors(problem);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = {
      transaction_type: form.transaction_type,
      transaction_date: form.transaction_date,
      amount: form.amount.trim(),
      currency: form.currency,
      provider_org_id: form.provider_org_id || null,
      receiver_org_id: form.receiver_org_id || null,
      description: form.description || null,
    };
    if (transaction) updateTx.mutate({ body, id: transaction.id, etag: etagOf(transaction) }, { onSuccess: onDone });
    else createTx.mutate({ ...body, is_illustrative: false }, { onSuccess: onDone });
  }

  return (
    <form className="form card" onSubmit={submit} aria-label={heading} noValidate data-testid="transaction-form">
      <h3>{heading}</h3>
      <FormProblem error={create.error} onReload={onReload} what={t("project.oneTransaction")} />
      <div className="form-grid">
        <Field label={t("fields.type")} error={errors.transaction_type}>
          <select value={form.transaction_type} onChange={set("transaction_type")}>
            {TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`transactionTypes.${type}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("fields.date")} error={errors.transaction_date}>
          <input type="date" value={form.transaction_date} onChange={set("transaction_date")} required />
        </Field>
        <Field label={t("fields.amount")} error={errors.amount}>
          <input inputMode="decimal" value={form.amount} onChange={set("amount")} required />
        </Field>
        <Field label={t("fields.currency")} error={errors.currency}>
          <select value={form.currency} onChange={set("currency")}>
            {(currencies.data ?? [{ code: "EUR", name: "Euro" }]).map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} — {currencyName(c.code, c.name)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("fields.provider")} error={errors.provider_org_id}>
          <select value={form.provider_org_id} onChange={set("provider_org_id")}>
            <option value="">—</option>
            {(organisations.data?.items ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.acronym ?? o.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("fields.receiver")} error={errors.receiver_org_id}>
          <select value={form.receiver_org_id} onChange={set("receiver_org_id")}>
            <option value="">—</option>
            {(organisations.data?.items ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.acronym ?? o.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("fields.description")} error={errors.description} className="wide">
          <input value={form.description} onChange={set("description")} />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? t("common.working") : t("common.save")}
        </button>
        <button type="button" onClick={onDone}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
