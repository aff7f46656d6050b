import { useTranslation } from "react-i18next";
import { Field } from "@/components/Field";
import { useFormState } from "@/components/forms/useFormState";
import { Select } from "@/components/Select";
import { useFieldErrors } from "@/lib/field-messages";
import type { Budget } from "@/features/projects/api/project";
import { etagOf, useSaveBudget, type BudgetCreate } from "@/features/projects/api/records";
import { MoneyFields } from "@/features/projects/components/MoneyFields";
import { decimalText } from "@/features/projects/components/project-form-model";
import { RecordForm, type RecordFormProps } from "@/features/projects/components/RecordForm";

const TYPES: NonNullable<BudgetCreate["budget_type"]>[] = ["original", "revised"];
const STATUSES: NonNullable<BudgetCreate["status"]>[] = ["indicative", "committed"];

/** Create or edit a budget line (amount in its own currency; the API derives EUR). */
export function BudgetForm({ projectId, row: budget, onDone, frame }: RecordFormProps<Budget>) {
  const { t, i18n } = useTranslation();
  const save = useSaveBudget(projectId);
  const { form, bind } = useFormState({
    budget_type: budget?.budget_type ?? ("original" as NonNullable<BudgetCreate["budget_type"]>),
    status: budget?.status ?? ("indicative" as NonNullable<BudgetCreate["status"]>),
    period_start: budget?.period_start ?? "",
    period_end: budget?.period_end ?? "",
    amount: budget ? String(Number(budget.amount)) : "",
    currency: budget?.currency ?? "EUR",
    value_date: budget?.value_date ?? "",
  });
  const errors = useFieldErrors(save.error);

  function submit() {
    const body: BudgetCreate = {
      budget_type: form.budget_type,
      status: form.status,
      period_start: form.period_start,
      period_end: form.period_end,
      amount: decimalText(form.amount, i18n.language),
      currency: form.currency,
      ...(form.value_date ? { value_date: form.value_date } : {}),
      is_illustrative: budget?.is_illustrative ?? false,
    };
    save.mutate({ body, id: budget?.id, etag: budget ? etagOf(budget) : undefined }, { onSuccess: onDone });
  }

  return (
    <RecordForm {...frame} save={save} onSubmit={submit}>
      <div className="form-grid">
        <Field label={t("fields.type")} error={errors.budget_type}>
          <Select
            {...bind("budget_type")}
            options={TYPES.map((type) => ({ value: type, label: t(`budgetTypes.${type}`) }))}
          />
        </Field>
        <Field label={t("fields.status")} error={errors.status}>
          <Select {...bind("status")} options={STATUSES.map((s) => ({ value: s, label: t(`budgetStatuses.${s}`) }))} />
        </Field>
        <Field label={t("budgets.periodStart")} error={errors.period_start}>
          <input type="date" {...bind("period_start")} required />
        </Field>
        <Field label={t("budgets.periodEnd")} error={errors.period_end}>
          <input type="date" {...bind("period_end")} required />
        </Field>
        <MoneyFields amount={bind("amount")} currency={bind("currency")} errors={errors} />
        <Field label={t("budgets.valueDate")} error={errors.value_date} hint={t("budgets.valueDateHint")}>
          <input type="date" {...bind("value_date")} />
        </Field>
      </div>
    </RecordForm>
  );
}
