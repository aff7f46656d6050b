import { useTranslation } from "react-i18next";
import { useCodeName, useCountryName } from "@/i18n/names";
import { Link, useSearchParams } from "react-router";
import { useOrganisations } from "@/api/organisations";
import { ErrorPanel } from "@/components/ErrorPanel";
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
      <form
        role="search"
        className="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          const value = new FormData(e.currentTarget).get("q");
          setParams(value ? { q: String(value) } : {});
        }}
      >
        <div className="field grow">
          <label htmlFor="org-q">{t("projects.search")}</label>
          <input id="org-q" name="q" type="search" defaultValue={q} />
        </div>
        <div className="filter-actions">
          <button type="submit" className="primary">
            {t("projects.apply")}
          </button>
        </div>
      </form>
      {organisations.isPending ? <Loading /> : null}
      {organisations.isError ? <ErrorPanel error={organisations.error} /> : null}
      {organisations.data ? (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">{t("organisations.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("fields.name")}</th>
                <th scope="col">{t("organisations.acronym")}</th>
                <th scope="col">{t("fields.type")}</th>
                <th scope="col">{t("fields.country")}</th>
                <th scope="col">IATI</th>
              </tr>
            </thead>
            <tbody>
              {organisations.data.items.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link to={`/organisations/${o.id}`}>{o.name}</Link>
                  </td>
                  <td>{o.acronym ?? "—"}</td>
                  <td>{o.org_type ? orgType(o.org_type) : "—"}</td>
                  <td>{o.country_code ? countryName(o.country_code) : "—"}</td>
                  <td className="code">{o.iati_identifier ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
