package io.mlops.micrometer;

/** What the binders share. */
final class Meters {

    private Meters() {
    }

    /** Closes a listener handle, whose close does not throw. */
    static void closeQuietly(AutoCloseable handle) {
        try {
            handle.close();
        } catch (Exception e) {
            throw new IllegalStateException("a listener handle does not throw", e);
        }
    }
}
