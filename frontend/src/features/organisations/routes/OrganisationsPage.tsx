import { useTranslation } from "react-i18next";
import { useCodeName, useCountryName } from "@/i18n/names";
import { Link, useSearchParams } from "react-router";
import { useOrganisations } from "@/api/organisations";
import { ErrorPanel } from "@/components/ErrorPanel";
import { DataTable } from "@/components/lists/DataTable";
import { SearchForm } from "@/components/lists/SearchForm";
import { Loading } from "@/components/Loading";
import { OrganisationActions } from "@/features/organisations/components/OrganisationActions";

export function OrganisationsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const countryName = useCountryName();
  const orgType = useCodeName("orgTypes");
  const q = params.get("q") ?? "";
  const organisations = useOrganisations({ page_size: 200, ...(q ? { q } : {}) });
  return (
    <div className="page">
      <div className="page-header">
        <h1>{t("organisations.title")}</h1>
        <OrganisationActions />
      </div>
      <SearchForm
        inputId="org-q"
        label={t("projects.search")}
        defaultValue={q}
        onSearch={(text) => setParams(text ? { q: text } : {})}
      />
      {organisations.isPending ? <Loading /> : null}
      {organisations.isError ? <ErrorPanel error={organisations.error} /> : null}
      {organisations.data ? (
        <DataTable
          caption={t("organisations.title")}
          columns={[t("fields.name"), t("organisations.acronym"), t("fields.type"), t("fields.country"), "IATI"]}
          items={organisations.data.items}
        >
          {(o) => (
            <tr key={o.id}>
              <td>
                <Link to={`/organisations/${o.id}`}>{o.name}</Link>
              </td>
              <td>{o.acronym ?? "—"}</td>
              <td>{o.org_type ? orgType(o.org_type) : "—"}</td>
              <td>{o.country_code ? countryName(o.country_code) : "—"}</td>
              <td className="code">{o.iati_identifier ?? "—"}</td>
            </tr>
          )}
        </DataTable>
      ) : null}
    </div>
  );
}
