package dev.mediaflow.embedded;

import java.nio.file.Path;

/**
 * {@code StackMain <dataDir> <servicesAsProcesses>}: the embedded stack in a JVM of its own, for
 * {@link StackLifecycleIT} to kill -9 or SIGTERM. Prints {@code READY <gateway url>} once it serves.
 */
public final class StackMain {
  private StackMain() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedStack stack = EmbeddedStack.start(Path.of(args[0]), null, line -> System.out.println("[stack] " + line),
        Boolean.parseBoolean(args[1]));
    stack.onFailure(reason -> System.exit(3));
    System.out.println("READY " + stack.gatewayUrl());
    Thread.currentThread().join(); // runs until a signal; the stack's shutdown hook stops it
  }
}
