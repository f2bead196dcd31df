package dev.nanofleet.tenantbilling.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The billing API's OpenAPI document (/q/openapi): the same two ways to authenticate as control-api's, named the same.
 * The OpenID Connect URL names the local platform's realm (./fleet up). On the JAX-RS application class because the
 * scanner reads {@code @OpenAPIDefinition} only there; with no classes listed, every resource is served.
 */
@OpenAPIDefinition(info = @Info(title = "Nanofleet billing API", version = "1", description = "A tenant's usage, "
        + "invoices (JSON, CSV, PDF) and spend limit, and revenue for operators. Decimals are JSON numbers written "
        + "exactly (plain, never via floating point): read them as decimals. Every error is an RFC 9457 problem "
        + "(application/problem+json)."), components = @Components(securitySchemes = {
                @SecurityScheme(securitySchemeName = "oidc", type = SecuritySchemeType.OPENIDCONNECT, description = "a Keycloak access token of realm nanofleet (audience nanofleet-api)", openIdConnectUrl = "http://127.0.0.1:18080/realms/nanofleet/.well-known/openid-configuration"),
                @SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", description = "a Keycloak access token or a Nanofleet API token (nfk_...), which control-api vouches for")}), security = {
                        @SecurityRequirement(name = "oidc"), @SecurityRequirement(name = "bearer")})
public class BillingOpenApi extends Application {
}
