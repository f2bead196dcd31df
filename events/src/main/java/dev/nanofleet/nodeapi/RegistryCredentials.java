package dev.nanofleet.nodeapi;

/**
 * What a node presents to the registry of an assignment's image, for a private image. Sent only to the node the
 * instance is placed on; never logged (see {@link #toString()}).
 */
public record RegistryCredentials(String username, String password) {

    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + ", password=***]";
    }
}
