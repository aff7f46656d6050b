import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { treeOrder, useAllOrganisations } from "@/api/organisations";
import { Field } from "@/components/Field";
import { Loaded } from "@/components/forms/Loaded";
import { PageForm, type RecordPage } from "@/components/forms/PageForm";
import { RequireRole } from "@/components/RequireRole";
import { Select } from "@/components/Select";
import { isAdmin } from "@/lib/auth/admin-permissions";
import { errorFieldErrors } from "@/lib/problem";
import { useCreateUser, useDeleteUser, useUpdateUser, useUser, type User } from "@/features/admin/api/admin";
import { GrantsEditor, grantsFromRows, rowsFromGrants, type GrantRow } from "@/features/admin/components/GrantsEditor";
import "@/features/admin/components/admin.css";

const PAGE: RecordPage = {
  className: "page admin",
  list: "/admin/users",
  words: "users",
  what: "users.thisUser",
  deleteId: "delete-user-h",
};

function UserForm({ user }: { user?: User }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const organisations = useAllOrganisations();
  const create = useCreateUser();
  const update = useUpdateUser();
  const remove = useDeleteUser();
  const mutation = user ? update : create;
  const [email, setEmail] = useState(user?.email ?? "");
  const [name, setName] = useState(user?.name ?? "");
  const [password, setPassword] = useState("");
  const [organisation, setOrganisation] = useState(user?.organisation_id ?? "");
  const [active, setActive] = useState(user?.is_active ?? true);
  const [grants, setGrants] = useState<GrantRow[]>(rowsFromGrants(user?.grants ?? []));
  const errors = errorFieldErrors(mutation.error);
  const orgOptions = treeOrder(organisations.data ?? []).map(({ org, depth }) => ({
    value: org.id,
    label: `${"— ".repeat(depth)}${org.name}`,
  }));

  function submit() {
    const done = () => navigate(PAGE.list);
    if (user) {
      update.mutate(
        {
          user,
          body: {
            name: name.trim(),
            organisation_id: organisation || null,
            is_active: active,
            grants: grantsFromRows(grants),
            ...(password ? { password } : {}),
          },
        },
        { onSuccess: done },
      );
    } else {
      create.mutate(
        {
          email: email.trim(),
          name: name.trim(),
          password,
          organisation_id: organisation || null,
          grants: grantsFromRows(grants),
        },
        { onSuccess: done },
      );
    }
  }

  return (
    <PageForm page={PAGE} record={user} save={mutation} remove={remove} onSubmit={submit}>
      <fieldset className="card">
        <legend>{t("users.person")}</legend>
        <div className="form-grid">
          <Field label={t("users.email")} error={errors.email}>
            <input
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              disabled={Boolean(user)}
              autoComplete="off"
            />
          </Field>
          <Field label={t("fields.name")} error={errors.name}>
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field
            label={user ? t("users.newPassword") : t("users.password")}
            error={errors.password}
            hint={t("users.passwordHint")}
          >
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="new-password"
            />
          </Field>
          <Field label={t("fields.organisation")} error={errors.organisation_id}>
            <Select
              value={organisation}
              onChange={(e) => setOrganisation(e.target.value)}
              empty="—"
              options={orgOptions}
            />
          </Field>
        </div>
        {user ? (
          <label className="checkbox">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />{" "}
            {t("users.activeLabel")}
          </label>
        ) : null}
      </fieldset>
      <GrantsEditor rows={grants} onChange={setGrants} errors={errors} />
    </PageForm>
  );
}

function EditUser({ id }: { id: string }) {
  return <Loaded query={useUser(id)}>{(user) => <UserForm key={user.version} user={user} />}</Loaded>;
}

/** A new user, or a user's details, grants, activity and password (admins). */
export function UserEditPage() {
  const { userId } = useParams();
  const { t } = useTranslation();
  return (
    <RequireRole allowed={isAdmin} why={t("admin.adminsOnly")}>
      {userId ? <EditUser id={userId} /> : <UserForm />}
    </RequireRole>
  );
}
