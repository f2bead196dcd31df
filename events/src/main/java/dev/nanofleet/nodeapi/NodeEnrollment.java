package dev.nanofleet.nodeapi;

/**
 * What a new node sends to {@link NodeApi#ENROLLMENTS}: a join token an operator made ({@code nfj_...}) and the name it
 * proposes ({@link NodeApi#NODE_NAME_PATTERN}). The join token travels in the body, not as a bearer: it is no
 * credential of the node API, and a bearer would be read (and refused) by every authentication mechanism first.
 */
public record NodeEnrollment(String joinToken, String name) {

    @Override
    public String toString() {
        return "NodeEnrollment[name=" + name + ", joinToken=***]";
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
