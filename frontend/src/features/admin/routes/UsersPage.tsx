import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useAllOrganisations } from "@/api/organisations";
import { DataTable } from "@/components/lists/DataTable";
import { QueryView } from "@/components/lists/QueryView";
import { SearchForm } from "@/components/lists/SearchForm";
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
        <SearchForm
          inputId="user-q"
          label={t("users.search")}
          ariaLabel={t("users.search")}
          onSearch={(text) => {
            setSearch(text.trim());
            setPage(1);
          }}
        />
        <QueryView query={users}>
          {({ items, total }) => (
            <>
              <DataTable
                caption={t("users.title")}
                testId="users"
                columns={[t("fields.name"), t("users.email"), t("users.grants"), t("users.active")]}
                items={items}
              >
                {(u) => (
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
                )}
              </DataTable>
              <Pagination page={page} pageSize={50} total={total} onPage={setPage} />
            </>
          )}
        </QueryView>
      </div>
    </RequireRole>
  );
}
