import { useTranslation } from "react-i18next";
import { formatMoney } from "@/lib/format";

interface NotConverted {
  currency: string;
  amount: string;
}

/** A EUR total and, apart, what could not be converted ("EUR 1.2M, plus GEL 40,000 not converted"). */
export function EurTotal({ eur, notConverted = [], compact = false }: { eur: string; notConverted?: NotConverted[]; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <span className="money">
      {formatMoney(i18n.language, eur, "EUR", compact)}
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
