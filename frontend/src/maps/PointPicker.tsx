import { geoPath } from "d3-geo";
import { useId, useMemo, type KeyboardEvent, type MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import { Loading } from "@/components/Loading";
import { formatNumber } from "@/lib/format";
import { useAtlas } from "@/maps/atlas";
import { centreOf, countryShapes, framing, HEIGHT, round4, WIDTH } from "@/maps/geometry";
import "@/maps/maps.css";

interface Props {
  country: string;
  latitude: number | null;
  longitude: number | null;
  onChange: (latitude: number, longitude: number) => void;
  label: string;
}

const KEYS: Record<string, [number, number]> = {
  ArrowUp: [1, 0],
  ArrowDown: [-1, 0],
  ArrowLeft: [0, -1],
  ArrowRight: [0, 1],
};

/**
 * A point on the offline map of the location's country: click where it is, or focus the map and use the arrow keys
 * (Shift for larger steps; Enter puts the point in the middle of the country). The coordinates stay editable as
 * numbers beside it.
 */
export function PointPicker({ country, latitude, longitude, onChange, label }: Props) {
  const { t, i18n } = useTranslation();
  const atlas = useAtlas();
  const id = useId();
  const drawn = useMemo(() => {
    if (!atlas.data) return null;
    const focus = countryShapes(atlas.data, country ? [country] : []);
    const projection = framing(atlas.data, focus);
    const path = geoPath(projection);
    return {
      projection,
      centre: centreOf(focus),
      shapes: atlas.data.map((f) => ({ id: String(f.id), d: path(f) ?? "", inFocus: focus.includes(f) })),
    };
  }, [atlas.data, country]);
  if (atlas.isPending) return <Loading />;
  if (!drawn) return null;
  const { projection, shapes, centre } = drawn;
  const has = latitude !== null && longitude !== null;
  const marker = has ? projection([longitude, latitude]) : null;

  function place(event: MouseEvent<SVGSVGElement>) {
    const box = event.currentTarget.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * WIDTH;
    const y = ((event.clientY - box.top) / box.height) * HEIGHT;
    const point = projection.invert?.([x, y]);
    if (point) onChange(round4(point[1]), round4(point[0]));
  }

  function move(event: KeyboardEvent<SVGSVGElement>) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (!has) onChange(round4(centre[1]), round4(centre[0]));
      return;
    }
    const step = KEYS[event.key];
    if (!step) return;
    event.preventDefault();
    const size = event.shiftKey ? 0.5 : 0.05;
    const [lat, lon] = has ? [latitude, longitude] : [centre[1], centre[0]];
    onChange(
      round4(Math.max(-90, Math.min(90, lat + step[0] * size))),
      round4(Math.max(-180, Math.min(180, lon + step[1] * size))),
    );
  }

  return (
    <div className="point-picker">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="world-map picker-map"
        role="application"
        tabIndex={0}
        aria-label={label}
        aria-describedby={`${id}-help ${id}-where`}
        onClick={place}
        onKeyDown={move}
        data-testid="point-picker"
      >
        <rect width={WIDTH} height={HEIGHT} className="sea" />
        {shapes.map((s) => (
          <path key={s.id} d={s.d} className={s.inFocus ? "focus" : "other"} />
        ))}
        {marker ? <circle cx={marker[0]} cy={marker[1]} r={7} className="marker" /> : null}
      </svg>
      <small id={`${id}-help`} className="hint">
        {t("places.pickerHelp")}
      </small>{" "}
      <small id={`${id}-where`} className="hint" aria-live="polite">
        {has
          ? t("places.pickedAt", {
              lat: formatNumber(i18n.language, latitude, 4),
              lon: formatNumber(i18n.language, longitude, 4),
            })
          : t("places.notPicked")}
      </small>
    </div>
  );
}
