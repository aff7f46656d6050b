import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { downloadIati } from "@/api/iati";
import { baseLanguage, pickText } from "@/lib/narratives";
import { useCodeName, useCountryName } from "@/i18n/names";
import { Link, useParams } from "react-router";
import { namesByCode, useSectors } from "@/api/reference";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { useSession } from "@/lib/auth/session";
import { formatDate, formatPercent } from "@/lib/format";
import { useProjectAccess } from "@/api/projects";
import { useHistory, useProject } from "@/features/projects/api/project";
import { HistoryList } from "@/features/projects/components/HistoryList";
import { ActivitiesSection, BudgetsSection, TransactionsSection } from "@/features/projects/components/ProjectRecords";
import { ReportsSection, ResultsSection } from "@/features/projects/components/ReportsSection";

// The offline map (shapes and projection) loads beside the page, not before it.
const ProjectMap = lazy(async () => ({ default: (await import("@/maps/ProjectMap")).ProjectMap }));

const ROLE_ORDER = ["funding", "accountable", "extending", "implementing", "beneficiary"] as const;

export function ProjectPage() {
  const { projectId = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const project = useProject(projectId);
  const access = useProjectAccess(projectId, me !== null);
  const history = useHistory(projectId, me !== null);
  const sectors = namesByCode(useSectors().data);
  const countryName = useCountryName();
  const themeName = useCodeName("themes");
  const sectorName = useCodeName("sectors");
  const canEdit = access.data?.can_edit === true;
  const [iatiError, setIatiError] = useState<unknown>(null);

  if (project.isPending) return <Loading />;
  if (project.isError)
    return (
      <div className="page">
        <ErrorPanel error={project.error} />
      </div>
    );
  const p = project.data.project;
  // The reader's language when the project has its title in it, else the project's own.
  const title = pickText(p.titles, i18n.language, p.language, p.title);
  const titleLanguage = p.titles[baseLanguage(i18n.language)] ? baseLanguage(i18n.language) : p.language;
  const description = pickText(p.descriptions, i18n.language, p.language, p.description ?? "");

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <p className="code">{p.code}</p>
          <h1 lang={titleLanguage}>{title}</h1>
          <p>
            <span className={`badge status-${p.status}`}>{t(`status.${p.status}`)}</span>
            {p.is_illustrative ? <span className="badge muted-badge">{t("project.illustrative")}</span> : null}
            {!p.is_public ? <span className="badge">{t("project.private")}</span> : null}
          </p>
        </div>
        <div className="actions">
          <button
            type="button"
            onClick={() => void downloadIati(`/projects/${p.id}/iati.xml`, `${p.code}.iati.xml`).catch(setIatiError)}
          >
            {t("iati.download")}
          </button>
          {canEdit ? (
            <Link className="button primary" to={`/projects/${p.id}/edit`}>
              {t("common.edit")}
            </Link>
          ) : me ? (
            <span className="muted">{t("project.readOnly")}</span>
          ) : null}
        </div>
      </div>

      <nav className="section-nav" aria-label={t("project.sections")}>
        <a href="#overview">{t("project.overview")}</a>
        <a href="#partners">{t("project.partners")}</a>
        <a href="#activities">{t("project.activities")}</a>
        <a href="#budgets">{t("project.budgets")}</a>
        <a href="#transactions">{t("project.transactions")}</a>
        <a href="#results">{t("results.title")}</a>
        <a href="#reports">{t("reports.title")}</a>
        <a href="#history">{t("project.history")}</a>
      </nav>

      <section id="overview" aria-labelledby="overview-h" className="card">
        <h2 id="overview-h">{t("project.overview")}</h2>
        {iatiError ? <ErrorPanel error={iatiError} /> : null}
        {description ? <p className="description">{description}</p> : null}
        <dl className="facts">
          <dt>{t("project.planned")}</dt>
          <dd>
            {formatDate(i18n.language, p.planned_start)} – {formatDate(i18n.language, p.planned_end)}
          </dd>
          <dt>{t("project.actual")}</dt>
          <dd>
            {formatDate(i18n.language, p.actual_start)} – {formatDate(i18n.language, p.actual_end)}
          </dd>
          <dt>{t("fields.countries")}</dt>
          <dd>
            {p.countries.map((c, i) => (
              <span key={c.country_code}>
                {i > 0 ? ", " : ""}
                <Link to={`/countries/${c.country_code}`}>{countryName(c.country_code)}</Link> (
                {formatPercent(i18n.language, c.percentage)})
              </span>
            ))}
          </dd>
          <dt>{t("fields.themes")}</dt>
          <dd>{p.themes.map((theme) => themeName(theme.code, theme.name)).join(", ") || "—"}</dd>
          <dt>{t("fields.sectors")}</dt>
          <dd>
            {p.sectors
              .map(
                (s) =>
                  `${sectorName(s.sector_code, sectors.get(s.sector_code))} (${formatPercent(i18n.language, s.percentage)})`,
              )
              .join(", ") || "—"}
          </dd>
          {p.locations.length > 0 ? (
            <>
              <dt>{t("project.locations")}</dt>
              <dd>
                {p.locations
                  .map((l) =>
                    [l.name, l.admin_area, l.country_code ? countryName(l.country_code) : null]
                      .filter(Boolean)
                      .join(", "),
                  )
                  .join("; ")}
              </dd>
            </>
          ) : null}
          {p.source ? (
            <>
              <dt>{t("project.source")}</dt>
              <dd>{p.source}</dd>
            </>
          ) : null}
        </dl>
        <Suspense fallback={<Loading />}>
          <ProjectMap countries={p.countries.map((c) => c.country_code)} locations={p.locations} />
        </Suspense>
      </section>

      <section id="partners" aria-labelledby="partners-h" className="card">
        <h2 id="partners-h">{t("project.partners")}</h2>
        {p.participants.length === 0 ? <p className="muted">{t("project.noPartners")}</p> : null}
        <dl className="facts">
          {ROLE_ORDER.filter((role) => p.participants.some((x) => x.role === role)).map((role) => (
            <div key={role} className="fact-row">
              <dt>{t(`participantRoles.${role}`)}</dt>
              <dd>
                {p.participants
                  .filter((x) => x.role === role)
                  .map((x, i) => (
                    <span key={x.organisation.id}>
                      {i > 0 ? ", " : ""}
                      <Link to={`/organisations/${x.organisation.id}`}>{x.organisation.name}</Link>
                      {x.organisation.acronym ? ` (${x.organisation.acronym})` : ""}
                    </span>
                  ))}
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <ActivitiesSection projectId={p.id} canEdit={canEdit} />
      <BudgetsSection projectId={p.id} canEdit={canEdit} />
      <TransactionsSection projectId={p.id} canEdit={canEdit} />

      <ResultsSection projectId={p.id} canEdit={canEdit} />
      <ReportsSection projectId={p.id} signedIn={me !== null} canReport={access.data?.can_report === true} />

      <section id="history" aria-labelledby="history-h" className="card">
        <h2 id="history-h">{t("project.history")}</h2>
        {!me ? (
          <p className="muted">{t("project.historySignIn")}</p>
        ) : history.isPending ? (
          <Loading />
        ) : history.isError ? (
          <ErrorPanel error={history.error} />
        ) : (
          <HistoryList events={history.data.items} />
        )}
      </section>
    </div>
  );
}
