package dev.mediaflow.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Finds loopback ports for the local stack. */
public final class FreePort {

    /** Every component of the local stack binds here only, so nothing is exposed to the network. */
    public static final String LOOPBACK_HOST = "127.0.0.1";

    private FreePort() {
    }

    /**
     * Returns a port on 127.0.0.1 that was free a moment ago.
     *
     * <p>The kernel picks it (bind to port 0), so parallel test JVMs do not collide the way a
     * fixed range would. There is an unavoidable window between closing our probe socket and the
     * component binding the port; components fail loudly if they lose that race.
     *
     * @return a free TCP port on the loopback interface
     */
    public static int find() {
        try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK_HOST, e);
        }
    }

    /**
     * Tells whether something accepts TCP connections on 127.0.0.1:{@code port}.
     *
     * @param port the port to probe
     * @return true if a connection succeeded within 200 ms
     */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(loopback(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Tells whether {@code port} can be bound on 127.0.0.1 right now, e.g. before reusing a port
     * recorded by an earlier run.
     *
     * @param port the port to try
     * @return true if a server socket could bind it
     */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // same option the servers set, so a port in TIME_WAIT after our own restart counts as free
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(loopback(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetAddress loopback() throws IOException {
        return InetAddress.getByName(LOOPBACK_HOST);
    }
}
