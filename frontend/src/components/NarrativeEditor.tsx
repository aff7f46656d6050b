import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { COMMON_LANGUAGES, type Narratives } from "@/lib/narratives";

interface Props {
  /** The field's label, e.g. "Title". */
  label: string;
  value: Narratives;
  onChange: (next: Narratives) => void;
  /** The record's default language: its text is required and cannot be removed. */
  defaultLanguage: string;
  multiline?: boolean;
  maxLength?: number;
  error?: string;
  /** False when the form edits the default-language text in a field of its own: only the other languages here. */
  showDefault?: boolean;
}

/** Edits one text in every language it is held in: a row per language, add and remove languages. Reusable for
 * projects, results and indicators (any `{language: text}` field of the APIs). */
export function NarrativeEditor({
  label,
  value,
  onChange,
  defaultLanguage,
  multiline,
  maxLength,
  error,
  showDefault = true,
}: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [adding, setAdding] = useState("");
  const others = Object.keys(value)
    .filter((l) => l !== defaultLanguage)
    .sort();
  const languages = showDefault ? [defaultLanguage, ...others] : others;
  const free = COMMON_LANGUAGES.filter((l) => l !== defaultLanguage && !languages.includes(l));
  const languageName = (code: string) => {
    try {
      return new Intl.DisplayNames([i18n.language], { type: "language" }).of(code) ?? code;
    } catch {
      return code;
    }
  };
  const set = (lang: string, text: string) => onChange({ ...value, [lang]: text });
  const remove = (lang: string) => onChange(Object.fromEntries(Object.entries(value).filter(([l]) => l !== lang)));
  return (
    <fieldset className="narratives" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{label}</legend>
      {languages.map((lang) => {
        const inputId = `${id}-${lang}`;
        const common = {
          id: inputId,
          value: value[lang] ?? "",
          maxLength,
          lang,
          required: lang === defaultLanguage,
          "aria-invalid": lang === defaultLanguage && Boolean(error),
          onChange: (e: { target: { value: string } }) => set(lang, e.target.value),
        };
        return (
          <div className="narrative-row" key={lang}>
            <label htmlFor={inputId}>
              {languageName(lang)} <span className="code">({lang})</span>
              {lang === defaultLanguage ? <span className="muted"> · {t("narratives.default")}</span> : null}
            </label>
            {multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />}
            {lang !== defaultLanguage ? (
              <button
                type="button"
                className="link-button"
                onClick={() => remove(lang)}
                aria-label={t("narratives.remove", { language: languageName(lang) })}
              >
                {t("common.remove")}
              </button>
            ) : null}
          </div>
        );
      })}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      <div className="narrative-add">
        <label htmlFor={`${id}-add`}>{t("narratives.addLanguage")}</label>
        <select id={`${id}-add`} value={adding} onChange={(e) => setAdding(e.target.value)}>
          <option value="">—</option>
          {free.map((l) => (
            <option key={l} value={l}>
              {languageName(l)} ({l})
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={!adding}
          onClick={() => {
            set(adding, "");
            setAdding("");
          }}
        >
          {t("narratives.add")}
        </button>
      </div>
    </fieldset>
  );
}
