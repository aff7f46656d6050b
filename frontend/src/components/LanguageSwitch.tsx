import { useId } from "react";
import { useTranslation } from "react-i18next";
import { LOCALES, type Locale } from "@/config/env";
import { changeLanguage } from "@/i18n/i18n";

const NAMES: Record<Locale, string> = { en: "English", ru: "Русский", cs: "Čeština" };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div className="language-switch">
      <label htmlFor={id}>{t("shell.language")}</label>
      <select id={id} value={i18n.language} onChange={(event) => void changeLanguage(event.target.value as Locale)}>
        {LOCALES.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {NAMES[locale]}
          </option>
        ))}
      </select>
    </div>
  );
}
