import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCompact, formatMoney } from "@/lib/format";
import type { FunderYearData } from "@/features/dashboard/api/aggregate";

const COLORS = ["#0b4f8a", "#d9822b", "#2f8f5b", "#8e44ad", "#c0392b", "#5d6d7e", "#16a085"];

export function FunderYearChart({ data }: { data: FunderYearData }) {
  const { t, i18n } = useTranslation();
  if (data.years.length === 0) return <p className="muted">{t("dashboard.noFunding")}</p>;
  // Axis ticks are short numbers ("600 тыс."), the currency is the axis's label; the axis is as wide as its longest
  // tick in the UI language, so no label is cut.
  const max = Math.max(0, ...data.years.map((y) => data.funders.reduce((sum, f) => sum + (Number(y[f]) || 0), 0)));
  const tick = (v: number) => formatCompact(i18n.language, v);
  const width = 24 + 8 * Math.max(tick(max).length, tick(max / 2).length, 3);
  return (
    <figure className="chart" aria-label={t("dashboard.fundingByFunderYear")}>
      <ResponsiveContainer width="100%" height={300}>
        <BarChart data={data.years} margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="year" />
          <YAxis
            tickFormatter={tick}
            width={width}
            label={{ value: t("dashboard.axisEur"), angle: -90, position: "insideLeft", offset: 0 }}
          />
          <Tooltip formatter={(v) => formatMoney(i18n.language, Number(v), "EUR")} />
          <Legend />
          {data.funders.map((funder, i) => (
            <Bar
              key={funder}
              dataKey={funder}
              stackId="funding"
              fill={COLORS[i % COLORS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
