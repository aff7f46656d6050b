import { useTranslation } from "react-i18next";
import { formatMoney, formatMoneyWhole } from "@/lib/format";

export interface NotConverted {
  currency: string;
  amount: string;
}

/**
 * A EUR total and, apart, what could not be converted ("EUR 1,239,512, plus GEL 40,000.00 not converted"). `whole`
 * rounds to whole euros (headlines: a compact "EUR 1.2M" would not move when a new entry is added). `eur` is null when
 * all the money lacks an exchange rate: then there is no EUR figure at all ("GEL 40,000 not converted"), never EUR 0.
 */
export function EurTotal({
  eur,
  notConverted = [],
  compact = false,
  whole = false,
}: {
  eur: string | null;
  notConverted?: NotConverted[];
  compact?: boolean;
  whole?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const amounts = notConverted.map((n) => formatMoney(i18n.language, n.amount, n.currency)).join(", ");
  if (eur === null) {
    return (
      <span className="money" data-eur="none">
        <span className="not-converted">{t("money.onlyNotConverted", { amounts })}</span>
      </span>
    );
  }
  return (
    <span className="money">
      {whole ? formatMoneyWhole(i18n.language, eur, "EUR") : formatMoney(i18n.language, eur, "EUR", compact)}
      {notConverted.length > 0 ? (
        <span className="not-converted"> {t("money.plusNotConverted", { amounts })}</span>
      ) : null}
    </span>
  );
}
