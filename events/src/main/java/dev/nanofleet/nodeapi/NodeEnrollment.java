package dev.nanofleet.nodeapi;

/**
 * What a new node sends to {@link NodeApi#ENROLLMENTS}: a join token an operator made ({@code nfj_...}), the name it
 * proposes ({@link NodeApi#NODE_NAME_PATTERN}) and, from agents that make their own, the credential it will use
 * ({@code nfn_} and 43 base64url characters: 256 random bits). The join token travels in the body, not as a bearer: it
 * is no credential of the node API, and a bearer would be read (and refused) by every authentication mechanism first.
 *
 * <p>
 * A proposed credential makes enrollment safe to repeat: when the answer is lost (a timeout, a dropped connection)
 * after control-api took the token's use, the node sends the same three again and gets the same credential, without
 * a second use; nobody without that credential can. Without one (older agents) control-api makes the credential.
 */
public record NodeEnrollment(String joinToken, String name, String credential) {

    /** Without a credential of the node's own: control-api makes one. */
    public NodeEnrollment(String joinToken, String name) {
        this(joinToken, name, null);
    }

    @Override
    public String toString() {
        return "NodeEnrollment[name=" + name + ", joinToken=***, credential=" + (credential == null ? "none" : "***")
                + "]";
    }

    /**
     * The answer: the node's own credential ({@code nfn_...}), shown this once, for {@code Authorization: Bearer} on
     * every other node API call, and the node's name.
     */
    public record Enrolled(String name, String credential) {

        @Override
        public String toString() {
            return "Enrolled[name=" + name + ", credential=***]";
        }
    }
}
