import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

interface Props {
  /** The search box's id and label. */
  inputId: string;
  label: string;
  /** The name of the search landmark; none when left out. */
  ariaLabel?: string;
  defaultValue?: string;
  /** Called with the text as typed (untrimmed) when the form is sent: Enter in any field or the Apply button. */
  onSearch: (text: string) => void;
  /** More filter fields, between the search box and the button. */
  children?: ReactNode;
}

/** A list's filter bar (a search landmark): a search box, any other filters, and Apply. */
export function SearchForm({ inputId, label, ariaLabel, defaultValue = "", onSearch, children }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState(defaultValue);
  return (
    <form
      role="search"
      className="filters card"
      aria-label={ariaLabel}
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text);
      }}
    >
      <div className="field grow">
        <label htmlFor={inputId}>{label}</label>
        <input id={inputId} name="q" type="search" value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      {children}
      <div className="filter-actions">
        <button type="submit" className="primary">
          {t("projects.apply")}
        </button>
      </div>
    </form>
  );
}
