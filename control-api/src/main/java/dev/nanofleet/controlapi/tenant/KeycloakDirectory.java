package dev.nanofleet.controlapi.tenant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.OAuth2Constants;

/**
 * The Keycloak realm control-api's tokens come from, reached with the service account of client
 * {@code nanofleet-control-api} (realm-management roles manage-users, view-users, query-groups, and
 * view-realm to read the {@code tenant} role it grants; nothing else). The
 * server and realm are those of {@code quarkus.oidc.auth-server-url}, so there is one place to configure them.
 */
@ApplicationScoped
public class KeycloakDirectory implements IdentityDirectory {

    private static final Logger LOG = Logger.getLogger(KeycloakDirectory.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The admin client's credentials; the secret is set by the launcher (development) or the operator. */
    @ConfigMapping(prefix = "nanofleet.keycloak-admin")
    public interface Config {
        @WithDefault("nanofleet-control-api")
        String clientId();

        String clientSecret();
    }

    private final String realm;
    private final Keycloak keycloak;

    KeycloakDirectory(@ConfigProperty(name = "quarkus.oidc.auth-server-url") String issuer, Config config) {
        int realms = issuer.indexOf("/realms/");
        if (realms < 0) {
            throw new IllegalStateException(
                    "quarkus.oidc.auth-server-url must be a Keycloak realm URL (…/realms/NAME)");
        }
        this.realm = issuer.substring(realms + "/realms/".length()).replaceAll("/+$", "");
        this.keycloak = KeycloakBuilder.builder().serverUrl(issuer.substring(0, realms)).realm(realm)
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS).clientId(config.clientId())
                .clientSecret(config.clientSecret()).build();
    }

    @Override
    public String createTenantUser(String tenantId, TenantRequests.FirstUser firstUser) {
        String username = firstUser.username();
        try {
            RealmResource realm = keycloak.realm(this.realm);
            String groupId = group(realm, tenantId);
            UserRepresentation user = new UserRepresentation();
            user.setUsername(username);
            user.setEmail(firstUser.email());
            user.setEmailVerified(firstUser.email() != null);
            user.setFirstName(firstUser.firstName());
            user.setLastName(firstUser.lastName());
            user.setEnabled(true);
            user.setRequiredActions(List.of("UPDATE_PASSWORD"));
            String password = oneTimePassword();
            CredentialRepresentation credential = new CredentialRepresentation();
            credential.setType(CredentialRepresentation.PASSWORD);
            credential.setValue(password);
            credential.setTemporary(true);
            user.setCredentials(List.of(credential));
            String userId;
            try (Response response = realm.users().create(user)) {
                if (response.getStatus() == 409) {
                    throw new DirectoryException.UserExists(username);
                }
                if (response.getStatus() != 201) {
                    throw new DirectoryException("Keycloak answered " + response.getStatus() + " to creating user '"
                            + username + "'", null);
                }
                String location = response.getLocation().getPath();
                userId = location.substring(location.lastIndexOf('/') + 1);
            }
            try {
                realm.users().get(userId).joinGroup(groupId);
                RoleRepresentation tenantRole = realm.roles().get("tenant").toRepresentation();
                realm.users().get(userId).roles().realmLevel().add(List.of(tenantRole));
            } catch (RuntimeException e) {
                realm.users().delete(userId).close(); // no half-made user to block a retry with "already exists"
                throw e;
            }
            LOG.infof("event=directory.user-created tenant=%s username=%s", tenantId, username);
            return password;
        } catch (WebApplicationException | jakarta.ws.rs.ProcessingException e) {
            throw new DirectoryException("Keycloak could not be asked to create the user: " + e.getMessage(), e);
        }
    }

    /** The tenant's group, made when missing; its {@code tenant} attribute becomes its users' tenant claim. */
    private static String group(RealmResource realm, String tenantId) {
        List<GroupRepresentation> found = realm.groups().groups(tenantId, true, 0, 1, true);
        if (!found.isEmpty()) {
            return found.getFirst().getId();
        }
        GroupRepresentation group = new GroupRepresentation();
        group.setName(tenantId);
        group.setAttributes(Map.of("tenant", List.of(tenantId)));
        try (Response response = realm.groups().add(group)) {
            if (response.getStatus() != 201) {
                throw new DirectoryException("Keycloak answered " + response.getStatus() + " to creating group '"
                        + tenantId + "'", null);
            }
            String location = response.getLocation().getPath();
            return location.substring(location.lastIndexOf('/') + 1);
        }
    }

    /** 18 random bytes: a one-time password nobody guesses in the time before its user replaces it. */
    private static String oneTimePassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @PreDestroy
    void close() {
        keycloak.close();
    }
}
