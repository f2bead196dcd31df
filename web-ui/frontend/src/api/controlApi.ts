import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./generated/control-api";
import { errorFrom } from "./problem";

export type ControlApi = Client<paths>;
export type Schemas = components["schemas"];
export type Deployment = Schemas["DeploymentView"];
export type Instance = Schemas["InstanceView"];
export type Node = Schemas["NodeView"];
export type Me = Schemas["Me"];

export type TokenSource = () => Promise<string>;

export function bearer(token: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${await token()}`);
      return request;
    },
  };
}

/** control-api, typed from its OpenAPI document (src/api/generated/control-api.ts). */
export function controlApi(baseUrl: string, token: TokenSource, fetcher?: typeof fetch): ControlApi {
  const client = createClient<paths>({ baseUrl, ...(fetcher ? { fetch: fetcher } : {}) });
  client.use(bearer(token));
  return client;
}

/** The data of a successful answer, or the API's problem thrown as an ApiError. */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data: body, error, response } = await call;
  if (!response.ok || error !== undefined) throw await errorFrom(response, error);
  return body as T;
}
