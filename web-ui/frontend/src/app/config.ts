/** Where the API, billing and identity provider are: served by web-ui at /portal-config.json, so the bundle names no host. */
export interface PortalConfig {
  apiUrl: string;
  billingUrl: string;
  oidcIssuer: string;
  clientId: string;
}

export async function loadConfig(fetcher: typeof fetch = fetch): Promise<PortalConfig> {
  const response = await fetcher("/portal-config.json", { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`/portal-config.json answered ${response.status}`);
  return (await response.json()) as PortalConfig;
}
