package dev.nanofleet.controlapi.problem;

import java.util.Optional;

/**
 * Whether a raw HTTP request target is a valid origin-form URI (RFC 3986 path and query) whose path, once decoded,
 * holds no control character. Pure, so the rules are tested directly.
 */
public final class RequestTargets {

    private RequestTargets() {
    }

    /** Why the target is refused, or empty when it is acceptable. */
    public static Optional<String> problem(String target) {
        if (target == null || target.isEmpty() || target.charAt(0) != '/') {
            return Optional.of("the request target must be a path starting with '/'");
        }
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '%') {
                if (i + 2 >= target.length() || hex(target.charAt(i + 1)) < 0 || hex(target.charAt(i + 2)) < 0) {
                    return Optional.of("the request target has a '%' that does not start an escape like %2F");
                }
                int decoded = hex(target.charAt(i + 1)) * 16 + hex(target.charAt(i + 2));
                if (i < path.length() && (decoded < 0x20 || decoded == 0x7f)) {
                    return Optional.of("the request path holds an escaped control character");
                }
                i += 2;
            } else if (!allowed(c, i >= path.length())) {
                return Optional.of("the request target holds a character a URI does not allow unescaped (code "
                        + (int) c + ")");
            }
        }
        return Optional.empty();
    }

    /** RFC 3986 pchar, '/', and in the query also '?'. */
    private static boolean allowed(char c, boolean inQuery) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "-._~!$&'()*+,;=:@/".indexOf(c) >= 0 || inQuery && c == '?';
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
