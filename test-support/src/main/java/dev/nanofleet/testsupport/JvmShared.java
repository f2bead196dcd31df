package dev.nanofleet.testsupport;

import java.util.function.Supplier;

/**
 * Once-per-JVM values that survive class loaders: Quarkus tests may load test-support in several
 * class loaders (one per application start), whose static fields differ. The value is kept in a
 * system property; the lock is an interned string, the same object in every class loader.
 */
final class JvmShared {

    private JvmShared() {
    }

    static String get(String key, Supplier<String> create) {
        synchronized (key.intern()) {
            String v = System.getProperty(key);
            if (v == null) {
                v = create.get();
                System.setProperty(key, v);
            }
            return v;
        }
    }
}
