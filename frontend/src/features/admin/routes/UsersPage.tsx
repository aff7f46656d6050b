import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useAllOrganisations } from "@/api/organisations";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { Pagination } from "@/components/Pagination";
import { RequireRole } from "@/components/RequireRole";
import { useCountryName } from "@/i18n/names";
import { isAdmin } from "@/lib/auth/admin-permissions";
import { useUsers, type User } from "@/features/admin/api/admin";
import "@/features/admin/components/admin.css";

export function GrantList({ grants }: { grants: User["grants"] }) {
  const { t } = useTranslation();
  const organisations = useAllOrganisations();
  const countryName = useCountryName();
  const names = new Map((organisations.data ?? []).map((o) => [o.id, o.acronym ?? o.name]));
  if (grants.length === 0) return <span className="muted">{t("roles.none")}</span>;
  return (
    <>
      {grants
        .map((g) =>
          g.organisation_id
            ? `${t(`roles.${g.role}`)} · ${t("auth.scopeOrganisation", { organisation: names.get(g.organisation_id) ?? "…" })}`
            : g.country_code
              ? `${t(`roles.${g.role}`)} · ${t("auth.scopeCountry", { country: countryName(g.country_code) })}`
              : `${t(`roles.${g.role}`)} · ${t("auth.scopeGlobal")}`,
        )
        .join("; ")}
    </>
  );
}

/** People who sign in, their organisation and grants (admins). */
export function UsersPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const users = useUsers(search, page);
  return (
    <RequireRole allowed={isAdmin} why={t("admin.adminsOnly")}>
      <div className="page admin">
        <div className="page-header">
          <h1>{t("users.title")}</h1>
          <Link className="button primary" to="/admin/users/new">
            {t("users.new")}
          </Link>
        </div>
        <form
          role="search"
          className="filters card"
          aria-label={t("users.search")}
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(q.trim());
            setPage(1);
          }}
        >
          <div className="field grow">
            <label htmlFor="user-q">{t("users.search")}</label>
            <input id="user-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          </div>
          <div className="filter-actions">
            <button type="submit" className="primary">
              {t("projects.apply")}
            </button>
          </div>
        </form>
        {users.isPending ? (
          <Loading />
        ) : users.isError ? (
          <ErrorPanel error={users.error} />
        ) : (
          <>
            <div className="table-wrap">
              <table className="data-table" data-testid="users">
                <caption className="visually-hidden">{t("users.title")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("fields.name")}</th>
                    <th scope="col">{t("users.email")}</th>
                    <th scope="col">{t("users.grants")}</th>
                    <th scope="col">{t("users.active")}</th>
                  </tr>
                </thead>
                <tbody>
                  {users.data.items.map((u) => (
                    <tr key={u.id}>
                      <th scope="row">
                        <Link to={`/admin/users/${u.id}`}>{u.name}</Link>
                      </th>
                      <td>{u.email}</td>
                      <td>
                        <GrantList grants={u.grants} />
                      </td>
                      <td>{u.is_active ? t("users.yes") : t("users.no")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={page} pageSize={50} total={users.data.total} onPage={setPage} />
          </>
        )}
      </div>
    </RequireRole>
  );
}
