import { useState } from "react";
import { useTranslation } from "react-i18next";
import { downloadIati } from "@/api/iati";
import { useCodeName, useCountryName } from "@/i18n/names";
import { Link, useParams } from "react-router";
import { useFundingSummary } from "@/api/funding";
import { useOrganisation, useOrganisations } from "@/api/organisations";
import { useAllProjects } from "@/api/projects";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { EurTotal } from "@/components/Money";
import { ProjectLinks } from "@/components/lists/ProjectLinks";
import { OrganisationActions } from "@/features/organisations/components/OrganisationActions";

export function OrganisationPage() {
  const { orgId = "" } = useParams();
  const { t } = useTranslation();
  const organisation = useOrganisation(orgId);
  const countryName = useCountryName();
  const orgType = useCodeName("orgTypes");
  const children = useOrganisations({ parent_id: orgId, page_size: 200 });
  const projects = useAllProjects({ organisation: [orgId] });
  const funded = useFundingSummary({ funder: [orgId], group_by: ["year"] });
  const [iatiError, setIatiError] = useState<unknown>(null);
  if (organisation.isPending) return <Loading />;
  if (organisation.isError)
    return (
      <div className="page">
        <ErrorPanel error={organisation.error} />
      </div>
    );
  const o = organisation.data;
  return (
    <div className="page">
      <p className="code">{o.iati_identifier}</p>
      <div className="page-header">
        <h1>
          {o.name} {o.acronym ? <span className="muted">({o.acronym})</span> : null}
        </h1>
        <div className="actions">
          <OrganisationActions org={o} />
          {o.iati_identifier ? (
            <button
              type="button"
              onClick={() =>
                void downloadIati("/iati/organisations.xml", `${o.iati_identifier}.iati-org.xml`, {
                  organisation: o.id,
                }).catch(setIatiError)
              }
            >
              {t("iati.downloadOrganisation")}
            </button>
          ) : null}
        </div>
      </div>
      {iatiError ? <ErrorPanel error={iatiError} /> : null}
      <section className="card">
        <dl className="facts">
          <dt>{t("fields.type")}</dt>
          <dd>{o.org_type ? orgType(o.org_type) : "—"}</dd>
          <dt>{t("fields.country")}</dt>
          <dd>
            {o.country_code ? <Link to={`/countries/${o.country_code}`}>{countryName(o.country_code)}</Link> : "—"}
          </dd>
          {o.parent_id ? (
            <>
              <dt>{t("organisations.parent")}</dt>
              <dd>
                <Link to={`/organisations/${o.parent_id}`}>{t("organisations.parentLink")}</Link>
              </dd>
            </>
          ) : null}
          {o.is_department ? (
            <>
              <dt>{t("orgForm.departmentShort")}</dt>
              <dd>{t("orgForm.departmentFact")}</dd>
            </>
          ) : null}
          <dt>{t("organisations.funded")}</dt>
          <dd>
            {funded.data ? (
              <EurTotal eur={funded.data.total.eur_amount} notConverted={funded.data.total.not_converted ?? []} />
            ) : (
              "…"
            )}
          </dd>
        </dl>
        {o.description ? <p>{o.description}</p> : null}
      </section>
      {children.data && children.data.items.length > 0 ? (
        <section className="card">
          <h2>{t("organisations.children")}</h2>
          <ul>
            {children.data.items.map((c) => (
              <li key={c.id}>
                <Link to={`/organisations/${c.id}`}>{c.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <ProjectLinks projects={projects} />
    </div>
  );
}
