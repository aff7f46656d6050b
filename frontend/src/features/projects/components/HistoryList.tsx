import { useTranslation } from "react-i18next";
import { useOrganisations } from "@/api/organisations";
import { useCodeName, useCountryName } from "@/i18n/names";
import { formatDate, formatNumber } from "@/lib/format";
import type { AuditEvent } from "@/features/projects/api/project";

/** Field names as the forms call them (others are shown as written, underscores as spaces). */
const FIELD_LABELS: Record<string, string> = {
  code: "fields.code",
  title: "fields.title",
  description: "fields.description",
  status: "fields.status",
  planned_start: "form.plannedStart",
  planned_end: "form.plannedEnd",
  actual_start: "form.actualStart",
  actual_end: "form.actualEnd",
  is_public: "form.isPublicShort",
  countries: "fields.countries",
  themes: "fields.themes",
  sectors: "fields.sectors",
  participants: "project.partners",
  locations: "project.locations",
  amount: "fields.amount",
  currency: "fields.currency",
  transaction_type: "fields.type",
  budget_type: "fields.type",
  transaction_date: "fields.date",
  provider_org_id: "fields.provider",
  receiver_org_id: "fields.receiver",
  eur_amount: "history.fields.eurAmount",
  fx_rate: "history.fields.fxRate",
  fx_rate_date: "history.fields.fxRateDate",
  fx_source: "history.fields.fxSource",
  value_date: "budgets.valueDate",
  period_start: "budgets.periodStart",
  period_end: "budgets.periodEnd",
  kind: "fields.kind",
  start_date: "activities.start",
  end_date: "activities.end",
  place: "activities.place",
  country_code: "fields.country",
  facility_type: "activities.facilityType",
  facility_name: "activities.facilityName",
  is_illustrative: "history.fields.illustrative",
  source: "project.source",
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** One value of the audit trail in words: names for codes and ids, dates and numbers as the reader writes them. */
function useShow() {
  const { t, i18n } = useTranslation();
  const organisations = useOrganisations();
  const countryName = useCountryName();
  const themeName = useCodeName("themes");
  const sectorName = useCodeName("sectors");
  const orgNames = new Map(
    (organisations.data?.items ?? []).map((o) => [o.id, o.acronym ? `${o.name} (${o.acronym})` : o.name]),
  );
  const scalar = (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === "") return "—";
    if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
    const text = String(value);
    if (field.endsWith("_org_id")) return orgNames.get(text) ?? t("history.unknownOrganisation");
    if (field === "status") return t(`status.${text}`, { defaultValue: text });
    if (field === "transaction_type") return t(`transactionTypes.${text}`, { defaultValue: text });
    if (field === "kind") return t(`activityKinds.${text}`, { defaultValue: text });
    if (field === "country_code") return countryName(text);
    if (DATE.test(text)) return formatDate(i18n.language, text);
    if (NUMBER.test(text)) return formatNumber(i18n.language, text, 6);
    return text;
  };
  return (field: string, value: unknown): string => {
    if (value === null || value === undefined) return "—";
    if (field === "countries" && typeof value === "object") {
      return (
        Object.entries(value as Record<string, string>)
          .map(([code, pct]) => `${countryName(code)} ${formatNumber(i18n.language, pct, 2)} %`)
          .join(", ") || "—"
      );
    }
    if (field === "sectors" && typeof value === "object") {
      return (
        Object.entries(value as Record<string, string>)
          .map(([code, pct]) => `${sectorName(code)} ${formatNumber(i18n.language, pct, 2)} %`)
          .join(", ") || "—"
      );
    }
    if (field === "themes" && Array.isArray(value))
      return value.map((code) => themeName(String(code))).join(", ") || "—";
    if (field === "participants" && Array.isArray(value)) {
      return (
        value
          .map((entry) => {
            const [role = "", id = ""] = String(entry).split(":");
            return `${orgNames.get(id) ?? t("history.unknownOrganisation")} (${t(`participantRoles.${role}`, { defaultValue: role })})`;
          })
          .join(", ") || "—"
      );
    }
    if (field === "locations" && Array.isArray(value)) {
      return value.map((entry) => String(entry).split(":").slice(1).join(":")).join(", ") || "—";
    }
    if (typeof value === "object") return t("history.changedDetails");
    return scalar(field, value);
  };
}

export function HistoryList({ events }: { events: readonly AuditEvent[] }) {
  const { t, i18n } = useTranslation();
  const show = useShow();
  if (events.length === 0) return <p className="muted">{t("project.noHistory")}</p>;
  return (
    <ol className="history" data-testid="project-history">
      {events.map((event) => {
        const changes = Object.entries(event.changes as Record<string, { before?: unknown; after?: unknown }>);
        const what = t(`history.entities.${event.entity_type}`, { defaultValue: event.entity_type });
        return (
          <li key={event.id}>
            <p>
              <time dateTime={event.occurred_at}>{formatDate(i18n.language, event.occurred_at)}</time> ·{" "}
              <strong>{event.actor_name ?? t("history.someone")}</strong> ·{" "}
              {t(`history.projectActions.${event.action}`, { defaultValue: event.action })} {what}
            </p>
            {event.action === "update" && changes.length === 0 ? (
              <p className="muted">{t("history.noChange")}</p>
            ) : null}
            {event.action === "update" && changes.length > 0 ? (
              <ul className="changes">
                {changes.map(([field, change]) => (
                  <li key={field}>
                    {FIELD_LABELS[field] ? t(FIELD_LABELS[field]) : field.replace(/_/g, " ")}:{" "}
                    {show(field, change?.before)} → {show(field, change?.after)}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
