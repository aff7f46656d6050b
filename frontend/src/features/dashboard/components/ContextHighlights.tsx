import { useTranslation } from "react-i18next";
import { useCodeName, useCountryName } from "@/i18n/names";
import { Link } from "react-router";
import { useContextLatest, type ContextLatest } from "@/api/reporting";
import { Loading } from "@/components/Loading";
import { RangeBand } from "@/components/RangeBand";
import { formatNumber } from "@/lib/format";

export const HIGHLIGHTS = ["md-nationals-working-abroad", "md-share-working-abroad", "ge-idps"];

function Highlight({ item }: { item: ContextLatest }) {
  const { t, i18n } = useTranslation();
  const countryName = useCountryName();
  const unitName = useCodeName("units");
  const latest = item.latest;
  if (!latest) return null;
  const unit = item.unit === "percent" ? "%" : item.unit ? unitName(item.unit) : item.unit;
  const hasRange = latest.low !== null && latest.low !== undefined && latest.high !== null && latest.high !== undefined;
  return (
    <div className="card stat highlight" data-testid={`highlight-${item.code}`}>
      <p className="stat-label">{item.name}</p>
      {hasRange ? (
        <>
          <p className="stat-value">
            {formatNumber(i18n.language, latest.low ?? 0)}–{formatNumber(i18n.language, latest.high ?? 0)}{" "}
            <small>{unit}</small>
          </p>
          <RangeBand low={Number(latest.low)} high={Number(latest.high)} unit={unit} />
        </>
      ) : (
        <p className="stat-value">
          {formatNumber(i18n.language, latest.value ?? 0, 2)} <small>{unit}</small>
        </p>
      )}
      <p className="muted small">
        {t("context.period", { period: latest.period })} ·{" "}
        {item.country_code ? (
          <Link to={`/countries/${item.country_code}`}>{countryName(item.country_code)}</Link>
        ) : null}
      </p>
      <p className="muted small source">{t("context.source", { source: latest.source })}</p>
    </div>
  );
}

export function ContextHighlights() {
  const { t } = useTranslation();
  const context = useContextLatest();
  if (context.isPending) return <Loading />;
  if (context.isError) return <p className="muted">{t("context.unavailable")}</p>;
  const items = HIGHLIGHTS.map((code) => context.data.find((c) => c.code === code)).filter((c): c is ContextLatest =>
    Boolean(c),
  );
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="highlights-h" className="highlights">
      <h2 id="highlights-h">{t("context.highlights")}</h2>
      <div className="stat-cards">
        {items.map((item) => (
          <Highlight key={item.code} item={item} />
        ))}
      </div>
    </section>
  );
}
