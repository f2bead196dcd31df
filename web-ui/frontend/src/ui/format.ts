/** How numbers read everywhere in the portal (one convention: CPU in cores, memory in MiB/GiB, times relative). */

export function cores(cpuMillis: number): string {
  const value = cpuMillis / 1000;
  return `${value.toFixed(value < 10 ? 2 : 1).replace(/\.?0+$/, "")} vCPU`;
}

export function mebibytes(memoryMiB: number): string {
  return memoryMiB >= 1024 ? `${(memoryMiB / 1024).toFixed(1).replace(/\.0$/, "")} GiB` : `${memoryMiB} MiB`;
}

export function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = count / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** "3 s ago", "5 min ago", "2 h ago", else the date; `now` is a parameter so tests need no clock. */
export function ago(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "never";
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (Number.isNaN(seconds)) return "unknown";
  if (seconds < 0) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toISOString().slice(0, 10);
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC").replace("Z", " UTC");
}

/** Money arrives as exact decimal strings; it is shown as it came, never through floating point. */
export function money(amount: string | null | undefined, currency = "USD"): string {
  if (amount == null) return "";
  const [whole = "0", fraction = ""] = amount.split(".");
  const cents = (fraction + "00").slice(0, Math.max(2, fraction.replace(/0+$/, "").length));
  const symbol = currency === "USD" ? "$" : `${currency} `;
  return `${symbol}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}
