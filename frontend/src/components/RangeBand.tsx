import { useTranslation } from "react-i18next";
import { formatNumber } from "@/lib/format";

/** A value known only as a range (e.g. IDPs 220,000–250,000) drawn as a band on a scale from zero. */
export function RangeBand({ low, high, unit }: { low: number; high: number; unit: string }) {
  const { t, i18n } = useTranslation();
  const max = high * 1.25 || 1;
  const x = (v: number) => 10 + (v / max) * 280;
  const label = t("context.range", {
    low: formatNumber(i18n.language, low),
    high: formatNumber(i18n.language, high),
    unit,
  });
  return (
    <svg viewBox="0 0 300 44" className="range-band" role="img" aria-label={label}>
      <line x1={10} x2={290} y1={22} y2={22} stroke="#8a97a4" />
      <rect x={x(low)} width={Math.max(2, x(high) - x(low))} y={12} height={20} fill="#6aa3cf" opacity={0.8} rx={3} />
      <text x={10} y={42} fontSize={9} fill="#4f5d6b">
        0
      </text>
      <text x={x(low) - 2} y={9} fontSize={9} fill="#1b2733" textAnchor="end">
        {formatNumber(i18n.language, low)}
      </text>
      <text x={x(high) + 2} y={9} fontSize={9} fill="#1b2733" textAnchor="start">
        {formatNumber(i18n.language, high)}
      </text>
    </svg>
  );
}
