import { useTranslation } from "react-i18next";
import { useOrganisations } from "@/api/organisations";
import { Field } from "@/components/Field";
import { useFormState } from "@/components/forms/useFormState";
import { Select } from "@/components/Select";
import { useFieldErrors } from "@/lib/field-messages";
import {
  useCreateTransaction,
  useProject,
  type Transaction,
  type TransactionCreate,
} from "@/features/projects/api/project";
import { decimalText } from "@/features/projects/components/project-form-model";
import { etagOf, useUpdateTransaction } from "@/features/projects/api/records";
import { MoneyFields } from "@/features/projects/components/MoneyFields";
import { RecordForm, type RecordFormProps } from "@/features/projects/components/RecordForm";

const TYPES: TransactionCreate["transaction_type"][] = [
  "incoming-funds",
  "incoming-commitment",
  "commitment",
  "disbursement",
  "expenditure",
];

/** The project's funding partner: who provides a new transaction's money unless the user says otherwise. */
function useFundingPartner(projectId: string): string {
  const project = useProject(projectId);
  return project.data?.project.participants.find((p) => p.role === "funding")?.organisation.id ?? "";
}

export function TransactionForm({ projectId, row: transaction, onDone, frame }: RecordFormProps<Transaction>) {
  const { t, i18n } = useTranslation();
  const createTx = useCreateTransaction(projectId);
  const updateTx = useUpdateTransaction(projectId);
  const save = transaction ? updateTx : createTx;
  const organisations = useOrganisations();
  const fundingPartner = useFundingPartner(projectId);
  const { form, bind } = useFormState({
    transaction_type: transaction?.transaction_type ?? ("disbursement" as TransactionCreate["transaction_type"]),
    transaction_date: transaction?.transaction_date ?? new Date().toISOString().slice(0, 10),
    amount: transaction ? String(Number(transaction.amount)) : "",
    currency: transaction?.currency ?? "EUR",
    provider_org_id: transaction ? (transaction.provider?.id ?? "") : fundingPartner,
    receiver_org_id: transaction?.receiver?.id ?? "",
    description: transaction?.description ?? "",
  });
  const errors = useFieldErrors(save.error);
  const organisationOptions = (organisations.data?.items ?? []).map((o) => ({
    value: o.id,
    label: o.acronym ?? o.name,
  }));

  function submit() {
    const body = {
      transaction_type: form.transaction_type,
      transaction_date: form.transaction_date,
      amount: decimalText(form.amount, i18n.language),
      currency: form.currency,
      provider_org_id: form.provider_org_id || null,
      receiver_org_id: form.receiver_org_id || null,
      description: form.description || null,
    };
    if (transaction) updateTx.mutate({ body, id: transaction.id, etag: etagOf(transaction) }, { onSuccess: onDone });
    else createTx.mutate({ ...body, is_illustrative: false }, { onSuccess: onDone });
  }

  return (
    <RecordForm {...frame} save={save} onSubmit={submit}>
      <div className="form-grid">
        <Field label={t("fields.type")} error={errors.transaction_type}>
          <Select
            {...bind("transaction_type")}
            options={TYPES.map((type) => ({ value: type, label: t(`transactionTypes.${type}`) }))}
          />
        </Field>
        <Field label={t("fields.date")} error={errors.transaction_date}>
          <input type="date" {...bind("transaction_date")} required />
        </Field>
        <MoneyFields amount={bind("amount")} currency={bind("currency")} errors={errors} />
        <Field label={t("fields.provider")} error={errors.provider_org_id} hint={t("project.providerHint")}>
          <Select {...bind("provider_org_id")} empty="—" options={organisationOptions} />
        </Field>
        <Field label={t("fields.receiver")} error={errors.receiver_org_id}>
          <Select {...bind("receiver_org_id")} empty="—" options={organisationOptions} />
        </Field>
        <Field label={t("fields.description")} error={errors.description} className="wide">
          <input {...bind("description")} />
        </Field>
      </div>
    </RecordForm>
  );
}
