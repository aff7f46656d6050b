import { useId, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { funderLabel, useFunders } from "@/api/funding";
import { PROJECT_STATUSES } from "@/api/projects";
import { useCountries, useThemes } from "@/api/reference";
import { sortByName, useCodeName, useCountryName } from "@/i18n/names";
import { hasFilters, TRANSACTION_TYPES, type FundingFilters as Filters } from "@/lib/funding-filters";
import { Select } from "@/components/Select";
import "@/components/funding-filters.css";

interface Props {
  filters: Filters;
  onChange: (next: Filters) => void;
  /** Controls of the page itself (the explorer's grouping), shown after the filters. */
  children?: ReactNode;
  label: string;
}

const SHOWN = 8;

/** Finds funders by their own name or a department's and adds them to the filter; chosen ones can be removed. */
function FunderFinder({ chosen, onChange }: { chosen: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [q, setQ] = useState("");
  // Adding or removing a funder removes the button that had focus: focus goes back to the search box, not to <body>.
  const input = useRef<HTMLInputElement>(null);
  const all = useFunders("");
  const found = useFunders(q.trim());
  const labelOf = new Map((all.data?.items ?? []).map((f) => [f.id, funderLabel(f, f.id)]));
  const matches = (found.data?.items ?? []).filter((f) => !chosen.includes(f.id)).slice(0, SHOWN);
  return (
    <fieldset className="funder-finder">
      <legend>{t("explorer.funder")}</legend>
      {chosen.length > 0 ? (
        <ul className="chosen" aria-label={t("explorer.chosenFunders")}>
          {chosen.map((funder) => (
            <li key={funder}>
              <span>{labelOf.get(funder) ?? t("common.loading")}</span>
              <button
                type="button"
                className="link"
                onClick={() => {
                  onChange(chosen.filter((c) => c !== funder));
                  input.current?.focus();
                }}
              >
                {t("explorer.removeFunder", { name: labelOf.get(funder) ?? "" })}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">{t("explorer.allFunders")}</p>
      )}
      <label htmlFor={`${id}-q`}>{t("explorer.findFunder")}</label>
      <input
        ref={input}
        id={`${id}-q`}
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        aria-describedby={`${id}-hint`}
      />
      <small id={`${id}-hint`} className="hint">
        {t("explorer.findFunderHint")}
      </small>
      {q.trim() ? (
        <ul className="funder-matches" aria-live="polite" aria-label={t("explorer.funderMatches")}>
          {found.isPending ? <li className="muted">{t("common.loading")}</li> : null}
          {found.data && matches.length === 0 ? <li className="muted">{t("explorer.noFunderMatches")}</li> : null}
          {matches.map((f) => (
            <li key={f.id}>
              <button
                type="button"
                className="link"
                onClick={() => {
                  onChange([...chosen, f.id]);
                  setQ("");
                  input.current?.focus();
                }}
              >
                {t("explorer.addFunder", { name: funderLabel(f, f.id) })}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}

function YearField({ label, value, onChange }: { label: string; value?: number; onChange: (year?: number) => void }) {
  const id = useId();
  const [text, setText] = useState(value ? String(value) : "");
  return (
    <div className="field small">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        inputMode="numeric"
        pattern="[0-9]{4}"
        maxLength={4}
        value={text}
        onChange={(e) => {
          const next = e.target.value.replace(/\D/g, "");
          setText(next);
          // Applied as soon as it is a whole year (or cleared), so the figures follow the typing without a button.
          if (next === "") onChange(undefined);
          else if (next.length === 4 && Number(next) >= 1900) onChange(Number(next));
        }}
      />
    </div>
  );
}

/**
 * The funding filters the explorer and the dashboard share: funder (found by its own or a department's name),
 * recipient country, theme, status, years and transaction type. Each change applies at once (the page keeps the
 * filters in its URL); the form is never remounted, so keyboard focus stays where it was.
 */
export function FundingFilters({ filters, onChange, children, label }: Props) {
  const { t } = useTranslation();
  const countries = useCountries(false);
  const themes = useThemes();
  const countryName = useCountryName();
  const themeName = useCodeName("themes");
  const [generation, setGeneration] = useState(0);
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  const one = <T extends string>(value: string) => (value ? [value as T] : []);
  const sorted = sortByName(countries.data ?? [], (c) => countryName(c.code, c.name));
  return (
    <form className="funding-filters card" role="search" aria-label={label} onSubmit={(e) => e.preventDefault()}>
      <FunderFinder chosen={filters.funder} onChange={(funder) => set({ funder })} />
      <div className="filters">
        <div className="field">
          <label htmlFor="ff-country">{t("explorer.recipientCountry")}</label>
          <select
            id="ff-country"
            value={filters.country[0] ?? ""}
            onChange={(e) => set({ country: one(e.target.value) })}
          >
            <option value="">{t("common.all")}</option>
            <optgroup label={t("countries.programme")}>
              {sorted
                .filter((c) => c.is_programme_country)
                .map((c) => (
                  <option key={c.code} value={c.code}>
                    {countryName(c.code, c.name)}
                  </option>
                ))}
            </optgroup>
            <optgroup label={t("countries.other")}>
              {sorted
                .filter((c) => !c.is_programme_country)
                .map((c) => (
                  <option key={c.code} value={c.code}>
                    {countryName(c.code, c.name)}
                  </option>
                ))}
            </optgroup>
          </select>
        </div>
        <div className="field">
          <label htmlFor="ff-theme">{t("fields.theme")}</label>
          <Select
            id="ff-theme"
            value={filters.theme[0] ?? ""}
            onChange={(e) => set({ theme: one(e.target.value) })}
            empty={t("common.all")}
            options={(themes.data ?? []).map((theme) => ({
              value: theme.code,
              label: themeName(theme.code, theme.name),
            }))}
          />
        </div>
        <div className="field">
          <label htmlFor="ff-status">{t("fields.status")}</label>
          <Select
            id="ff-status"
            value={filters.status[0] ?? ""}
            onChange={(e) => set({ status: one(e.target.value) })}
            empty={t("common.all")}
            options={PROJECT_STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))}
          />
        </div>
        <YearField
          key={`from-${generation}`}
          label={t("explorer.yearFrom")}
          value={filters.yearFrom}
          onChange={(yearFrom) => set({ yearFrom })}
        />
        <YearField
          key={`to-${generation}`}
          label={t("explorer.yearTo")}
          value={filters.yearTo}
          onChange={(yearTo) => set({ yearTo })}
        />
        <div className="field">
          <label htmlFor="ff-type">{t("explorer.transactionType")}</label>
          <Select
            id="ff-type"
            value={filters.type}
            onChange={(e) => set({ type: e.target.value as Filters["type"] })}
            options={TRANSACTION_TYPES.map((type) => ({ value: type, label: t(`transactionTypes.${type}`) }))}
          />
        </div>
        {children}
      </div>
      {hasFilters(filters) ? (
        <button
          type="button"
          onClick={() => {
            onChange({ funder: [], country: [], theme: [], status: [], type: "disbursement" });
            setGeneration((g) => g + 1); // the year boxes start again empty
          }}
        >
          {t("explorer.clear")}
        </button>
      ) : null}
    </form>
  );
}
