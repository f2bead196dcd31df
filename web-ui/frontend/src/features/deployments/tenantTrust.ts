import { useEffect, useState } from "react";
import { data, type Schemas } from "../../api/controlApi";
import { useSession } from "../../app/session";

export type Trust = "trusted" | "untrusted";
type TenantUsage = Schemas["TenantUsage"];

function trustIn(value: unknown): Trust | undefined {
  if (typeof value !== "object" || value === null || !("trust" in value)) return undefined;
  const trust = (value as { trust: unknown }).trust;
  return trust === "trusted" || trust === "untrusted" ? trust : undefined;
}

/**
 * The signed-in tenant's trust, which decides what `auto` isolation means and whether `shared` is allowed.
 *
 * control-api does not tell a tenant its trust today: GET /v1/tenants/{id} is for operators, and neither /v1/me nor
 * GET /v1/tenants/{id}/usage (which a tenant may read) carries it. This reads a `trust` member from either answer as
 * soon as one carries it, and otherwise learns it from the API's own refusal (422 isolation-not-allowed: untrusted).
 * Until then the trust is undefined and the form says so instead of guessing.
 */
export function useTenantTrust(): { trust: Trust | undefined; usage: TenantUsage | undefined; learn: (trust: Trust) => void } {
  const { me, api } = useSession();
  const [fromUsage, setFromUsage] = useState<Trust | undefined>();
  const [usage, setUsage] = useState<TenantUsage | undefined>();
  const [learned, setLearned] = useState<Trust | undefined>();
  const tenant = me.tenant;
  useEffect(() => {
    if (!tenant) return;
    let current = true;
    data(api.GET("/v1/tenants/{id}/usage", { params: { path: { id: tenant } } })).then(
      (answer) => {
        if (!current) return;
        setUsage(answer);
        setFromUsage(trustIn(answer));
      },
      () => undefined, // without it the form still works: the API decides on submit
    );
    return () => {
      current = false;
    };
  }, [api, tenant]);
  return { trust: learned ?? trustIn(me) ?? fromUsage, usage, learn: setLearned };
}
