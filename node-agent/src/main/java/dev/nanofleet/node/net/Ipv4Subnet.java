package dev.nanofleet.node.net;

import java.util.Collection;
import java.util.Optional;

/**
 * An IPv4 network in CIDR form, e.g. {@code 10.88.3.0/24}. Pure value; the address math of the node's tenant networks.
 *
 * @param base the network address as an unsigned 32-bit value in an int (host bits zero)
 * @param prefix the prefix length, 0-32
 */
public record Ipv4Subnet(int base, int prefix) {

    public Ipv4Subnet {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length " + prefix + " is not 0-32");
        }
        base = base & mask(prefix);
    }

    /** Parses {@code a.b.c.d/n}; a bare address is a /32. */
    public static Ipv4Subnet parse(String cidr) {
        String s = cidr.strip();
        int slash = s.indexOf('/');
        int prefix = slash < 0 ? 32 : Integer.parseInt(s.substring(slash + 1));
        return new Ipv4Subnet(address(slash < 0 ? s : s.substring(0, slash)), prefix);
    }

    /** A dotted quad as an int. */
    public static int address(String dotted) {
        String[] parts = dotted.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int value = 0;
        for (String part : parts) {
            int octet = Integer.parseInt(part);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            value = value << 8 | octet;
        }
        return value;
    }

    public static String dotted(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public boolean overlaps(Ipv4Subnet other) {
        int shorter = Math.min(prefix, other.prefix);
        return (base & mask(shorter)) == (other.base & mask(shorter));
    }

    public boolean contains(int address) {
        return (address & mask(prefix)) == base;
    }

    /** The {@code index}-th address of the network ({@code 1} is the first host), dotted. */
    public String host(int index) {
        if (index < 0 || prefix < 32 && index >= 1L << (32 - prefix)) {
            throw new IllegalArgumentException("host " + index + " is outside " + this);
        }
        return dotted(base + index);
    }

    /** How many addresses the network spans. */
    public long size() {
        return 1L << (32 - prefix);
    }

    /**
     * The first network of length {@code length} inside {@code pool} that overlaps none of {@code inUse}.
     *
     * @throws IllegalArgumentException if {@code length} is shorter than the pool's prefix
     */
    public static Optional<Ipv4Subnet> firstFree(Ipv4Subnet pool, int length, Collection<Ipv4Subnet> inUse) {
        if (length < pool.prefix) {
            throw new IllegalArgumentException("a /" + length + " does not fit in the pool " + pool);
        }
        long count = 1L << (length - pool.prefix);
        long step = 1L << (32 - length);
        for (long i = 0; i < count; i++) {
            Ipv4Subnet candidate = new Ipv4Subnet((int) (Integer.toUnsignedLong(pool.base) + i * step), length);
            if (inUse.stream().noneMatch(candidate::overlaps)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return dotted(base) + "/" + prefix;
    }
}
