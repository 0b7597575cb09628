package dev.mediaflow.infra;

import java.nio.file.Path;

/** {@code S3ServerMain <dataDir> <port>}: an S3 endpoint in a JVM of its own, for a test to kill -9. */
public final class S3ServerMain {

    private S3ServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        S3Server.start(Path.of(args[0]), Integer.parseInt(args[1]));
        Thread.currentThread().join(); // serves until killed
    }
}
