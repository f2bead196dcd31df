// Fails the build when the portal grows past its budget: what the first view downloads (index.html's scripts,
// preloads and styles) and the largest lazily loaded chunk, both measured gzipped as a browser receives them.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET = { initialKiB: 120, chunkKiB: 160 };
const dist = new URL("../dist/", import.meta.url).pathname;
const html = readFileSync(join(dist, "index.html"), "utf8");
const gzipKiB = (file) => gzipSync(readFileSync(join(dist, file))).length / 1024;

const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const initialKiB = initial.reduce((sum, file) => sum + gzipKiB(file), 0);
const chunks = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js") && !initial.includes(`assets/${f}`));
const largest = chunks.map((f) => ({ f, kib: gzipKiB(join("assets", f)) })).sort((a, b) => b.kib - a.kib)[0] ?? { f: "none", kib: 0 };
const totalKiB = readdirSync(join(dist, "assets")).reduce((sum, f) => sum + gzipKiB(join("assets", f)), 0);

console.log(
  `bundle initial_gzip_kib=${initialKiB.toFixed(1)} largest_lazy_chunk_gzip_kib=${largest.kib.toFixed(1)} ` +
    `total_gzip_kib=${totalKiB.toFixed(1)} chunks=${chunks.length + initial.length} ` +
    `budget_initial_kib=${BUDGET.initialKiB} budget_chunk_kib=${BUDGET.chunkKiB}`,
);
const over = [];
if (initialKiB > BUDGET.initialKiB) over.push(`the first view's files are ${initialKiB.toFixed(1)} KiB gzipped, over ${BUDGET.initialKiB}`);
if (largest.kib > BUDGET.chunkKiB) over.push(`${largest.f} is ${largest.kib.toFixed(1)} KiB gzipped, over ${BUDGET.chunkKiB}`);
if (over.length) {
  console.error(`bundle budget exceeded: ${over.join("; ")}`);
  process.exit(1);
}
