package dev.mediaflow.bench.edge;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A client that sends a log call's request line and headers, with a Content-Length, and then
 * nothing: the slow or hung client a server must time out. It watches its socket until the
 * server answers or closes it, or until the end of the run, and says which and when.
 */
final class StalledConnection implements Runnable {
  /** What became of the connection. */
  enum Fate { ANSWERED_THEN_CLOSED, ANSWERED_LEFT_OPEN, CLOSED_BY_SERVER, RESET_BY_SERVER, OPEN_AT_END, CONNECT_FAILED }

  private final URI uri;
  private final String head;
  private final long endNanos;
  private volatile Fate fate = Fate.OPEN_AT_END;
  private volatile String status = "";
  private volatile double secondsToEnd = -1;

  StalledConnection(URI uri, String head, long endNanos) {
    this.uri = uri;
    this.head = head;
    this.endNanos = endNanos;
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      socket.setSoTimeout(500);
      watch(socket.getInputStream(), start);
    } catch (IOException e) {
      fate = Fate.CONNECT_FAILED;
      status = e.toString();
    }
  }

  /** Reads whatever the server sends until it closes, resets, or the run ends. */
  private void watch(InputStream in, long start) {
    StringBuilder answer = new StringBuilder();
    byte[] buffer = new byte[4096];
    while (System.nanoTime() < endNanos) {
      try {
        int n = in.read(buffer);
        if (n < 0) {
          fate = answer.length() > 0 ? Fate.ANSWERED_THEN_CLOSED : Fate.CLOSED_BY_SERVER;
          secondsToEnd = (System.nanoTime() - start) / 1e9;
          return;
        }
        if (answer.length() == 0) {
          secondsToEnd = (System.nanoTime() - start) / 1e9;
        }
        answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        int eol = answer.indexOf("\r\n");
        status = eol > 0 ? answer.substring(0, eol) : answer.toString();
        fate = Fate.ANSWERED_LEFT_OPEN;
      } catch (SocketTimeoutException e) {
        // nothing yet: keep watching until the run ends
      } catch (IOException e) {
        fate = Fate.RESET_BY_SERVER;
        secondsToEnd = (System.nanoTime() - start) / 1e9;
        return;
      }
    }
  }

  Fate fate() {
    return fate;
  }

  /** The status line the server sent, if any. */
  String status() {
    return status;
  }

  /** Seconds from connect to the server's answer or close; -1 if it did neither. */
  double secondsToEnd() {
    return secondsToEnd;
  }
}
