import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { treeOrder, useAllOrganisations } from "@/api/organisations";
import { Field } from "@/components/Field";
import { FormProblem } from "@/components/FormProblem";
import { DataTable } from "@/components/lists/DataTable";
import { QueryView } from "@/components/lists/QueryView";
import { RequireRole } from "@/components/RequireRole";
import { Select } from "@/components/Select";
import { isAdmin } from "@/lib/auth/admin-permissions";
import { formatDate } from "@/lib/format";
import { errorFieldErrors } from "@/lib/problem";
import { useApiClients, useCreateApiClient, useDeleteApiClient } from "@/features/admin/api/admin";
import { GrantsEditor, grantsFromRows, type GrantRow } from "@/features/admin/components/GrantsEditor";
import { GrantList } from "@/features/admin/routes/UsersPage";
import "@/features/admin/components/admin.css";

function NewClient() {
  const { t } = useTranslation();
  const organisations = useAllOrganisations();
  const create = useCreateApiClient();
  const [name, setName] = useState("");
  const [organisation, setOrganisation] = useState("");
  const [grants, setGrants] = useState<GrantRow[]>([
    { role: "viewer", scope: "global", organisation_id: "", country_code: "" },
  ]);
  const errors = errorFieldErrors(create.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name: name.trim(), organisation_id: organisation || null, grants: grantsFromRows(grants) });
  }
  return (
    <section className="card" aria-labelledby="new-client-h">
      <h2 id="new-client-h">{t("clients.new")}</h2>
      {create.data ? (
        <div role="alert" className="panel panel-warning" data-testid="client-secret">
          <h3>{t("clients.createdTitle", { name: create.data.name })}</h3>
          <p>{t("clients.secretOnce")}</p>
          <dl className="facts">
            <dt>client_id</dt>
            <dd className="code">{create.data.client_id}</dd>
            <dt>client_secret</dt>
            <dd className="code">{create.data.client_secret}</dd>
          </dl>
          <button type="button" onClick={() => create.reset()}>
            {t("clients.done")}
          </button>
        </div>
      ) : (
        <form className="form" onSubmit={submit} aria-label={t("clients.new")} noValidate>
          <FormProblem error={create.error} />
          <div className="form-grid">
            <Field label={t("fields.name")} error={errors.name} hint={t("clients.nameHint")}>
              <input value={name} onChange={(e) => setName(e.target.value)} />
            </Field>
            <Field label={t("fields.organisation")} error={errors.organisation_id}>
              <Select
                value={organisation}
                onChange={(e) => setOrganisation(e.target.value)}
                empty="—"
                options={treeOrder(organisations.data ?? []).map(({ org, depth }) => ({
                  value: org.id,
                  label: `${"— ".repeat(depth)}${org.name}`,
                }))}
              />
            </Field>
          </div>
          <GrantsEditor rows={grants} onChange={setGrants} errors={errors} />
          <button type="submit" className="primary" disabled={create.isPending}>
            {create.isPending ? t("common.working") : t("clients.create")}
          </button>
        </form>
      )}
    </section>
  );
}

/** Third-party systems that call the API with the client-credentials grant: register, list, remove (admins). */
export function ApiClientsPage() {
  const { t, i18n } = useTranslation();
  const clients = useApiClients();
  const remove = useDeleteApiClient();
  return (
    <RequireRole allowed={isAdmin} why={t("admin.adminsOnly")}>
      <div className="page admin">
        <h1>{t("clients.title")}</h1>
        <p className="muted">{t("clients.intro")}</p>
        <NewClient />
        <section className="card" aria-labelledby="client-list-h">
          <h2 id="client-list-h">{t("clients.list")}</h2>
          <FormProblem error={remove.error} />
          <QueryView query={clients}>
            {({ items }) => (
              <DataTable
                caption={t("clients.list")}
                testId="api-clients"
                columns={[
                  t("fields.name"),
                  "client_id",
                  t("users.grants"),
                  t("clients.created"),
                  { label: <span className="visually-hidden">{t("common.actions")}</span> },
                ]}
                items={items}
                empty={t("clients.none")}
              >
                {(c) => (
                  <tr key={c.id}>
                    <th scope="row">{c.name}</th>
                    <td className="code">{c.client_id}</td>
                    <td>
                      <GrantList grants={c.grants} />
                    </td>
                    <td>{formatDate(i18n.language, c.created_at)}</td>
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        disabled={remove.isPending}
                        onClick={() => {
                          if (window.confirm(t("common.confirmDelete", { what: c.name }))) remove.mutate(c.id);
                        }}
                      >
                        {t("clients.remove", { name: c.name })}
                      </button>
                    </td>
                  </tr>
                )}
              </DataTable>
            )}
          </QueryView>
        </section>
      </div>
    </RequireRole>
  );
}
