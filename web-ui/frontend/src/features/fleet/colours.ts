/**
 * Colours of the fleet views. Kept here rather than taken from ui/Chart so the topology (no chart) does not load
 * Chart.js; the mode colours are the same as the badges' and Chart's MODE_COLOURS. Colour never carries meaning alone:
 * every block and bar is named in words too.
 */
import type { Mode } from "./fleetApi";

export const MODE_COLOUR: Record<Mode, string> = { hardware: "#6639ba", shared: "#0a5a6e" };

/** Distinct on white (3:1 or more for graphics), in an order where neighbours differ. */
export const TENANT_COLOURS = ["#0550ae", "#953800", "#116329", "#a40e26", "#8250df", "#1b7c83", "#bf3989", "#57606a", "#7d4e00", "#4d6b00", "#3d2b99"];

/** Each tenant's colour by its place among the tenants shown, so the first eleven never share one. */
export function tenantColours(tenants: string[]): Map<string, string> {
  const sorted = [...new Set(tenants)].sort();
  return new Map(sorted.map((tenant, i) => [tenant, TENANT_COLOURS[i % TENANT_COLOURS.length]!]));
}
