import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { downloadFundingSummary, funderLabel, useFunders, useFundingSummary, type SummaryRow } from "@/api/funding";
import { ErrorPanel } from "@/components/ErrorPanel";
import { FundingFilters } from "@/components/FundingFilters";
import { Loading } from "@/components/Loading";
import { EurTotal } from "@/components/Money";
import { useCodeName, useCountryName } from "@/i18n/names";
import { downloadBlob } from "@/lib/csv";
import { formatNumber } from "@/lib/format";
import {
  DIMENSIONS,
  fundingQuery,
  parseExplorerView,
  parseFundingFilters,
  writeFundingFilters,
  type Dimension,
  type ExplorerView,
  type FundingFilters as Filters,
} from "@/lib/funding-filters";
import { chartData } from "@/features/funding/api/rows";
import { ExplorerTable } from "@/features/funding/components/ExplorerTable";
import "@/features/funding/components/explorer.css";

// The chart library loads beside the data, not before the page.
const ExplorerChart = lazy(async () => ({
  default: (await import("@/features/funding/components/ExplorerChart")).ExplorerChart,
}));

function useRowLabel(): (row: SummaryRow, dim: Dimension) => string {
  const { t } = useTranslation();
  const countryName = useCountryName();
  const themeName = useCodeName("themes");
  return (row, dim) => {
    switch (dim) {
      case "funder":
        return funderLabel(row.funder, t("dashboard.unknownFunder"));
      case "country":
        return row.country ? countryName(row.country.code, row.country.name) : t("explorer.noCountry");
      case "theme":
        return row.theme ? themeName(row.theme.code, row.theme.name) : t("explorer.noTheme");
      case "year":
        return row.year === null || row.year === undefined ? "—" : String(row.year);
      case "status":
        return row.status ? t(`status.${row.status}`) : "—";
    }
  };
}

/** What the current figures answer, in words: the filters that are set. */
function Question({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const funders = useFunders("");
  const countryName = useCountryName();
  const themeName = useCodeName("themes");
  const labelOf = new Map((funders.data?.items ?? []).map((f) => [f.id, funderLabel(f, f.id)]));
  const years =
    filters.yearFrom && filters.yearTo
      ? t("explorer.yearsBetween", { from: filters.yearFrom, to: filters.yearTo })
      : filters.yearFrom
        ? t("explorer.yearsSince", { from: filters.yearFrom })
        : filters.yearTo
          ? t("explorer.yearsUntil", { to: filters.yearTo })
          : t("explorer.yearsAll");
  const facts: [string, string][] = [
    [t("explorer.transactionType"), t(`transactionTypes.${filters.type}`)],
    [t("explorer.funder"), filters.funder.map((f) => labelOf.get(f) ?? "…").join("; ") || t("explorer.allFunders")],
    [t("explorer.recipientCountry"), filters.country.map((c) => countryName(c)).join(", ") || t("common.all")],
    [t("explorer.years"), years],
  ];
  if (filters.theme.length) facts.push([t("fields.theme"), filters.theme.map((c) => themeName(c)).join(", ")]);
  if (filters.status.length) facts.push([t("fields.status"), filters.status.map((s) => t(`status.${s}`)).join(", ")]);
  return (
    <dl className="facts question" data-testid="explorer-question">
      {facts.map(([term, value]) => (
        <div key={term} className="fact-row">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Downloads({ query }: { query: ReturnType<typeof fundingQuery> }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<"csv" | "xlsx" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [copied, setCopied] = useState<"ok" | "failed" | null>(null);
  async function download(format: "csv" | "xlsx") {
    setBusy(format);
    setError(null);
    try {
      downloadBlob(`funding-summary.${format}`, await downloadFundingSummary(query, format));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }
  async function copyLink() {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied("ok");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <div className="explorer-actions">
      <button type="button" onClick={() => void download("csv")} disabled={busy !== null}>
        {busy === "csv" ? t("common.working") : t("explorer.downloadCsv")}
      </button>
      <button type="button" onClick={() => void download("xlsx")} disabled={busy !== null}>
        {busy === "xlsx" ? t("common.working") : t("explorer.downloadXlsx")}
      </button>
      <button type="button" onClick={() => void copyLink()}>
        {t("explorer.copyLink")}
      </button>
      <span role="status" className="muted small">
        {copied === "ok" ? t("explorer.linkCopied") : copied === "failed" ? t("explorer.copyFailed") : ""}
      </span>
      {error ? <ErrorPanel error={error} /> : null}
    </div>
  );
}

/**
 * The funding explorer: funder × recipient country × year × theme × status. The filters and the grouping live in the
 * URL (a view is shared by its link); the total, the chart, the table and the downloads all come from the funding
 * summary for exactly that query, so the screen and the file hold the same figures.
 */
export function FundingExplorerPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = parseFundingFilters(params);
  const view = parseExplorerView(params);
  const dims: Dimension[] = view.split ? [view.rows, view.split] : [view.rows];
  const query = fundingQuery(filters, dims);
  const summary = useFundingSummary(query);
  const label = useRowLabel();
  const update = (next: Filters, nextView: ExplorerView = view) =>
    setParams(writeFundingFilters(next, nextView, params), { replace: true, preventScrollReset: true });

  return (
    <div className="page explorer">
      <h1>{t("explorer.title")}</h1>
      <p className="muted">{t("explorer.intro")}</p>
      <FundingFilters filters={filters} onChange={(next) => update(next)} label={t("explorer.filters")}>
        <div className="field">
          <label htmlFor="fx-rows">{t("explorer.rows")}</label>
          <select
            id="fx-rows"
            value={view.rows}
            onChange={(e) =>
              update(filters, {
                rows: e.target.value as Dimension,
                split: view.split === e.target.value ? null : view.split,
              })
            }
          >
            {DIMENSIONS.map((dim) => (
              <option key={dim} value={dim}>
                {t(`explorer.dims.${dim}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="fx-split">{t("explorer.split")}</label>
          <select
            id="fx-split"
            value={view.split ?? ""}
            onChange={(e) => update(filters, { rows: view.rows, split: (e.target.value || null) as Dimension | null })}
          >
            <option value="">{t("explorer.noSplit")}</option>
            {DIMENSIONS.filter((dim) => dim !== view.rows).map((dim) => (
              <option key={dim} value={dim}>
                {t(`explorer.dims.${dim}`)}
              </option>
            ))}
          </select>
        </div>
      </FundingFilters>

      <section className="card explorer-answer" aria-labelledby="fx-total-h">
        <h2 id="fx-total-h">{t("explorer.totalTitle")}</h2>
        <Question filters={filters} />
        {summary.isError ? (
          <ErrorPanel error={summary.error} />
        ) : summary.data ? (
          <>
            <p className="stat-value" data-testid="explorer-total" aria-live="polite">
              <EurTotal eur={summary.data.total.eur_amount} notConverted={summary.data.total.not_converted ?? []} />
            </p>
            <p className="muted">
              {t("explorer.transactionCount", {
                count: summary.data.total.transactions,
                n: formatNumber(i18n.language, summary.data.total.transactions),
              })}
            </p>
          </>
        ) : (
          <Loading />
        )}
        <Downloads query={query} />
      </section>

      <section className="card" aria-labelledby="fx-chart-h">
        <h2 id="fx-chart-h">{t("explorer.chart")}</h2>
        {summary.data ? (
          <Suspense fallback={<Loading />}>
            <ExplorerChart
              data={chartData(summary.data.rows, view, label)}
              label={t("explorer.chartLabel", { rows: t(`explorer.dims.${view.rows}`) })}
            />
          </Suspense>
        ) : summary.isError ? null : (
          <Loading />
        )}
      </section>

      <section className="card" aria-labelledby="fx-table-h">
        <h2 id="fx-table-h">{t("explorer.table")}</h2>
        {summary.data ? (
          <ExplorerTable summary={summary.data} dims={dims} label={label} />
        ) : summary.isError ? null : (
          <Loading />
        )}
      </section>
    </div>
  );
}
