package dev.mediaflow.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3 HTTP endpoint (S3Proxy, filesystem backend) inside this JVM, bound to 127.0.0.1,
 * storing buckets as directories under {@code <dataDir>/blobs}.
 *
 * <p>Every start first removes uploads that a crash (kill -9 of this JVM) cut mid-write, so a
 * bucket listing shows only complete objects.
 *
 * <p>In process rather than a child JVM: it starts in well under a second and needs no
 * distribution, and {@link #stop()} / {@link #restart()} are enough to simulate an outage.
 *
 * <p>Clients use the AWS SDK v2 with {@link #endpoint()} as endpoint override, path-style access,
 * region {@value #REGION} and the fixed credentials {@value #ACCESS_KEY} / {@value #SECRET_KEY};
 * both AWS signature v2 and v4 are accepted.
 */
public final class S3Server implements AutoCloseable {

    /** Access key id every client of the local store uses. */
    public static final String ACCESS_KEY = "mediaflow";
    /** Secret key every client of the local store uses. Not a secret: the store is loopback-only. */
    public static final String SECRET_KEY = "mediaflow-secret";
    /** Region clients should sign for; S3Proxy accepts any, the SDK needs one. */
    public static final String REGION = "us-east-1";

    private static final Logger LOG = LoggerFactory.getLogger(S3Server.class);

    private final Path dataDir;
    private final int port;
    private S3Proxy proxy;

    private S3Server(Path dataDir, int port) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port != 0 ? port : FreePort.find();
    }

    /**
     * Starts an S3 endpoint on a free port.
     *
     * @param dataDir directory for the stored objects; created if missing, reused (with its
     *     buckets and objects) if it holds data from an earlier run
     * @return the running server
     */
    public static S3Server start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * Starts an S3 endpoint on a chosen port.
     *
     * @param dataDir directory for the stored objects
     * @param port port on 127.0.0.1; 0 picks a free one
     * @return the running server
     */
    public static S3Server start(Path dataDir, int port) {
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        S3Server server = new S3Server(dataDir, port);
        server.launch();
        return server;
    }

    /** @return {@code http://127.0.0.1:<port>}, the SDK's endpoint override */
    public URI endpoint() {
        return URI.create("http://" + FreePort.LOOPBACK_HOST + ":" + port);
    }

    /** @return {@value #ACCESS_KEY} */
    public String accessKey() {
        return ACCESS_KEY;
    }

    /** @return {@value #SECRET_KEY} */
    public String secretKey() {
        return SECRET_KEY;
    }

    /** @return {@value #REGION} */
    public String region() {
        return REGION;
    }

    /** @return the HTTP port */
    public int port() {
        return port;
    }

    /** @return the data directory; objects live under its {@code blobs} subdirectory */
    public Path dataDir() {
        return dataDir;
    }

    /** @return true while the endpoint serves requests */
    public synchronized boolean isRunning() {
        return proxy != null;
    }

    /**
     * Starts the endpoint again on the same port and data, stopping it first if it runs; for
     * outage tests.
     *
     * @return this server, running
     */
    public synchronized S3Server restart() {
        if (isRunning()) {
            stop();
        }
        launch();
        return this;
    }

    /** Stops serving requests; stored objects stay on disk. Does nothing if already stopped. */
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
            LOG.info("S3 endpoint {} stopped", endpoint());
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop S3Proxy on " + endpoint(), e);
        } finally {
            proxy = null;
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "S3Server[" + endpoint() + ", " + dataDir + "]";
    }

    /** A crash mid-PUT leaves a temporary file that would be listed as an object; see {@link PartialWrites}. */
    private static void sweepUnfinishedUploads(Path blobs) {
        List<Path> removed = PartialWrites.sweep(blobs);
        if (!removed.isEmpty()) {
            LOG.warn("Removed {} unfinished upload(s) left by a crash under {}: {}", removed.size(), blobs,
                    removed.stream().limit(5).map(p -> blobs.relativize(p).toString()).toList());
        }
    }

    private synchronized void launch() {
        long begin = System.nanoTime();
        Path blobs = dataDir.resolve("blobs");
        try {
            Files.createDirectories(blobs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + blobs, e);
        }
        sweepUnfinishedUploads(blobs);
        // the same provider and key s3proxy.conf would name; S3Proxy 4 implements "filesystem"
        // itself on java.nio (it no longer uses jclouds, only its property names)
        Properties backend = new Properties();
        backend.setProperty("jclouds.filesystem.basedir", blobs.toString());
        S3Proxy candidate = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", backend))
                .endpoint(endpoint())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            candidate.start(); // Jetty binds and starts synchronously
        } catch (Exception e) {
            try {
                candidate.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("cannot start S3Proxy on " + endpoint() + " (port taken?)", e);
        }
        proxy = candidate;
        LOG.info("S3 endpoint {} ready in {} ms (data {})", endpoint(), (System.nanoTime() - begin) / 1_000_000, blobs);
    }
}
