package dev.nanofleet.controlapi.tenant;

/**
 * Where people sign in (Keycloak). control-api owns tenants; the directory only holds each tenant's group, which puts
 * the tenant's id in its users' tokens, and the users themselves.
 *
 * <p>
 * Calls block on the network; callers run them on worker threads. Failures are {@link DirectoryException}s whose
 * message is safe to show to an operator.
 */
public interface IdentityDirectory {

    /**
     * Creates the tenant's group (if missing) and its first user in it, with the {@code tenant} role and a one-time
     * password the user must replace at first sign-in.
     *
     * @return the one-time password, never stored by control-api
     * @throws DirectoryException.UserExists when the username is taken
     */
    String createTenantUser(String tenantId, TenantRequests.FirstUser user);

    /** A refusal or failure of the directory. */
    class DirectoryException extends RuntimeException {
        public DirectoryException(String message, Throwable cause) {
            super(message, cause);
        }

        /** The username is taken in the realm. */
        public static class UserExists extends DirectoryException {
            public UserExists(String username) {
                super("a user named '" + username + "' already exists", null);
            }
        }
    }
}
