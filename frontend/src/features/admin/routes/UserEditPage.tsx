import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { treeOrder, useAllOrganisations } from "@/api/organisations";
import { ErrorPanel } from "@/components/ErrorPanel";
import { Field } from "@/components/Field";
import { FormActions } from "@/components/FormActions";
import { FormProblem } from "@/components/FormProblem";
import { Loading } from "@/components/Loading";
import { RequireRole } from "@/components/RequireRole";
import { Select } from "@/components/Select";
import { isAdmin } from "@/lib/auth/admin-permissions";
import { errorFieldErrors } from "@/lib/problem";
import { useCreateUser, useDeleteUser, useUpdateUser, useUser, type User } from "@/features/admin/api/admin";
import { GrantsEditor, grantsFromRows, rowsFromGrants, type GrantRow } from "@/features/admin/components/GrantsEditor";
import { DeleteSection } from "@/features/admin/components/DeleteSection";
import "@/features/admin/components/admin.css";

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
  const heading = user ? t("users.edit", { name: user.name }) : t("users.new");
  const orgOptions = treeOrder(organisations.data ?? []).map(({ org, depth }) => ({
    value: org.id,
    label: `${"— ".repeat(depth)}${org.name}`,
  }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const done = () => navigate("/admin/users");
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
    <div className="page admin">
      <p>
        <Link to="/admin/users">{t("users.back")}</Link>
      </p>
      <h1>{heading}</h1>
      <form className="form" onSubmit={submit} aria-label={heading} noValidate>
        <FormProblem error={mutation.error} what={t("users.thisUser")} />
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
        <FormActions
          busy={mutation.isPending}
          cancel={
            <Link className="button" to="/admin/users">
              {t("common.cancel")}
            </Link>
          }
        />
      </form>
      {user ? (
        <DeleteSection
          id="delete-user-h"
          title={t("users.delete")}
          hint={t("users.deleteHint")}
          name={user.name}
          button={t("users.deleteButton", { name: user.name })}
          busy={remove.isPending}
          error={remove.error}
          onConfirmed={() => remove.mutate(user, { onSuccess: () => navigate("/admin/users") })}
        />
      ) : null}
    </div>
  );
}

function EditUser({ id }: { id: string }) {
  const user = useUser(id);
  if (user.isPending) return <Loading />;
  if (user.isError)
    return (
      <div className="page">
        <ErrorPanel error={user.error} />
      </div>
    );
  return <UserForm key={user.data.version} user={user.data} />;
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
