import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { billingApi } from "../api/billingApi";
import { controlApi, type Me, type Schemas } from "../api/controlApi";
import { SessionProvider, type Session } from "../app/session";
import { EventStream, type EventEntry } from "../live/eventStream";

/** A recorded request: what a view asked of the API. */
export interface Sent {
  method: string;
  url: URL;
  body: unknown;
}

/**
 * An answer: status, body and optional response headers. The body is sent as JSON unless the headers name another
 * content type, in which case a string or a stream is sent as it is (a log's text, say).
 */
export type Answer = [number, unknown] | [number, unknown, Record<string, string>];

const DECIMAL_MARK = /"#dec#([-+0-9.eE]+)#"/g;

/**
 * A decimal as tenant-billing writes it: a bare JSON number with every digit (0.1, 1.123456789012345678).
 * JSON.stringify cannot write such a number from a double, so this is a mark that FakeApi writes as that number.
 */
export function dec(value: string): number {
  return `#dec#${value}#` as unknown as number;
}

/** A problem (RFC 9457) as the API answers it: type urn:nanofleet:problem:SLUG, title, status and detail, and any extra members. */
export function problem(status: number, slug: string, detail: string, extra: Partial<Schemas["Problem"]> = {}): Schemas["Problem"] {
  return { type: `urn:nanofleet:problem:${slug}`, title: slug, status, detail, ...extra };
}

/**
 * Answers the portal's API calls in component tests, like the services would: route by method and path to a handler
 * returning a status, a body (problem JSON for errors) and optionally headers. Unrouted calls answer 404 problem JSON,
 * as the API does.
 */
export class FakeApi {
  readonly sent: Sent[] = [];
  private readonly routes: { method: string; path: RegExp; answer: (sent: Sent) => Answer }[] = [];

  on(method: string, path: string | RegExp, answer: ((sent: Sent) => Answer) | Answer): this {
    const pattern = typeof path === "string" ? new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) : path;
    this.routes.unshift({ method, path: pattern, answer: typeof answer === "function" ? answer : () => answer });
    return this;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const text = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    const sent: Sent = { method: request.method, url: new URL(request.url), body: text ? JSON.parse(text) : undefined };
    this.sent.push(sent);
    const route = this.routes.find((r) => r.method === sent.method && r.path.test(sent.url.pathname));
    const [status, body, extra = {}] = route
      ? route.answer(sent)
      : [404, { type: "urn:nanofleet:problem:not-found", title: "Not Found", status: 404, detail: `${sent.url.pathname}` }];
    const headers = new Headers({ "content-type": status >= 400 ? "application/problem+json" : "application/json" });
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    if (status === 204) return new Response(null, { status, headers });
    const json = /json/.test(headers.get("content-type") ?? "");
    const payload = json ? JSON.stringify(body).replace(DECIMAL_MARK, "$1") : (body as BodyInit);
    return new Response(payload, { status, headers });
  };

  /** The requests sent with this method and path. */
  calls(method: string, path: string): Sent[] {
    return this.sent.filter((s) => s.method === method && s.url.pathname === path);
  }
}

/** Live events a test pushes, as the event stream would deliver them. */
export class FakeEvents {
  private push: ((chunk: string) => void) | undefined;
  readonly stream = new EventStream(
    async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start: (controller) => {
            const encoder = new TextEncoder();
            this.push = (chunk) => controller.enqueue(encoder.encode(chunk));
          },
        }),
        { status: 200 },
      ),
    { delay: () => 60_000 },
  );
  private next = 1;

  emit(event: Partial<EventEntry> & { type: string }): void {
    const id = String(this.next++);
    const entry = { id, eventId: crypto.randomUUID(), time: new Date().toISOString(), tenant: null, deploymentId: null, instanceId: null, actor: null, data: {}, ...event };
    if (!this.push) throw new Error("the stream is not connected yet");
    this.push(`id: ${id}\ndata: ${JSON.stringify(entry)}\n\n`);
  }

  connected(): boolean {
    return this.push !== undefined;
  }
}

export const BOB: Me = { subject: "user:bob", kind: "user", tenant: "globex", operator: false, scopes: ["read", "deploy", "exec", "admin"] };
export const OPS: Me = { subject: "user:ops", kind: "user", operator: true, scopes: ["read", "deploy", "exec", "admin"] };

/**
 * Renders a page as the portal would: a session whose API clients talk to `api`, whose live stream is `events`, at
 * `path` matched by `route` (so useParams works).
 */
export function renderPage(
  page: ReactElement,
  { api = new FakeApi(), events = new FakeEvents(), me = BOB, path = "/", route = "*" }: { api?: FakeApi; events?: FakeEvents; me?: Me; path?: string; route?: string } = {},
): RenderResult & { api: FakeApi; events: FakeEvents } {
  const token = async () => "test-token";
  const session: Session = {
    config: { apiUrl: "http://api.test", billingUrl: "http://billing.test", oidcIssuer: "http://idp.test/realms/nanofleet", clientId: "nanofleet-portal" },
    me,
    api: controlApi("http://api.test", token, api.fetch),
    billing: billingApi("http://billing.test", token, api.fetch),
    token,
    events: events.stream,
    signOut: () => undefined,
  };
  events.stream.start();
  const result = render(
    <SessionProvider session={session}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={route} element={page} />
          <Route path="*" element={<p>elsewhere</p>} />
        </Routes>
      </MemoryRouter>
    </SessionProvider>,
  );
  return { ...result, api, events };
}
