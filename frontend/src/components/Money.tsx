import { useTranslation } from "react-i18next";
import { formatMoney, formatMoneyWhole } from "@/lib/format";

export interface NotConverted {
  currency: string;
  amount: string;
}

/**
 * A EUR total and, apart, what could not be converted ("EUR 1,239,512, plus GEL 40,000.00 not converted"). `whole`
 * rounds to whole euros (headlines: a compact "EUR 1.2M" would not move when a new entry is added).
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
  const amount = eur ?? "0";
  return (
    <span className="money">
      {whole ? formatMoneyWhole(i18n.language, amount, "EUR") : formatMoney(i18n.language, amount, "EUR", compact)}
      {notConverted.length > 0 ? (
        <span className="not-converted">
          {" "}
          {t("money.plusNotConverted", {
            amounts: notConverted.map((n) => formatMoney(i18n.language, n.amount, n.currency)).join(", "),
          })}
        </span>
      ) : null}
    </span>
  );
}
