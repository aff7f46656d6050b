import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { env, type Locale } from "@/config/env";
import { storedLanguage, storeLanguage } from "@/lib/preferences";
import cs from "@/i18n/locales/cs.json";
import en from "@/i18n/locales/en.json";
import ru from "@/i18n/locales/ru.json";
// The funding explorer's and the admin screens' texts live in their own files (top-level keys of their own).
import csAdmin from "@/i18n/locales/admin/cs.json";
import enAdmin from "@/i18n/locales/admin/en.json";
import ruAdmin from "@/i18n/locales/admin/ru.json";

export const resources = {
  en: { translation: { ...en, ...enAdmin } },
  ru: { translation: { ...ru, ...ruAdmin } },
  cs: { translation: { ...cs, ...csAdmin } },
} as const;

function initialLanguage(): Locale {
  const stored = storedLanguage();
  if (stored) return stored;
  const browser = typeof navigator !== "undefined" ? navigator.language.slice(0, 2) : "";
  return browser === "ru" || browser === "cs" ? browser : env.defaultLocale;
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: "en",
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
});

function syncDocument(lng: string): void {
  if (typeof document !== "undefined") document.documentElement.lang = lng;
}
syncDocument(i18n.language);
i18n.on("languageChanged", syncDocument);

export async function changeLanguage(locale: Locale): Promise<void> {
  storeLanguage(locale);
  await i18n.changeLanguage(locale);
}

export default i18n;
