import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useNavigate } from "react-router";
import { useSession } from "@/lib/auth/session";
import { ApiError } from "@/lib/problem";

export function LoginPage() {
  const { t } = useTranslation();
  const { login, me } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? "/";
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (me && !busy) return <Navigate to={from} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
      navigate(from, { replace: true });
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status < 500 ? t("auth.invalid") : t("errors.generic.body"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page narrow">
      <h1>{t("auth.signInTitle")}</h1>
      <form className="form card" onSubmit={(event) => void submit(event)} noValidate>
        {error ? (
          <p role="alert" className="form-error">
            {error}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="login-email">{t("auth.email")}</label>
          <input
            id="login-email"
            type="email"
            autoComplete="username"
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">{t("auth.password")}</label>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <button className="primary" type="submit" disabled={busy}>
          {busy ? t("common.working") : t("auth.signIn")}
        </button>
      </form>
    </div>
  );
}
