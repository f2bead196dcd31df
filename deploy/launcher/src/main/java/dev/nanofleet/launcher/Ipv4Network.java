package dev.nanofleet.launcher;

/**
 * An IPv4 network in CIDR form, enough for the launcher to pick a free subnet for its nodes' bridge. Immutable.
 *
 * @param base the network address as an unsigned 32-bit value (host bits zero)
 * @param prefix 0..32
 */
record Ipv4Network(long base, int prefix) {

    Ipv4Network {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix must be 0..32: " + prefix);
        }
        base = base & mask(prefix);
    }

    /**
     * {@code 10.230.0.0/24}, or an address without a prefix ({@code /32}).
     *
     * @throws IllegalArgumentException if it is neither
     */
    static Ipv4Network parse(String cidr) {
        String[] parts = cidr.strip().split("/", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("not an IPv4 network: " + cidr);
        }
        String[] octets = parts[0].split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 network: " + cidr);
        }
        long value = 0;
        try {
            for (String octet : octets) {
                int o = Integer.parseInt(octet);
                if (o < 0 || o > 255) {
                    throw new IllegalArgumentException("not an IPv4 network: " + cidr);
                }
                value = value << 8 | o;
            }
            return new Ipv4Network(value, parts.length == 2 ? Integer.parseInt(parts[1]) : 32);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IPv4 network: " + cidr, e);
        }
    }

    boolean overlaps(Ipv4Network other) {
        int shorter = Math.min(prefix, other.prefix);
        return (base & mask(shorter)) == (other.base & mask(shorter));
    }

    /** The {@code index}-th address of the network, e.g. {@code host(1)} of {@code 10.230.0.0/24} is 10.230.0.1. */
    String host(int index) {
        if (index < 0 || index >= size()) {
            throw new IllegalArgumentException(index + " is outside " + this);
        }
        return dotted(base + index);
    }

    long size() {
        return 1L << (32 - prefix);
    }

    /** The {@code index}-th network of length {@code length} inside this one. */
    Ipv4Network subnet(int length, int index) {
        if (length < prefix || index < 0 || index >= 1L << (length - prefix)) {
            throw new IllegalArgumentException("no /" + length + " number " + index + " in " + this);
        }
        return new Ipv4Network(base + ((long) index << (32 - length)), length);
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    private static String dotted(long value) {
        return (value >> 24 & 255) + "." + (value >> 16 & 255) + "." + (value >> 8 & 255) + "." + (value & 255);
    }

    @Override
    public String toString() {
        return dotted(base) + "/" + prefix;
    }
}
