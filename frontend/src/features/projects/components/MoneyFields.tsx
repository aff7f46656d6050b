import type { ChangeEvent } from "react";
import { useTranslation } from "react-i18next";
import { useCurrencies } from "@/api/reference";
import { Field } from "@/components/Field";
import { Select } from "@/components/Select";
import { useCurrencyName } from "@/i18n/names";

const FALLBACK = [{ code: "EUR", name: "Euro" }];

/** A control's value and what a change does (`bind` of useFormState). */
interface Bound {
  value: string;
  onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => void;
}

interface Props {
  amount: Bound;
  currency: Bound;
  errors: Record<string, string>;
}

/** An amount as typed (sent as a decimal string) and its currency, EUR until the currencies load. */
export function MoneyFields({ amount, currency, errors }: Props) {
  const { t } = useTranslation();
  const currencyName = useCurrencyName();
  const currencies = useCurrencies();
  return (
    <>
      <Field label={t("fields.amount")} error={errors.amount}>
        <input inputMode="decimal" {...amount} required />
      </Field>
      <Field label={t("fields.currency")} error={errors.currency}>
        <Select
          {...currency}
          options={(currencies.data ?? FALLBACK).map((c) => ({
            value: c.code,
            label: `${c.code} — ${currencyName(c.code, c.name)}`,
          }))}
        />
      </Field>
    </>
  );
}
