// The report's pictures, drawn by Observable Plot: a trend, bars per service and a heat map of
// the hours of the week. Okabe and Ito's blue and orange tell the two lines apart for readers
// with any common colour blindness, and the lines carry different marks (dots and triangles)
// so colour is never the only difference; the heat map is one hue deepening, with its numbers.
import * as Plot from "@observablehq/plot";
import type { TrendRow } from "../../lib/bindings/TrendRow";
import { DAYS } from "./compare";

const BLUE = "#0072B2";
const ORANGE = "#E69F00";

export function trendChart(trend: readonly TrendRow[], width: number): SVGSVGElement | HTMLElement {
  const points = trend.flatMap((row) => [
    { day: new Date(`${row.starting}T12:00:00Z`), count: row.visits, what: "Visits" },
    { day: new Date(`${row.starting}T12:00:00Z`), count: row.unduplicated_people, what: "Unduplicated people" },
  ]);
  return Plot.plot({
    width,
    height: 260,
    marginLeft: 48,
    marginBottom: 44,
    y: { grid: true, label: null, zero: true },
    x: { type: "utc", label: null },
    color: { domain: ["Visits", "Unduplicated people"], range: [BLUE, ORANGE], legend: true },
    symbol: { domain: ["Visits", "Unduplicated people"], range: ["circle", "triangle"] },
    marks: [
      Plot.lineY(points, { x: "day", y: "count", stroke: "what", strokeWidth: 2.5 }),
      Plot.dot(points, { x: "day", y: "count", fill: "what", symbol: "what", r: 4 }),
      Plot.ruleY([0]),
    ],
  });
}

export function barChart(rows: readonly { name: string; count: number }[], width: number): SVGSVGElement | HTMLElement {
  const longest = Math.max(0, ...rows.map((row) => row.name.length));
  return Plot.plot({
    width,
    height: 40 + 30 * rows.length,
    // The screen draws the chart's text at 14px: about 8.5px a letter.
    marginLeft: Math.min(300, 20 + longest * 8.5),
    marginRight: 48,
    x: { grid: true, label: null },
    y: { label: null, domain: rows.map((row) => row.name) },
    marks: [
      Plot.barX(rows, { x: "count", y: "name", fill: BLUE }),
      Plot.text(rows, {
        x: "count",
        y: "name",
        text: (row) => row.count.toLocaleString("en-US"),
        dx: 6,
        textAnchor: "start",
      }),
      Plot.ruleX([0]),
    ],
  });
}

export function hourOfWeekChart(
  cells: readonly { day: string; hour: string; count: number }[],
  width: number,
): SVGSVGElement | HTMLElement {
  const most = Math.max(1, ...cells.map((cell) => cell.count));
  return Plot.plot({
    width,
    height: 310,
    marginLeft: 96,
    marginBottom: 44,
    padding: 0.06,
    x: {
      label: "Hour of the day",
      labelOffset: 38,
      domain: Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, "0")),
    },
    y: { label: null, domain: [...DAYS] },
    color: { type: "linear", scheme: "blues", domain: [0, most] },
    marks: [
      Plot.cell(cells, { x: "hour", y: "day", fill: "count", inset: 0.5 }),
      Plot.text(
        cells.filter((cell) => cell.count > 0),
        {
          x: "hour",
          y: "day",
          text: (cell) => String(cell.count),
          fill: (cell) => (cell.count > most * 0.55 ? "white" : "#1d2430"),
          fontSize: 10,
        },
      ),
    ],
  });
}
