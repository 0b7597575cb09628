package dev.mediaflow.infra;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of every server JVM we launch: runs the real main class and ends the JVM when the
 * process that launched it is gone, however it went (including {@code kill -9}, which runs no
 * shutdown hook in the parent).
 *
 * <p>Usage: {@code java -cp <class path with this class> dev.mediaflow.infra.ParentWatch
 * <main class> [args...]}. The parent keeps the write end of this JVM's stdin open and never
 * writes to it; the operating system closes it when the parent dies, so a read here returns
 * end-of-file. That needs no native code and no polling delay. A poll of the parent's pid every
 * second backs it up, in case stdin was redirected.
 *
 * <p>On either signal this JVM exits through {@link System#exit}, so the server's own shutdown
 * hooks run (Kafka and Quarkus close their logs and databases); if they have not finished within
 * {@value #HALT_AFTER_PROPERTY} milliseconds (default 10 s) the JVM halts. Only JDK classes are used
 * here: a child such as Apicurio gets this class alone added to its own class path.
 */
public final class ParentWatch {

    /** System property: how long shutdown hooks may run after the parent is gone, in milliseconds. */
    public static final String HALT_AFTER_PROPERTY = "mediaflow.parentWatch.haltAfterMillis";

    private static final long POLL_MILLIS = 1000;

    private ParentWatch() {
    }

    /**
     * Starts the watch, then runs {@code args[0]}'s {@code main} with the remaining arguments.
     *
     * @param args the main class, then its arguments
     * @throws Throwable whatever the real main throws
     */
    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ParentWatch <main class> [args...]");
        }
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        startDaemon("parent-watch-stdin", () -> {
            drain(System.in);
            parentGone("its end of our stdin closed");
        });
        parent.ifPresent(handle -> startDaemon("parent-watch-pid", () -> {
            awaitDeath(handle);
            parentGone("pid " + handle.pid() + " no longer runs");
        }));
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Reads until end-of-file: nothing is ever written, so that is the parent closing the pipe. */
    private static void drain(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the parent writes nothing; ignore anything that arrives
            }
        } catch (IOException e) {
            // a broken pipe means the same thing as end-of-file
        }
    }

    private static void awaitDeath(ProcessHandle parent) {
        while (parent.isAlive()) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static synchronized void parentGone(String evidence) {
        long haltAfter = Long.getLong(HALT_AFTER_PROPERTY, 10_000);
        System.err.printf("%s [parent-watch] parent process is gone (%s); shutting down, halting after %d ms%n",
                Instant.now(), evidence, haltAfter);
        startDaemon("parent-watch-halt", () -> {
            try {
                Thread.sleep(haltAfter);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.err.printf("%s [parent-watch] shutdown hooks still running after %d ms; halting%n", Instant.now(),
                    haltAfter);
            Runtime.getRuntime().halt(137);
        });
        // System.exit blocks this thread for good once shutdown has begun; a second call is harmless
        System.exit(143);
    }

    private static void startDaemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
