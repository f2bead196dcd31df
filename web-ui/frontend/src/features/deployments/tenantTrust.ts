import { useEffect, useState } from "react";
import { data, type Schemas } from "../../api/controlApi";
import { useSession } from "../../app/session";

export type Trust = "trusted" | "untrusted";
type TenantUsage = Schemas["TenantUsage"];

/**
 * The signed-in tenant's trust, which decides what `auto` isolation means and whether `shared` is allowed: /v1/me
 * says it at sign-in; a later 422 isolation-not-allowed (an operator lowered it since) teaches the form the new one.
 * Also loads the tenant's quota use, which the form shows beside the resources.
 */
export function useTenantTrust(): { trust: Trust | undefined; usage: TenantUsage | undefined; learn: (trust: Trust) => void } {
  const { me, api } = useSession();
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
      },
      () => undefined, // without it the form still works: the API decides on submit
    );
    return () => {
      current = false;
    };
  }, [api, tenant]);
  return { trust: learned ?? me.trust, usage, learn: setLearned };
}
