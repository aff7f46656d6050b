import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/format";
import type { ChartData } from "@/features/funding/api/rows";

const COLORS = ["#0b4f8a", "#d9822b", "#2f8f5b", "#8e44ad", "#c0392b", "#5d6d7e", "#16a085", "#7d6608"];

/** Horizontal bars (names are long), stacked by the split dimension; the table beside it holds the same figures. */
export function ExplorerChart({ data, label }: { data: ChartData; label: string }) {
  const { t, i18n } = useTranslation();
  if (data.bars.length === 0) return <p className="muted">{t("explorer.noData")}</p>;
  const rows = data.bars.map((bar) => ({ name: bar.label, ...bar.values }));
  const height = Math.max(160, 48 + rows.length * 36);
  return (
    <figure className="chart" aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={(v: number) => formatMoney(i18n.language, v, "EUR", true)} />
          <YAxis type="category" dataKey="name" width={220} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(v) => formatMoney(i18n.language, Number(v), "EUR")} />
          {data.series.length > 1 ? <Legend /> : null}
          {data.series.map((s, i) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stackId="eur"
              fill={COLORS[i % COLORS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
