import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { DataTable } from "@/components/lists/DataTable";
import { QueryView } from "@/components/lists/QueryView";
import { SearchForm } from "@/components/lists/SearchForm";
import { Pagination } from "@/components/Pagination";
import { Select } from "@/components/Select";
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
      <SearchForm
        inputId="ind-q"
        label={t("catalogue.search")}
        ariaLabel={t("catalogue.search")}
        onSearch={(text) => {
          setSearch(text.trim());
          setPage(1);
        }}
      >
        <div className="field">
          <label htmlFor="ind-level">{t("catalogue.level")}</label>
          <Select
            id="ind-level"
            value={level}
            empty={t("common.all")}
            options={LEVELS.map((l) => ({ value: l, label: levelName(l) }))}
            onChange={(e) => {
              setLevel(e.target.value as typeof level);
              setPage(1);
            }}
          />
        </div>
      </SearchForm>
      <QueryView query={indicators}>
        {({ items, total }) => (
          <>
            <DataTable
              caption={t("catalogue.title")}
              testId="indicators"
              columns={[
                t("fields.name"),
                t("fields.code"),
                t("catalogue.level"),
                t("catalogue.measure"),
                t("catalogue.dimensions"),
              ]}
              items={items}
            >
              {(i) => (
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
              )}
            </DataTable>
            <Pagination page={page} pageSize={50} total={total} onPage={setPage} />
          </>
        )}
      </QueryView>
    </div>
  );
}
