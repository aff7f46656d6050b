import { useTranslation } from "react-i18next";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { useCodeName } from "@/i18n/names";
import { formatDate, formatNumber } from "@/lib/format";
import { useReportHistory } from "@/features/reporting/api/report";

type Snapshot = { value?: string | null; text_value?: string | null; incomplete?: boolean } | null | undefined;

/**
 * What happened to a report, in words: who (by name) moved it through the workflow, and each value added, changed or
 * removed with its indicator and breakdown, numbers as the reader writes them.
 */
export function ReportHistory({ reportId, indicatorNames }: { reportId: string; indicatorNames: Map<string, string> }) {
  const { t, i18n } = useTranslation();
  const history = useReportHistory(reportId);
  const dimensionName = useCodeName("dimensions");
  const valueName = useCodeName("dimensionValues");
  if (history.isError) return <ErrorPanel error={history.error} />;
  if (!history.data) return <Loading />;
  const shown = (s: Snapshot) => {
    if (!s) return "—";
    if (s.value !== null && s.value !== undefined) return formatNumber(i18n.language, s.value, 4);
    return s.text_value ? `“${s.text_value}”` : "—";
  };
  const breakdown = (key: string) =>
    key
      ? key
          .split(";")
          .map((part) => {
            const [dim = "", code = ""] = part.split("=");
            return `${valueName(`${dim}.${code}`, code)} (${dimensionName(dim, dim)})`;
          })
          .join(" × ")
      : t("reports.total");
  const someone = t("history.someone");
  const entries = [
    ...history.data.events.map((e) => ({
      at: e.at,
      text: `${e.actor_name ?? someone} · ${t(`history.reportActions.${e.action}`, { defaultValue: e.action })}${
        e.comment ? ` — “${e.comment}”` : ""
      }`,
      muted: false,
    })),
    ...history.data.value_changes.map((c) => ({
      at: c.at,
      text: `${c.actor_name ?? someone} · ${t(`history.valueActions.${c.action}`, { defaultValue: c.action })} · ${
        indicatorNames.get(c.project_indicator_id) ?? ""
      }, ${breakdown(c.disaggregation_key)}: ${
        c.action === "create"
          ? shown(c.after as Snapshot)
          : c.action === "delete"
            ? shown(c.before as Snapshot)
            : `${shown(c.before as Snapshot)} → ${shown(c.after as Snapshot)}`
      }${c.via === "import" ? ` (${t("history.viaImport")})` : ""}`,
      muted: true,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  if (entries.length === 0) return <p className="muted">{t("project.noHistory")}</p>;
  return (
    <ol className="history" data-testid="report-history">
      {entries.slice(0, 50).map((entry, i) => (
        <li key={i} className={entry.muted ? "muted" : undefined}>
          <time dateTime={entry.at}>{formatDate(i18n.language, entry.at)}</time> · {entry.text}
        </li>
      ))}
    </ol>
  );
}
