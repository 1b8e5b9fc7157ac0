/**
 * The pool pages' charts, drawn by uPlot (bundled: 22 KB gzipped; nothing from a CDN) on a canvas as wide as
 * its box: a period's waterfall as bars (cash in, then each step out) and tranche outstanding with the pool factor
 * over the periods. Each chart has a table beside it with the same numbers (the text alternative).
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./desk.css";
import { useEffect, useRef } from "preact/hooks";

const COLOURS = ["#0b5cad", "#c2410c", "#15803d", "#7e22ce", "#be123c", "#0e7490"];

/** Draw `make(width)` into the box and redraw when the box changes width (phone, zoom, window). */
function useChart(make: (width: number) => uPlot.Options, data: uPlot.AlignedData, deps: unknown[]) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let chart: uPlot | null = null;
    const draw = () => {
      const width = Math.max(240, Math.floor(el.clientWidth));
      if (chart && chart.width === width) return;
      chart?.destroy();
      chart = new uPlot(make(width), data, el);
    };
    draw();
    const observer = new ResizeObserver(draw);
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart?.destroy();
    };
  }, deps);
  return box;
}

/** Bars, one per label (a label's words on lines of their own, so that narrow screens need no rotation): yuan. */
export function BarChart(props: { labels: string[]; values: number[]; label: string; testId: string }) {
  const { labels, values } = props;
  const lines = labels.map((l) => l.split(" ").join("\n"));
  const tallest = Math.max(1, ...lines.map((l) => l.split("\n").length));
  const box = useChart(
    (width) => ({
      width,
      height: 240 + tallest * 14,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.6, labels.length - 0.4] },
        y: { range: (_u, _min, max) => [0, max * 1.1 || 1] },
      },
      axes: [
        {
          splits: () => labels.map((_, i) => i),
          values: (_u, splits) => splits.map((i) => lines[i] ?? ""),
          size: 24 + tallest * 14,
          font: width < 600 ? "11px system-ui, sans-serif" : "12px system-ui, sans-serif",
        },
        { size: 70 },
      ],
      series: [
        {},
        {
          label: props.label,
          fill: "#0b5cad99",
          stroke: "#0b5cad",
          paths: uPlot.paths.bars!({ size: [0.6, 80] }),
          points: { show: false },
        },
      ],
    }),
    [labels.map((_, i) => i), values],
    [labels.join("|"), values.join("|")],
  );
  return <div class="chart" ref={box} role="img" aria-label={props.label} data-testid={props.testId} />;
}

/** Lines over the periods (x = period, 0 = at closing): amounts in yuan on the left, the pool factor on the right. */
export function OverTimeChart(props: {
  periods: number[];
  periodLabel: string;
  lines: { label: string; values: number[] }[];
  factor: { label: string; values: number[] };
  label: string;
  testId: string;
}) {
  const box = useChart(
    (width) => ({
      width,
      height: 280,
      legend: { live: false },
      scales: {
        x: { time: false },
        y: { range: (_u, _min, max) => [0, max * 1.1 || 1] },
        f: { range: [0, 1] },
      },
      axes: [
        { splits: () => props.periods, values: (_u, s) => s.map(String) },
        { size: 70 },
        { scale: "f", side: 1, grid: { show: false }, size: 50 },
      ],
      series: [
        { label: props.periodLabel },
        ...props.lines.map((l, i) => ({ label: l.label, stroke: COLOURS[i % COLOURS.length], width: 2 })),
        { label: props.factor.label, scale: "f", stroke: "#111", dash: [6, 4], width: 2 },
      ],
    }),
    [props.periods, ...props.lines.map((l) => l.values), props.factor.values],
    [JSON.stringify(props)],
  );
  return <div class="chart" ref={box} role="img" aria-label={props.label} data-testid={props.testId} />;
}
