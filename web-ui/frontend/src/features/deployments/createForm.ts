import type { Schemas } from "../../api/controlApi";
import type { FieldError } from "../../api/problem";

export type CreateDeployment = Schemas["CreateDeployment"];
export type Isolation = Schemas["RequestedIsolation"];
export type RestartMode = Schemas["RestartMode"];
export type CheckType = "none" | Schemas["HealthCheckType"];

/** A row of a list the user edits (ports, variables, secrets); `id` keeps React keys and error places stable. */
export interface PortRow {
  id: string;
  containerPort: string;
}
export interface VariableRow {
  id: string;
  name: string;
  value: string;
}

/** What the form holds: text as typed, turned into the API's body only on submit. */
export interface CreateForm {
  name: string;
  image: string;
  replicas: string;
  cpuMillis: string;
  memoryMiB: string;
  isolation: Isolation;
  /** one argument per line; empty for the image's entrypoint and cmd */
  command: string;
  ports: PortRow[];
  env: VariableRow[];
  secrets: VariableRow[];
  restartMode: RestartMode;
  maxRetries: string;
  check: {
    type: CheckType;
    port: string;
    path: string;
    statusMin: string;
    statusMax: string;
    /** one argument per line */
    command: string;
    intervalSeconds: string;
    timeoutSeconds: string;
    startPeriodSeconds: string;
    failureThreshold: string;
  };
}

let nextRow = 0;
export function rowId(): string {
  nextRow += 1;
  return `row-${nextRow}`;
}

/** The form as it opens: the API's defaults where it has them; name and image empty. */
export function emptyForm(): CreateForm {
  return {
    name: "",
    image: "",
    replicas: "1",
    cpuMillis: "250",
    memoryMiB: "128",
    isolation: "auto",
    command: "",
    ports: [],
    env: [],
    secrets: [],
    restartMode: "on-failure",
    maxRetries: "5",
    check: {
      type: "none",
      port: "",
      path: "/",
      statusMin: "200",
      statusMax: "399",
      command: "",
      intervalSeconds: "10",
      timeoutSeconds: "2",
      startPeriodSeconds: "0",
      failureThreshold: "3",
    },
  };
}

/** A number as typed: blank is left out (the API then names the field if it is required), anything else is sent. */
function integer(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

function lines(text: string): string[] {
  return text.split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l.trim() !== "");
}

/** Where each item of a list in the body came from, so the API's `ports[1]` or `env.FOO` finds its row. */
export interface BodyPlaces {
  ports: string[];
  env: Map<string, string>;
  secrets: Map<string, string>;
}

/** Problems the API cannot see because the body cannot carry them (a name given twice collapses in a JSON object). */
export function localErrors(form: CreateForm): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [list, rows] of [["env", form.env], ["secrets", form.secrets]] as const) {
    const seen = new Set<string>();
    for (const row of rows) {
      const name = row.name.trim();
      if (name === "") {
        if (row.value !== "") errors[`${list}:${row.id}`] = "needs a name";
        continue;
      }
      if (seen.has(name)) errors[`${list}:${row.id}`] = `${name} is given twice`;
      seen.add(name);
    }
  }
  return errors;
}

/** The API's CreateDeployment body from the form, and where its list items came from. */
export function toRequest(form: CreateForm): { body: CreateDeployment; places: BodyPlaces } {
  const places: BodyPlaces = { ports: [], env: new Map(), secrets: new Map() };
  const body = {
    name: form.name.trim(),
    image: form.image.trim(),
    replicas: integer(form.replicas),
    resources: { cpuMillis: integer(form.cpuMillis), memoryMiB: integer(form.memoryMiB) },
    isolation: form.isolation,
  } as CreateDeployment;
  const command = lines(form.command);
  if (command.length) body.command = command;
  const ports = form.ports.filter((p) => p.containerPort.trim() !== "");
  if (ports.length) {
    body.ports = ports.map((p) => ({ containerPort: integer(p.containerPort) as number, protocol: "http" }));
    places.ports = ports.map((p) => p.id);
  }
  for (const [list, rows] of [["env", form.env], ["secrets", form.secrets]] as const) {
    const named = rows.filter((r) => r.name.trim() !== "");
    if (!named.length) continue;
    const values: Record<string, string> = {};
    for (const row of named) {
      values[row.name.trim()] = row.value;
      places[list].set(row.name.trim(), row.id);
    }
    body[list] = values;
  }
  const maxRetries = integer(form.maxRetries);
  body.restartPolicy = form.restartMode === "never" || maxRetries === undefined ? { mode: form.restartMode } : { mode: form.restartMode, maxRetries };
  const c = form.check;
  if (c.type !== "none") {
    const timing = {
      intervalSeconds: integer(c.intervalSeconds),
      timeoutSeconds: integer(c.timeoutSeconds),
      startPeriodSeconds: integer(c.startPeriodSeconds),
      failureThreshold: integer(c.failureThreshold),
    };
    const check: Record<string, unknown> = { type: c.type };
    if (c.type === "http") Object.assign(check, { port: integer(c.port), path: c.path.trim() || "/", statusMin: integer(c.statusMin), statusMax: integer(c.statusMax) });
    if (c.type === "tcp") check.port = integer(c.port);
    if (c.type === "exec") check.command = lines(c.command);
    for (const [key, value] of Object.entries(timing)) if (value !== undefined) check[key] = value;
    body.healthCheck = check as CreateDeployment["healthCheck"];
  }
  return { body, places };
}

/** The inputs an API field path can name; list rows are `ports:<rowId>`, `env:<rowId>`, `secrets:<rowId>`. */
const DIRECT: Record<string, string> = {
  name: "name",
  image: "image",
  replicas: "replicas",
  "resources.cpuMillis": "cpuMillis",
  "resources.memoryMiB": "memoryMiB",
  isolation: "isolation",
  command: "command",
  ports: "ports",
  env: "env",
  secrets: "secrets",
  restartPolicy: "restartMode",
  "restartPolicy.mode": "restartMode",
  "restartPolicy.maxRetries": "maxRetries",
  healthCheck: "check.type",
  "healthCheck.type": "check.type",
  "healthCheck.port": "check.port",
  "healthCheck.path": "check.path",
  "healthCheck.statusMin": "check.statusMin",
  "healthCheck.statusMax": "check.statusMax",
  "healthCheck.command": "check.command",
  "healthCheck.intervalSeconds": "check.intervalSeconds",
  "healthCheck.timeoutSeconds": "check.timeoutSeconds",
  "healthCheck.startPeriodSeconds": "check.startPeriodSeconds",
  "healthCheck.failureThreshold": "check.failureThreshold",
};

/** The input that shows an API field error, or undefined when no input of the form stands for that field. */
export function inputFor(field: string, places: BodyPlaces): string | undefined {
  if (field in DIRECT) return DIRECT[field];
  let match = /^ports\[(\d+)\](?:\.containerPort)?$/.exec(field);
  if (match) {
    const row = places.ports[Number(match[1])];
    return row ? `ports:${row}` : "ports";
  }
  if (/^command\[\d+\]$/.test(field)) return "command";
  if (/^healthCheck\.command\[\d+\]$/.test(field)) return "check.command";
  match = /^(env|secrets)\.(.+)$/.exec(field);
  if (match) {
    const list = match[1] as "env" | "secrets";
    const row = places[list].get(match[2] ?? "");
    return row ? `${list}:${row}` : list;
  }
  return undefined;
}

/** The API's 400 field errors placed at their inputs; what fits no input is returned for the summary. */
export function placeErrors(errors: FieldError[], places: BodyPlaces): { byInput: Record<string, string>; unplaced: FieldError[] } {
  const byInput: Record<string, string> = {};
  const unplaced: FieldError[] = [];
  for (const error of errors) {
    const input = inputFor(error.field, places);
    if (!input) {
      unplaced.push(error);
      continue;
    }
    // an argument of a command has no input of its own: say which one
    const indexed = /\[\d+\]$/.test(error.field) && (input === "command" || input === "check.command");
    const message = indexed ? `${error.field.replace(/^healthCheck\./, "")}: ${error.message}` : error.message;
    byInput[input] = byInput[input] ? `${byInput[input]}; ${message}` : message;
  }
  return { byInput, unplaced };
}
