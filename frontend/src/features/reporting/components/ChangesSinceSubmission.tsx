import { useTranslation } from "react-i18next";
import { useCodeName } from "@/i18n/names";
import { formatDate, formatNumber } from "@/lib/format";
import type { ReportChanges } from "@/features/reporting/api/report";

/** For the approver of a resubmitted report: each value changed since they last saw it, before and now. */
export function ChangesSinceSubmission({
  changes,
  indicatorNames,
}: {
  changes: ReportChanges;
  indicatorNames: Map<string, string>;
}) {
  const { t, i18n } = useTranslation();
  const dimensionName = useCodeName("dimensions");
  const valueName = useCodeName("dimensionValues");
  if (!changes.base_submitted_at) return null;
  const shown = (v: string | null | undefined) =>
    v === null || v === undefined ? "—" : Number.isNaN(Number(v)) ? v : formatNumber(i18n.language, v, 4);
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
  return (
    <section className="card" aria-labelledby="changes-h" data-testid="changes-since-submission">
      <h2 id="changes-h">{t("reports.changesTitle")}</h2>
      <p className="muted">
        {t("reports.changesSince", { date: formatDate(i18n.language, changes.base_submitted_at) })}
      </p>
      {changes.values.length === 0 && !changes.narrative_changed ? <p>{t("reports.noChanges")}</p> : null}
      {changes.narrative_changed ? <p>{t("reports.narrativeChanged")}</p> : null}
      {changes.values.length > 0 ? (
        <table className="data-table compact">
          <caption className="visually-hidden">{t("reports.changesTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("reports.indicator")}</th>
              <th scope="col">{t("reports.breakdown")}</th>
              <th scope="col" className="num">
                {t("reports.before")}
              </th>
              <th scope="col" className="num">
                {t("reports.now")}
              </th>
            </tr>
          </thead>
          <tbody>
            {changes.values.map((c) => (
              <tr key={`${c.project_indicator_id}|${c.disaggregation_key}`}>
                <td>{indicatorNames.get(c.project_indicator_id) ?? "—"}</td>
                <td>{breakdown(c.disaggregation_key)}</td>
                <td className="num">{shown(c.before)}</td>
                <td className="num">{shown(c.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
