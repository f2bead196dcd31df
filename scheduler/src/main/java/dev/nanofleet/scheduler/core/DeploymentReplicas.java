package dev.nanofleet.scheduler.core;

import java.util.Arrays;
import java.util.UUID;

/**
 * How many replicas of each deployment run on which node, in flat arrays: an open-addressing table from deployment id
 * to its total and the head of a chain of (node, count) entries. A deployment on j nodes costs one table slot and j
 * entries of 12 bytes, and counting a placement changes two ints; a map per node copied on every placement cost
 * hundreds of bytes per node and grew the heap with the fleet. The chains are short (a deployment's distinct nodes)
 * and a request walks its own deployment's chain once (Kubernetes' PreScore), so nothing here grows with the fleet.
 */
final class DeploymentReplicas {

    /** End of a chain. */
    static final int END = -1;

    private UUID[] keys;
    private int[] heads;
    private int[] totals;
    private int size;

    private int[] entryNode;
    private int[] entryCount;
    private int[] entryNext;
    private int entries;

    DeploymentReplicas() {
        keys = new UUID[16];
        heads = new int[16];
        totals = new int[16];
        entryNode = new int[16];
        entryCount = new int[16];
        entryNext = new int[16];
    }

    /** Counts {@code replicas} more replicas of {@code deployment} on node {@code node}. */
    void add(UUID deployment, int node, int replicas) {
        if (replicas <= 0) {
            return;
        }
        int slot = slotOrInsert(deployment);
        totals[slot] += replicas;
        for (int e = heads[slot]; e != END; e = entryNext[e]) {
            if (entryNode[e] == node) {
                entryCount[e] += replicas;
                return;
            }
        }
        if (entries == entryNode.length) {
            int grown = entries + (entries >> 1) + 1;
            entryNode = Arrays.copyOf(entryNode, grown);
            entryCount = Arrays.copyOf(entryCount, grown);
            entryNext = Arrays.copyOf(entryNext, grown);
        }
        entryNode[entries] = node;
        entryCount[entries] = replicas;
        entryNext[entries] = heads[slot];
        heads[slot] = entries++;
    }

    /** The deployment's slot, or {@link #END} when none of its replicas runs anywhere. Valid until the next add. */
    int slotOf(UUID deployment) {
        int mask = keys.length - 1;
        for (int i = spread(deployment.hashCode()) & mask;; i = (i + 1) & mask) {
            UUID key = keys[i];
            if (key == null) {
                return END;
            }
            if (key == deployment || key.equals(deployment)) {
                return i;
            }
        }
    }

    /** Replicas of the deployment in {@code slot} on {@code node}. */
    int countOn(int slot, int node) {
        for (int e = heads[slot]; e != END; e = entryNext[e]) {
            if (entryNode[e] == node) {
                return entryCount[e];
            }
        }
        return 0;
    }

    int total(int slot) {
        return totals[slot];
    }

    /** Slots run from 0 to {@code slots() - 1}; a free one has no {@link #deployment}. */
    int slots() {
        return keys.length;
    }

    UUID deployment(int slot) {
        return keys[slot];
    }

    int firstEntry(int slot) {
        return heads[slot];
    }

    int nextEntry(int entry) {
        return entryNext[entry];
    }

    int node(int entry) {
        return entryNode[entry];
    }

    int count(int entry) {
        return entryCount[entry];
    }

    private int slotOrInsert(UUID deployment) {
        int slot = slotOf(deployment);
        if (slot != END) {
            return slot;
        }
        // at most two thirds full, so a probe ends after a few slots
        if (3 * (size + 1) > 2 * keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = spread(deployment.hashCode()) & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = deployment;
        heads[i] = END;
        size++;
        return i;
    }

    private void grow() {
        UUID[] oldKeys = keys;
        int[] oldHeads = heads;
        int[] oldTotals = totals;
        keys = new UUID[oldKeys.length * 2];
        heads = new int[keys.length];
        totals = new int[keys.length];
        int mask = keys.length - 1;
        for (int old = 0; old < oldKeys.length; old++) {
            if (oldKeys[old] != null) {
                int i = spread(oldKeys[old].hashCode()) & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[old];
                heads[i] = oldHeads[old];
                totals[i] = oldTotals[old];
            }
        }
    }

    /** MurmurHash3's finalizer: UUID.hashCode folds the bits; this spreads them over the table. */
    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
