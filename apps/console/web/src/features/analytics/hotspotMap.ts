/**
 * The hotspot map as an ECharts option. With the city's tile URL: Web-Mercator pixel axes at a zoom
 * that fits the hotspots, the tiles drawn by a custom series under the points (no map library needed).
 * Without one: the points on plain longitude/latitude axes, still readable.
 */
import type { Hotspot, MapConfig } from './types';

const TILE = 256;
const MAX_ZOOM = 17;
/** The tiles the map may span (the chart is at most this many tiles wide and high). */
const MAX_TILES_X = 4;
const MAX_TILES_Y = 2;

export function project(lat: number, lng: number, z: number): [number, number] {
  const scale = TILE * 2 ** z;
  const s = Math.sin((lat * Math.PI) / 180);
  const x = ((lng + 180) / 360) * scale;
  const y = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * scale;
  return [x, y];
}

export interface TileView {
  z: number;
  x0: number;
  y0: number;
  cols: number;
  rows: number;
}

/** The deepest zoom at which every point fits in MAX_TILES_X × MAX_TILES_Y tiles. */
export function fitTiles(points: { lat: number; lng: number }[]): TileView | null {
  if (!points.length) return null;
  for (let z = MAX_ZOOM; z >= 1; z--) {
    const xy = points.map((p) => project(p.lat, p.lng, z));
    const xs = xy.map((p) => Math.floor(p[0] / TILE));
    const ys = xy.map((p) => Math.floor(p[1] / TILE));
    const x0 = Math.min(...xs);
    const y0 = Math.min(...ys);
    const cols = Math.max(...xs) - x0 + 1;
    const rows = Math.max(...ys) - y0 + 1;
    // Neighbouring tiles fill the map, on the side the points lie nearer to, so they are not at an edge.
    if (cols <= MAX_TILES_X && rows <= MAX_TILES_Y) {
      const padX = Math.max(0, Math.min(MAX_TILES_X - cols, 2));
      const padY = Math.max(0, Math.min(MAX_TILES_Y - rows, 1));
      const mid = (v: number[], lo: number, n: number) => (Math.min(...v) + Math.max(...v)) / 2 / TILE - lo - n / 2;
      const before = (pad: number, off: number) => (pad % 2 === 0 ? pad / 2 : off < 0 ? Math.ceil(pad / 2) : Math.floor(pad / 2));
      const left = before(
        padX,
        mid(
          xy.map((p) => p[0]),
          x0,
          cols,
        ),
      );
      const top = before(
        padY,
        mid(
          xy.map((p) => p[1]),
          y0,
          rows,
        ),
      );
      return { z, x0: x0 - left, y0: y0 - top, cols: cols + padX, rows: rows + padY };
    }
  }
  return { z: 0, x0: 0, y0: 0, cols: 1, rows: 1 };
}

export function tileUrl(template: string, z: number, x: number, y: number, subdomains: string[]): string {
  const s = subdomains.length ? subdomains[Math.abs(x + y) % subdomains.length] : '';
  return template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y)).replace('{s}', s);
}

/** An axis around the values with a margin (at least ~1 km), labelled in degrees to 3 decimals. */
function around(values: number[]) {
  if (!values.length) return { scale: true };
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max(0.01, (hi - lo) * 0.2);
  return {
    min: Math.floor((lo - pad) * 1000) / 1000,
    max: Math.ceil((hi + pad) * 1000) / 1000,
    axisLabel: { formatter: (v: number) => `${v.toFixed(3)}°` },
  };
}

const COLOURS: Record<Hotspot['status'], string> = { detected: '#fa541c', proposed: '#1677ff', dismissed: '#8c8c8c' };

export interface MapLabels {
  lng: string;
  lat: string;
  status: Record<Hotspot['status'], string>;
  count: string;
}

export function hotspotOption(hotspots: Hotspot[], map: MapConfig | undefined, labels: MapLabels, selected: string | null) {
  const symbolSize = (h: Hotspot) => Math.min(48, 12 + h.ticketCount * 3);
  const tooltip = {
    trigger: 'item',
    formatter: (p: { data: { h?: Hotspot } }) =>
      p.data?.h ? `${p.data.h.category}<br/>${labels.count}：${p.data.h.ticketCount}<br/>${labels.status[p.data.h.status]}` : '',
  };
  const statuses = ['detected', 'proposed', 'dismissed'] as const;
  const view = map?.tileUrl ? fitTiles(hotspots.map((h) => h.center)) : null;
  if (!map?.tileUrl || !view) {
    return {
      height: 380,
      option: {
        tooltip,
        legend: { top: 0, data: statuses.map((s) => labels.status[s]) },
        grid: { left: 64, right: 24, top: 36, bottom: 40 },
        xAxis: { type: 'value', name: labels.lng, nameLocation: 'middle', nameGap: 26, ...around(hotspots.map((h) => h.center.lng)) },
        yAxis: { type: 'value', name: labels.lat, ...around(hotspots.map((h) => h.center.lat)) },
        series: statuses.map((s) => ({
          name: labels.status[s],
          type: 'scatter',
          itemStyle: { color: COLOURS[s], opacity: 0.8 },
          label: {
            show: true,
            position: 'right',
            formatter: (p: { data: { h: Hotspot } }) => `${p.data.h.category} ${p.data.h.ticketCount}`,
          },
          data: hotspots
            .filter((h) => h.status === s)
            .map((h) => ({
              value: [h.center.lng, h.center.lat],
              h,
              symbolSize: symbolSize(h),
              itemStyle: h.id === selected ? { borderColor: '#000', borderWidth: 3 } : undefined,
            })),
        })),
      },
    };
  }
  const { z, x0, y0, cols, rows } = view;
  const tiles: [number, number][] = [];
  for (let x = x0; x < x0 + cols; x++) for (let y = y0; y < y0 + rows; y++) tiles.push([x, y]);
  const width = cols * TILE;
  const height = rows * TILE;
  const template = map.tileUrl;
  return {
    height: height + 24,
    option: {
      tooltip,
      grid: { left: 'center', top: 0, width, height },
      xAxis: { type: 'value', min: x0 * TILE, max: (x0 + cols) * TILE, show: false },
      yAxis: { type: 'value', min: y0 * TILE, max: (y0 + rows) * TILE, inverse: true, show: false },
      graphic: map.attribution ? [{ type: 'text', right: 8, bottom: 4, style: { text: map.attribution, fill: '#555', fontSize: 11 } }] : [],
      series: [
        {
          type: 'custom',
          silent: true,
          z: 0,
          data: tiles,
          renderItem: (params: unknown, api: { value: (i: number) => number; coord: (v: [number, number]) => [number, number] }) => {
            const tx = api.value(0);
            const ty = api.value(1);
            const [left, top] = api.coord([tx * TILE, ty * TILE]);
            const [right, bottom] = api.coord([(tx + 1) * TILE, (ty + 1) * TILE]);
            return {
              type: 'image',
              style: { image: tileUrl(template, z, tx, ty, map.subdomains), x: left, y: top, width: right - left, height: bottom - top },
            };
          },
        },
        ...statuses.map((s) => ({
          name: labels.status[s],
          type: 'scatter',
          z: 2,
          itemStyle: { color: COLOURS[s], opacity: 0.85, borderColor: '#fff', borderWidth: 1 },
          data: hotspots
            .filter((h) => h.status === s)
            .map((h) => ({
              value: project(h.center.lat, h.center.lng, z),
              h,
              symbolSize: symbolSize(h),
              itemStyle: h.id === selected ? { borderColor: '#000', borderWidth: 3 } : undefined,
            })),
        })),
      ],
    },
  };
}
