import { useId } from "react";
import { useTranslation } from "react-i18next";
import { LOCALES, type Locale } from "@/config/env";
import { changeLanguage } from "@/i18n/i18n";
import { projectsApi } from "@/lib/api-client";
import { useSession } from "@/lib/auth/session";

const NAMES: Record<Locale, string> = { en: "English", ru: "Русский", cs: "Čeština" };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const id = useId();
  // Signed in, the choice is also the person's: e-mails to them are written in it (an API client has no profile).
  const choose = (locale: Locale) => {
    void changeLanguage(locale);
    if (me?.subject.startsWith("user:"))
      void projectsApi.PATCH("/api/projects/v1/auth/me", { body: { language: locale } });
  };
  return (
    <div className="language-switch">
      <label htmlFor={id}>{t("shell.language")}</label>
      <select id={id} value={i18n.language} onChange={(event) => choose(event.target.value as Locale)}>
        {LOCALES.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {NAMES[locale]}
          </option>
        ))}
      </select>
    </div>
  );
}
