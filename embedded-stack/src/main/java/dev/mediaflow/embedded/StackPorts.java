package dev.mediaflow.embedded;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

/**
 * The ports of the embedded stack's servers on 127.0.0.1; 0 means "pick a free one", what the
 * tests and the demo use ({@link #ANY}).
 *
 * <p>{@code mediaflow up} keeps them stable across restarts: the stored data does not depend on
 * them (the broker re-registers its listener on every start, rows and object keys hold no
 * endpoint), but a user's consumers, {@code ops.properties} and bookmarks do. {@link #reuse}
 * takes the ports an earlier run recorded ({@link #toProperties()}) when they are still free.
 *
 * @param gateway the HTTP gateway
 * @param broker the Kafka broker's client listener
 * @param controller the KRaft controller listener
 * @param registry the schema registry
 * @param s3 the S3 endpoint
 */
public record StackPorts(int gateway, int broker, int controller, int registry, int s3) {
  /** Every port picked free at start. */
  public static final StackPorts ANY = new StackPorts(0, 0, 0, 0, 0);

  private static final List<String> RECORDED = List.of("broker", "controller", "registry", "s3");

  /**
   * The ports for a start with the given gateway port: each infrastructure port recorded in
   * {@code saved} if it is still free, else a new free one (never the gateway's, never twice).
   *
   * @param gateway the gateway port the user chose
   * @param saved what {@link #toProperties()} wrote on an earlier start; empty on the first
   * @param isFree tells whether a port can be bound now
   * @param freePort picks a free port
   * @param moved receives one line per recorded port that had to change
   * @return the ports to start with
   */
  public static StackPorts reuse(int gateway, Properties saved, IntPredicate isFree, IntSupplier freePort,
      List<String> moved) {
    Set<Integer> taken = new HashSet<>(Set.of(gateway));
    List<Integer> chosen = new ArrayList<>();
    for (String name : RECORDED) {
      int port = parse(saved.getProperty(name));
      if (port != 0 && (taken.contains(port) || !isFree.test(port))) {
        int replacement = pick(taken, freePort);
        moved.add(name + " port " + port + " is in use now; using " + replacement);
        port = replacement;
      } else if (port == 0) {
        port = pick(taken, freePort);
      }
      taken.add(port);
      chosen.add(port);
    }
    return new StackPorts(gateway, chosen.get(0), chosen.get(1), chosen.get(2), chosen.get(3));
  }

  /** @return the infrastructure ports, for {@link #reuse} at the next start */
  public Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("broker", Integer.toString(broker));
    p.setProperty("controller", Integer.toString(controller));
    p.setProperty("registry", Integer.toString(registry));
    p.setProperty("s3", Integer.toString(s3));
    return p;
  }

  private static int pick(Set<Integer> taken, IntSupplier freePort) {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port = freePort.getAsInt();
      if (!taken.contains(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port found on 127.0.0.1 besides " + taken);
  }

  /** A recorded port, or 0 (pick one) when missing or not a port: a damaged file costs stability only. */
  private static int parse(String value) {
    try {
      int port = value == null ? 0 : Integer.parseInt(value.trim());
      return port > 0 && port <= 65535 ? port : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
