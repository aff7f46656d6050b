import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { Pagination } from "@/components/Pagination";
import { useCodeName } from "@/i18n/names";
import { isGlobalManager } from "@/lib/auth/admin-permissions";
import { useSession } from "@/lib/auth/session";
import { useIndicators } from "@/features/admin/api/indicators";
import "@/features/admin/components/admin.css";

const LEVELS = ["output", "outcome", "impact", "context"] as const;

/** The indicator catalogue every results framework draws from (anyone reads it; global managers and admins change it). */
export function IndicatorsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const levelName = useCodeName("levels");
  const measureName = useCodeName("measures");
  const [q, setQ] = useState("");
  const [search, setSearch] = useState("");
  const [level, setLevel] = useState<(typeof LEVELS)[number] | "">("");
  const [page, setPage] = useState(1);
  const indicators = useIndicators({
    page,
    page_size: 50,
    ...(search ? { q: search } : {}),
    ...(level ? { level } : {}),
  });
  return (
    <div className="page admin">
      <div className="page-header">
        <h1>{t("catalogue.title")}</h1>
        {isGlobalManager(me) ? (
          <Link className="button primary" to="/admin/indicators/new">
            {t("catalogue.new")}
          </Link>
        ) : null}
      </div>
      <p className="muted">{t("catalogue.intro")}</p>
      <form
        role="search"
        className="filters card"
        aria-label={t("catalogue.search")}
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q.trim());
          setPage(1);
        }}
      >
        <div className="field grow">
          <label htmlFor="ind-q">{t("catalogue.search")}</label>
          <input id="ind-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="ind-level">{t("catalogue.level")}</label>
          <select
            id="ind-level"
            value={level}
            onChange={(e) => {
              setLevel(e.target.value as typeof level);
              setPage(1);
            }}
          >
            <option value="">{t("common.all")}</option>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {levelName(l)}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-actions">
          <button type="submit" className="primary">
            {t("projects.apply")}
          </button>
        </div>
      </form>
      {indicators.isPending ? (
        <Loading />
      ) : indicators.isError ? (
        <ErrorPanel error={indicators.error} />
      ) : (
        <>
          <div className="table-wrap">
            <table className="data-table" data-testid="indicators">
              <caption className="visually-hidden">{t("catalogue.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("fields.name")}</th>
                  <th scope="col">{t("fields.code")}</th>
                  <th scope="col">{t("catalogue.level")}</th>
                  <th scope="col">{t("catalogue.measure")}</th>
                  <th scope="col">{t("catalogue.dimensions")}</th>
                </tr>
              </thead>
              <tbody>
                {indicators.data.items.map((i) => (
                  <tr key={i.id}>
                    <th scope="row">
                      <Link to={`/admin/indicators/${i.id}`}>{i.name}</Link>
                    </th>
                    <td className="code">{i.code}</td>
                    <td>{levelName(i.level)}</td>
                    <td>
                      {measureName(i.measure)}
                      {i.unit ? ` (${i.unit})` : ""}
                    </td>
                    <td>{(i.dimensions ?? []).map((d) => d.name).join(", ") || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={page} pageSize={50} total={indicators.data.total} onPage={setPage} />
        </>
      )}
    </div>
  );
}
