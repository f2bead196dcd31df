package dev.nanofleet.controlapi.network;

import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The IPv4 range tenants' private subnets come from, and the pure allocation in it: each (tenant, node) pair that
 * hosts the tenant's instances takes the lowest free /24, each tenant the lowest free VXLAN network identifier. Fleet
 * unique by construction: the caller allocates under one lock and the table's unique constraints back it.
 *
 * <p>
 * Immutable and thread-safe.
 *
 * @param base the range's first address, as an unsigned 32-bit integer in an int
 * @param prefix its prefix length, 8 to 24
 */
public record PrivateRange(int base, int prefix) {

    /** Every (tenant, node) pair gets one subnet of this length; its {@code .1} is the tenant's bridge on the node. */
    public static final int SUBNET_LENGTH = 24;
    /** The smallest range that makes sense; a /8 holds 65536 subnets. */
    public static final int MIN_PREFIX = 8;

    public PrivateRange {
        if (prefix < MIN_PREFIX || prefix > SUBNET_LENGTH) {
            throw new IllegalArgumentException("must be a network from /" + MIN_PREFIX + " to /" + SUBNET_LENGTH
                    + ", not /" + prefix);
        }
        if ((base & mask(prefix)) != base) {
            throw new IllegalArgumentException("has host bits set: use " + format(base & mask(prefix)) + "/"
                    + prefix);
        }
    }

    /**
     * A range in CIDR form, e.g. {@code 10.192.0.0/12}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static PrivateRange parse(String cidr) {
        if (cidr == null) {
            throw new IllegalArgumentException("is required (an IPv4 network like 10.192.0.0/12)");
        }
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("must be an IPv4 network like 10.192.0.0/12, not '" + cidr + "'");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an IPv4 network like 10.192.0.0/12, not '" + cidr + "'");
        }
        return new PrivateRange(address(cidr.substring(0, slash)), prefix);
    }

    /** How many /24 subnets (tenant-node pairs) the range holds. */
    public int subnets() {
        return 1 << (SUBNET_LENGTH - prefix);
    }

    /** Whether {@code subnet} (CIDR) is a /24 of this range. */
    public boolean holds(String subnet) {
        PrivateRange s;
        try {
            s = parse(subnet);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return s.prefix == SUBNET_LENGTH && (s.base & mask(prefix)) == base;
    }

    /** The lowest /24 of the range that is not {@code taken} (CIDRs); empty when the range is full. */
    public Optional<String> firstFreeSubnet(Collection<String> taken) {
        Set<String> used = new HashSet<>(taken);
        for (int i = 0; i < subnets(); i++) {
            String candidate = format(base + (i << (32 - SUBNET_LENGTH))) + "/" + SUBNET_LENGTH;
            if (!used.contains(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The lowest VXLAN network identifier from 1 that is not {@code taken}; empty when all 2^24-1 are. */
    public static OptionalInt firstFreeVni(Collection<Integer> taken) {
        Set<Integer> used = new HashSet<>(taken);
        for (int vni = 1; vni <= dev.nanofleet.nodeapi.PrivateNetwork.MAX_VNI; vni++) {
            if (!used.contains(vni)) {
                return OptionalInt.of(vni);
            }
        }
        return OptionalInt.empty();
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    static int address(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
        }
        int value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
            }
            value = value << 8 | octet;
        }
        return value;
    }

    static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address
                & 0xff);
    }
}
