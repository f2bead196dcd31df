import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJs,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";
import { useEffect, useRef } from "react";

// Only the parts the portal draws: bars, lines and doughnuts (keeps Chart.js's share of a chunk small).
ChartJs.register(BarController, BarElement, LineController, LineElement, PointElement, DoughnutController, ArcElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Colours that keep their meaning across charts: VM purple, shared kernel teal (as the badges). */
export const MODE_COLOURS = { hardware: "#6639ba", shared: "#0a5a6e" } as const;
export const SERIES_COLOURS = ["#0550ae", "#6639ba", "#0a5a6e", "#953800", "#116329", "#a40e26", "#57606a", "#bf8700"];

/**
 * A Chart.js chart in a canvas. Charts are pictures: `label` names it for screen readers, and the page shows the same
 * figures as text or a table beside it.
 */
export function Chart({ config, label }: { config: ChartConfiguration; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<ChartJs | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new ChartJs(canvas.current, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [config]);
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
