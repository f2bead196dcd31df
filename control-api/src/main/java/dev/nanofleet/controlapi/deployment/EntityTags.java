package dev.nanofleet.controlapi.deployment;

/**
 * {@code If-Match} against a row's version, with RFC 9110's strong comparison: absent or {@code *} matches, otherwise
 * one of the listed entity tags must be exactly {@code "<version>"} (a weak tag never matches).
 */
final class EntityTags {

    private EntityTags() {
    }

    static boolean matches(String ifMatch, long version) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return true;
        }
        String wanted = "\"" + version + "\"";
        for (String tag : ifMatch.split(",")) {
            if (tag.trim().equals(wanted)) {
                return true;
            }
        }
        return false;
    }
}
