import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useCurrencies } from "@/api/reference";
import { Field } from "@/components/Field";
import { FormProblem } from "@/components/FormProblem";
import { DataTable } from "@/components/lists/DataTable";
import { QueryView } from "@/components/lists/QueryView";
import { Pagination } from "@/components/Pagination";
import { RequireRole } from "@/components/RequireRole";
import { Select } from "@/components/Select";
import { useCurrencyName } from "@/i18n/names";
import { isAdmin } from "@/lib/auth/admin-permissions";
import { formatDate, formatNumber } from "@/lib/format";
import { errorFieldErrors } from "@/lib/problem";
import { useRates, useSaveRates, useUploadRates, type RateImportResult } from "@/features/admin/api/admin";
import "@/features/admin/components/admin.css";

// Currencies the ECB publishes or a peg fixes never need an admin's rate; the form still allows any (a date before
// the ECB series, for instance), but lists the usual ones first.
const USUAL = ["GEL", "MDL", "IQD", "KZT", "KGS", "TJS", "TMT", "UZS", "AMD", "AZN", "UAH", "BYN", "RSD", "MKD", "ALL"];

function Outcome({ result }: { result: RateImportResult }) {
  const { t } = useTranslation();
  return (
    <p role="status" className="panel panel-ok" data-testid="rates-outcome">
      {t("rates.saved", { count: result.rates_saved })} {t("rates.converted", { count: result.amounts_converted })}
    </p>
  );
}

function AddRate() {
  const { t } = useTranslation();
  const currencies = useCurrencies();
  const currencyName = useCurrencyName();
  const save = useSaveRates();
  const [currency, setCurrency] = useState("GEL");
  const [day, setDay] = useState("");
  const [units, setUnits] = useState("");
  const [source, setSource] = useState("");
  const errors = errorFieldErrors(save.error);
  const all = (currencies.data ?? []).map((c) => c.code);
  const ordered = [...USUAL.filter((c) => all.includes(c)), ...all.filter((c) => !USUAL.includes(c))];
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate([{ currency, rate_date: day, units_per_eur: units.trim().replace(",", "."), source: source.trim() }]);
  }
  return (
    <section className="card" aria-labelledby="add-rate-h">
      <h2 id="add-rate-h">{t("rates.add")}</h2>
      <form className="form" onSubmit={submit} aria-label={t("rates.add")} noValidate>
        <FormProblem error={save.error} />
        <div className="form-grid">
          <Field label={t("fields.currency")} error={errors["[0].currency"]}>
            <Select
              value={currency}
              onChange={(e) => setCurrency(e.target.value)}
              options={ordered.map((c) => ({ value: c, label: `${c} — ${currencyName(c)}` }))}
            />
          </Field>
          <Field label={t("rates.date")} error={errors["[0].rate_date"]}>
            <input type="date" value={day} onChange={(e) => setDay(e.target.value)} />
          </Field>
          <Field
            label={t("rates.unitsPerEur")}
            error={errors["[0].units_per_eur"]}
            hint={t("rates.unitsPerEurHint", { currency })}
          >
            <input inputMode="decimal" value={units} onChange={(e) => setUnits(e.target.value)} />
          </Field>
          <Field label={t("rates.source")} error={errors["[0].source"]} hint={t("rates.sourceHint")}>
            <input value={source} onChange={(e) => setSource(e.target.value)} />
          </Field>
        </div>
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? t("common.working") : t("rates.save")}
        </button>
        {save.data ? <Outcome result={save.data} /> : null}
      </form>
    </section>
  );
}

function UploadRates() {
  const { t } = useTranslation();
  const upload = useUploadRates();
  const [file, setFile] = useState<File | null>(null);
  const problem = upload.error;
  // A bad file is refused whole, every bad row named ("file.row[3].units_per_eur"): listed here to fix and retry.
  const rowErrors = errorFieldErrors(problem);
  function submit(event: FormEvent) {
    event.preventDefault();
    if (file) void file.text().then((text) => upload.mutate(text));
  }
  return (
    <section className="card" aria-labelledby="upload-rates-h">
      <h2 id="upload-rates-h">{t("rates.upload")}</h2>
      <p className="muted">{t("rates.uploadHint")}</p>
      <pre className="example">
        currency,rate_date,units_per_eur,source{"\n"}GEL,2024-03-01,2.8780,National Bank of Georgia
      </pre>
      <form className="inline-form" onSubmit={submit} aria-label={t("rates.upload")}>
        <div className="field">
          <label htmlFor="rates-file">{t("rates.file")}</label>
          <input
            id="rates-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <button type="submit" disabled={!file || upload.isPending}>
          {upload.isPending ? t("common.working") : t("rates.uploadButton")}
        </button>
      </form>
      <FormProblem error={problem} />
      {Object.keys(rowErrors).length ? (
        <ul className="field-error">
          {Object.entries(rowErrors).map(([field, message]) => (
            <li key={field}>
              {field}: {message}
            </li>
          ))}
        </ul>
      ) : null}
      {upload.data ? <Outcome result={upload.data} /> : null}
    </section>
  );
}

function RateList() {
  const { t, i18n } = useTranslation();
  const [currency, setCurrency] = useState("");
  const [page, setPage] = useState(1);
  const rates = useRates({ page, page_size: 50, ...(currency ? { currency } : {}) });
  return (
    <section className="card" aria-labelledby="rate-list-h">
      <h2 id="rate-list-h">{t("rates.list")}</h2>
      <div className="field inline">
        <label htmlFor="rate-currency">{t("fields.currency")}</label>
        <Select
          id="rate-currency"
          value={currency}
          empty={t("common.all")}
          options={USUAL.map((c) => ({ value: c, label: c }))}
          onChange={(e) => {
            setCurrency(e.target.value);
            setPage(1);
          }}
        />
      </div>
      <QueryView query={rates}>
        {({ items, total }) => (
          <>
            <DataTable
              caption={t("rates.list")}
              testId="rates"
              columns={[
                t("fields.currency"),
                t("rates.date"),
                { label: t("rates.unitsPerEur"), className: "num" },
                t("rates.source"),
                t("rates.enteredOn"),
              ]}
              items={items}
              empty={t("rates.none")}
            >
              {(r) => (
                <tr key={`${r.currency}-${r.rate_date}`}>
                  <td>{r.currency}</td>
                  <td>{formatDate(i18n.language, r.rate_date)}</td>
                  <td className="num">{formatNumber(i18n.language, r.units_per_eur, 6)}</td>
                  <td>{r.source}</td>
                  <td>{formatDate(i18n.language, r.created_at)}</td>
                </tr>
              )}
            </DataTable>
            <Pagination page={page} pageSize={50} total={total} onPage={setPage} />
          </>
        )}
      </QueryView>
    </section>
  );
}

/** Rates for currencies the ECB does not publish (GEL, MDL…): list, add one, or upload a CSV (admins). */
export function RatesPage() {
  const { t } = useTranslation();
  return (
    <RequireRole allowed={isAdmin} why={t("admin.adminsOnly")}>
      <div className="page admin">
        <h1>{t("rates.title")}</h1>
        <p className="muted">{t("rates.intro")}</p>
        <AddRate />
        <UploadRates />
        <RateList />
      </div>
    </RequireRole>
  );
}
