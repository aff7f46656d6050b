import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { projectTitleQueryOptions, useProjectAccess } from "@/api/projects";
import { useFramework } from "@/api/reporting";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Loading } from "@/components/Loading";
import { RequireRole } from "@/components/RequireRole";
import { ApiError } from "@/lib/problem";
import { useCreateResult } from "@/features/frameworks/api/framework";
import { ResultCard, ResultFields } from "@/features/frameworks/components/ResultCard";
import "@/features/frameworks/components/framework.css";

function Editor({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const title = useQuery(projectTitleQueryOptions(projectId));
  const access = useProjectAccess(projectId, true);
  const framework = useFramework(projectId);
  const create = useCreateResult(projectId);
  const [generation, setGeneration] = useState(0);
  if (access.isPending || framework.isPending) return <Loading />;
  if (access.isError)
    return (
      <div className="page">
        <ErrorPanel error={access.error} />
      </div>
    );
  if (!access.data.can_edit) {
    return (
      <div className="page">
        <ErrorPanel
          error={new ApiError({ title: t("errors.forbidden.title"), status: 403, detail: t("framework.forbidden") })}
        />
      </div>
    );
  }
  if (framework.isError)
    return (
      <div className="page">
        <ErrorPanel error={framework.error} />
      </div>
    );
  return (
    <div className="page framework-editor">
      <p>
        <Link to={`/projects/${projectId}#results`}>{t("framework.backTo", { title: title.data ?? "…" })}</Link>
      </p>
      <h1>{t("framework.title")}</h1>
      <p className="muted">{t("framework.intro")}</p>
      {framework.data.results.length === 0 ? <p className="muted">{t("framework.noResults")}</p> : null}
      {framework.data.results.map((result) => (
        <ResultCard key={`${result.id}-${result.version}`} projectId={projectId} result={result} />
      ))}
      <section className="card" aria-labelledby="new-result-h">
        <h2 id="new-result-h">{t("framework.addResult")}</h2>
        <ResultFields
          key={generation}
          initial={{ kind: "output", title: "", description: "" }}
          busy={create.isPending}
          error={create.error}
          heading={t("framework.addResult")}
          onSubmit={(body) =>
            create.mutate(
              {
                ...body,
                language: "en",
                position: framework.data.results.length,
                is_illustrative: false,
                indicators: [],
              },
              {
                onSuccess: () => {
                  create.reset();
                  setGeneration((g) => g + 1);
                },
              },
            )
          }
        />
      </section>
    </div>
  );
}

/** The results framework editor: results, indicators from the catalogue, baselines and targets (the project's editors). */
export function FrameworkEditorPage() {
  const { projectId = "" } = useParams();
  const { t } = useTranslation();
  return (
    <RequireRole allowed={() => true} why={t("framework.forbidden")}>
      <Editor projectId={projectId} />
    </RequireRole>
  );
}
