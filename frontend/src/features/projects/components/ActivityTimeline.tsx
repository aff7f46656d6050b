import { useTranslation } from "react-i18next";
import { formatDate, formatNumber } from "@/lib/format";
import type { Activity } from "@/features/projects/api/project";
import { RowActionButtons, type RowActions } from "@/components/forms/RowActions";
import { useCountryName } from "@/i18n/names";

/** The project's events in date order; on-site visits carry the type of facility visited. */
export function ActivityTimeline({
  activities,
  actions,
}: {
  activities: readonly Activity[];
  actions?: RowActions<Activity>;
}) {
  const { t, i18n } = useTranslation();
  const countryName = useCountryName();
  const sorted = [...activities].sort((a, b) => a.start_date.localeCompare(b.start_date));
  if (sorted.length === 0) return <p className="muted">{t("project.noActivities")}</p>;
  return (
    <ol className="timeline">
      {sorted.map((activity) => (
        <li key={activity.id} className={`timeline-item kind-${activity.kind}`}>
          <time dateTime={activity.start_date}>
            {formatDate(i18n.language, activity.start_date)}
            {activity.end_date && activity.end_date !== activity.start_date
              ? ` – ${formatDate(i18n.language, activity.end_date)}`
              : ""}
          </time>
          <div className="timeline-body">
            <p>
              <span className="badge">{t(`activityKinds.${activity.kind}`)}</span>{" "}
              {activity.facility_type ? (
                <span className="badge facility">{t(`facilityTypes.${activity.facility_type}`)}</span>
              ) : null}{" "}
              <strong>{activity.title}</strong>
            </p>
            <p className="muted">
              {[
                activity.facility_name,
                activity.place,
                activity.country_code ? countryName(activity.country_code) : null,
              ]
                .filter(Boolean)
                .join(", ")}
              {activity.total_participants > 0
                ? ` · ${t("project.participants", {
                    total: formatNumber(i18n.language, activity.total_participants),
                    women: formatNumber(i18n.language, activity.women),
                    men: formatNumber(i18n.language, activity.men),
                  })}`
                : ""}
            </p>
            {actions ? (
              <p className="row-actions">
                <RowActionButtons row={activity} actions={actions} label={activity.title} />
              </p>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
