package dev.nanofleet.edge;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the edge's one digest: of certificates it is sent, the CA it issues from, the file it serves. */
final class Sha256 {

    private Sha256() {
    }

    static byte[] of(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Lower-case hex, as control-api names certificates. */
    static String hex(byte[] data) {
        return HexFormat.of().formatHex(of(data));
    }
}
