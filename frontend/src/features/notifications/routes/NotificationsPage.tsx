import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate } from "react-router";
import {
  useMarkRead,
  useNotificationPreferences,
  useNotifications,
  useSavePreferences,
  type Notification,
  type NotificationPreference,
  type NotificationPreferences,
} from "@/api/notifications";
import { ErrorPanel } from "@/components/ErrorPanel";
import { FormProblem } from "@/components/FormProblem";
import { Loading } from "@/components/Loading";
import { Pagination } from "@/components/Pagination";
import { useSession } from "@/lib/auth/session";
import { formatDate, formatNumber } from "@/lib/format";

type Data = Record<string, unknown>;

/** Where a notification leads: the report, the reporter's inbox, or the import page. */
function linkOf(n: Notification): string {
  const data = n.data as Data;
  if (n.kind === "import_finished") return "/reporting";
  if (data.report_id) return `/reports/${String(data.report_id)}`;
  return "/inbox";
}

/** A notification in words, in the language the app is showing (the API sends what happened, not text). */
function useWording() {
  const { t, i18n } = useTranslation();
  return (n: Notification): string => {
    const data = n.data as Data;
    const project = String(data.project_title ?? data.project_code ?? t("notifications.aProject"));
    const values = {
      actor: String(data.actor_name ?? t("history.someone")),
      period: String(data.period ?? ""),
      project,
      comment: String(data.comment ?? ""),
      status: t(`notifications.importStatus.${String(data.status ?? "done")}`, {
        defaultValue: String(data.status ?? ""),
      }),
      rows: formatNumber(i18n.language, Number(data.rows ?? 0)),
    };
    const key = n.kind === "report_returned" && !data.comment ? "report_returned_plain" : n.kind;
    return t(`notifications.kinds.${key}`, values);
  };
}

function Preferences({ current }: { current: NotificationPreferences }) {
  const { t } = useTranslation();
  const save = useSavePreferences();
  const [items, setItems] = useState<NotificationPreference[]>(current.items);
  const [saved, setSaved] = useState(false);
  const set = (kind: string, patch: Partial<NotificationPreference>) => {
    setSaved(false);
    setItems(items.map((item) => (item.kind === kind ? { ...item, ...patch } : item)));
  };
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(items, { onSuccess: () => setSaved(true) });
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="prefs-h">
      <h2 id="prefs-h">{t("notifications.preferences")}</h2>
      {!current.email_available ? <p className="muted">{t("notifications.noEmail")}</p> : null}
      <FormProblem error={save.error} />
      <table className="data-table compact prefs">
        <caption className="visually-hidden">{t("notifications.preferences")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("notifications.what")}</th>
            <th scope="col">{t("notifications.inApp")}</th>
            <th scope="col">{t("notifications.byEmail")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.kind}>
              <th scope="row">{t(`notifications.kindNames.${item.kind}`)}</th>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${t(`notifications.kindNames.${item.kind}`)}: ${t("notifications.inApp")}`}
                  checked={item.in_app}
                  onChange={(e) => set(item.kind, { in_app: e.target.checked })}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${t(`notifications.kindNames.${item.kind}`)}: ${t("notifications.byEmail")}`}
                  checked={item.email}
                  onChange={(e) => set(item.kind, { email: e.target.checked })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? t("common.working") : t("common.save")}
        </button>
      </div>
      <p role="status" className={saved ? "panel panel-ok" : "visually-hidden"}>
        {saved ? t("reports.saved") : ""}
      </p>
    </form>
  );
}

export function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const { me, status } = useSession();
  const [page, setPage] = useState(1);
  const list = useNotifications(page);
  const prefs = useNotificationPreferences();
  const markRead = useMarkRead();
  const words = useWording();
  if (status === "restoring") return <Loading />;
  if (!me) return <Navigate to="/login" state={{ from: "/notifications" }} replace />;
  const unread = (list.data?.items ?? []).some((n) => !n.read_at);
  return (
    <div className="page">
      <div className="page-header">
        <h1>{t("notifications.title")}</h1>
        <div className="actions">
          <button type="button" onClick={() => markRead.mutate(null)} disabled={!unread || markRead.isPending}>
            {t("notifications.markAllRead")}
          </button>
        </div>
      </div>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorPanel error={list.error} /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <p className="muted">{t("notifications.none")}</p>
        ) : (
          <>
            <ul className="notifications card" data-testid="notifications">
              {list.data.items.map((n) => (
                <li key={n.id} className={n.read_at ? "read" : "unread"}>
                  <Link to={linkOf(n)} onClick={() => (n.read_at ? undefined : markRead.mutate(n.id))}>
                    {n.read_at ? null : <span className="visually-hidden">{t("notifications.unreadOne")} </span>}
                    {words(n)}
                  </Link>
                  <time className="muted small block" dateTime={n.created_at}>
                    {formatDate(i18n.language, n.created_at)}
                  </time>
                </li>
              ))}
            </ul>
            <Pagination page={page} pageSize={25} total={list.data.total} onPage={setPage} />
          </>
        )
      ) : null}
      {prefs.data ? (
        <Preferences current={prefs.data} />
      ) : prefs.isError ? (
        <ErrorPanel error={prefs.error} />
      ) : (
        <Loading />
      )}
    </div>
  );
}
