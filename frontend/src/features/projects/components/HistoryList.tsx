import { useTranslation } from "react-i18next";
import { formatDate } from "@/lib/format";
import type { AuditEvent } from "@/features/projects/api/project";

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function HistoryList({ events }: { events: readonly AuditEvent[] }) {
  const { t, i18n } = useTranslation();
  if (events.length === 0) return <p className="muted">{t("project.noHistory")}</p>;
  return (
    <ol className="history">
      {events.map((event) => (
        <li key={event.id}>
          <p>
            <time dateTime={event.occurred_at}>{formatDate(i18n.language, event.occurred_at)}</time> ·{" "}
            <strong>{event.actor_name ?? event.actor}</strong> · {event.action} {event.entity_type}
          </p>
          <ul className="changes">
            {Object.entries(event.changes as Record<string, { before?: unknown; after?: unknown }>).map(([field, change]) => (
              <li key={field}>
                <code>{field}</code>: {show(change?.before)} → {show(change?.after)}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
