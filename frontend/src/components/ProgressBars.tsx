import { useTranslation } from "react-i18next";
import type { Progress } from "@/api/reporting";
import { formatNumber } from "@/lib/format";

/** Target against actual for each indicator of a results framework. */
export function ProgressBars({ items }: { items: readonly Progress[] }) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return <p className="muted">{t("results.none")}</p>;
  const n = (v: string | null | undefined) => (v === null || v === undefined ? "—" : formatNumber(i18n.language, v, 2));
  return (
    <ul className="progress-list" data-testid="progress">
      {items.map((item) => {
        const percent =
          item.percent_achieved === null || item.percent_achieved === undefined ? null : Number(item.percent_achieved);
        return (
          <li key={item.project_indicator_id}>
            <p>
              <strong>{item.name}</strong>{" "}
              {item.on_track === false ? <span className="badge status-suspended">{t("results.behind")}</span> : null}
              {item.on_track === true ? (
                <span className="badge status-implementation">{t("results.onTrack")}</span>
              ) : null}
            </p>
            {/* A meter needs a value: with nothing reported yet the empty track is decoration (the numbers say it). */}
            <div
              className="progress-track"
              {...(percent === null
                ? { "aria-hidden": true }
                : {
                    role: "meter",
                    "aria-valuemin": 0,
                    "aria-valuemax": 100,
                    "aria-valuenow": Math.min(100, percent),
                    "aria-label": t("results.achieved", { name: item.name }),
                  })}
            >
              <span className="progress-fill" style={{ width: `${Math.min(100, percent ?? 0)}%` }} />
              {item.expected_percent ? (
                <span
                  className="progress-expected"
                  style={{ left: `${Math.min(100, Number(item.expected_percent))}%` }}
                />
              ) : null}
            </div>
            <p className="muted" data-testid="progress-numbers">
              {t("results.numbers", { baseline: n(item.baseline), actual: n(item.actual), target: n(item.target) })}
              {percent === null ? "" : ` · ${formatNumber(i18n.language, percent, 1)} %`}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
