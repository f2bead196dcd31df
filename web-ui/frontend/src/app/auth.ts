import { UserManager, WebStorageStateStore, type User } from "oidc-client-ts";
import type { PortalConfig } from "./config";

export const CALLBACK_PATH = "/auth/callback";

/**
 * Keycloak login for the portal: authorization code with PKCE (public client, no secret in the page), tokens kept in
 * this tab's session storage, refreshed with the refresh token shortly before they expire, and a logout that ends the
 * Keycloak session too.
 */
export class Auth {
  private readonly manager: UserManager;

  constructor(config: PortalConfig, origin: string = window.location.origin) {
    this.manager = new UserManager({
      authority: config.oidcIssuer,
      client_id: config.clientId,
      redirect_uri: origin + CALLBACK_PATH,
      post_logout_redirect_uri: origin + "/",
      response_type: "code",
      scope: "openid",
      automaticSilentRenew: true,
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    });
  }

  /**
   * Finishes a login redirect, or returns the signed-in user, or starts a login (then the page navigates away and the
   * promise never settles).
   */
  async signIn(): Promise<User> {
    const { pathname, search, hash } = window.location;
    if (pathname === CALLBACK_PATH) {
      const user = await this.manager.signinRedirectCallback();
      const returnTo = typeof user.state === "string" && user.state.startsWith("/") ? user.state : "/";
      window.history.replaceState(null, "", returnTo);
      return user;
    }
    const user = await this.manager.getUser();
    if (user && !user.expired) return user;
    if (user?.refresh_token) {
      const renewed = await this.manager.signinSilent().catch(() => null);
      if (renewed) return renewed;
    }
    await this.manager.signinRedirect({ state: pathname + search + hash });
    return new Promise<User>(() => undefined);
  }

  /** A current access token, renewed first when it has expired (a tab left asleep). */
  async accessToken(): Promise<string> {
    let user = await this.manager.getUser();
    if (!user || user.expired) user = await this.manager.signinSilent();
    if (!user) throw new Error("signed out");
    return user.access_token;
  }

  async signOut(): Promise<void> {
    await this.manager.signoutRedirect();
  }
}
