import { useTranslation } from "react-i18next";
import { formatNumber } from "@/lib/format";

/**
 * A summary's facts as a description list: for each key of `labels` (in their order), its label (a translation key)
 * beside the value `values` has under that key, numbers written the reader's way.
 */
export function CountFacts<K extends string>({
  values,
  labels,
}: {
  values: Record<NoInfer<K>, number | string>;
  labels: Record<K, string>;
}) {
  const { t, i18n } = useTranslation();
  return (
    <dl className="facts">
      {(Object.keys(labels) as K[]).map((key) => (
        <Fact
          key={key}
          label={t(labels[key])}
          value={typeof values[key] === "number" ? formatNumber(i18n.language, values[key]) : values[key]}
        />
      ))}
    </dl>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
