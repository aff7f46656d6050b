import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useCurrencies } from "@/api/reference";
import { Field } from "@/components/Field";
import { FormProblem } from "@/components/FormProblem";
import { useCurrencyName } from "@/i18n/names";
import { ApiError, fieldErrors } from "@/lib/problem";
import type { Budget } from "@/features/projects/api/project";
import { etagOf, useSaveBudget, type BudgetCreate } from "@/features/projects/api/records";

const TYPES: NonNullable<BudgetCreate["budget_type"]>[] = ["original", "revised"];
const STATUSES: NonNullable<BudgetCreate["status"]>[] = ["indicative", "committed"];

interface Props {
  projectId: string;
  budget?: Budget;
  onDone: () => void;
  onReload: () => void;
}

/** Create or edit a budget line (amount in its own currency; the API derives EUR). */
export function BudgetForm({ projectId, budget, onDone, onReload }: Props) {
  const { t } = useTranslation();
  const currencyName = useCurrencyName();
  const save = useSaveBudget(projectId);
  const currencies = useCurrencies();
  const [form, setForm] = useState({
    budget_type: budget?.budget_type ?? ("original" as NonNullable<BudgetCreate["budget_type"]>),
    status: budget?.status ?? ("indicative" as NonNullable<BudgetCreate["status"]>),
    period_start: budget?.period_start ?? "",
    period_end: budget?.period_end ?? "",
    amount: budget ? String(Number(budget.amount)) : "",
    currency: budget?.currency ?? "EUR",
    value_date: budget?.value_date ?? "",
  });
  const errors = fieldErrors(save.error instanceof ApiError ? save.error.problem : null);
  const heading = budget ? t("budgets.edit") : t("budgets.add");
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    const body: BudgetCreate = {
      budget_type: form.budget_type,
      status: form.status,
      period_start: form.period_start,
      period_end: form.period_end,
      amount: form.amount.trim(),
      currency: form.currency,
      ...(form.value_date ? { value_date: form.value_date } : {}),
      is_illustrative: budget?.is_illustrative ?? false,
    };
    save.mutate({ body, id: budget?.id, etag: budget ? etagOf(budget) : undefined }, { onSuccess: onDone });
  }

  return (
    <form className="form card" onSubmit={submit} aria-label={heading} noValidate data-testid="budget-form">
      <h3>{heading}</h3>
      <FormProblem error={save.error} onReload={onReload} what={t("budgets.one")} />
      <div className="form-grid">
        <Field label={t("fields.type")} error={errors.budget_type}>
          <select value={form.budget_type} onChange={set("budget_type")}>
            {TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`budgetTypes.${type}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("fields.status")} error={errors.status}>
          <select value={form.status} onChange={set("status")}>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`budgetStatuses.${status}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("budgets.periodStart")} error={errors.period_start}>
          <input type="date" value={form.period_start} onChange={set("period_start")} required />
        </Field>
        <Field label={t("budgets.periodEnd")} error={errors.period_end}>
          <input type="date" value={form.period_end} onChange={set("period_end")} required />
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
        <Field label={t("budgets.valueDate")} error={errors.value_date} hint={t("budgets.valueDateHint")}>
          <input type="date" value={form.value_date} onChange={set("value_date")} />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? t("common.working") : t("common.save")}
        </button>
        <button type="button" onClick={onDone}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
