package dev.mediaflow.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds and removes the temporary files S3Proxy's filesystem backend leaves behind when its JVM
 * dies in the middle of a PUT.
 *
 * <p>S3Proxy 4.1 ({@code filesystem}, an alias of {@code filesystem-nio2}) streams a PUT into
 * {@code <key>-<random UUID>} next to the object, writes the object's extended attributes, then
 * renames the file onto {@code <key>}. A failed request deletes the temporary file, but a
 * {@code kill -9} cannot: the file stays, and since the backend lists every file under the bucket
 * directory, it shows up as an object named e.g. {@code media/p/r/2.png-<uuid>} and survives
 * restarts. No backend option of 4.1 puts those files elsewhere, so they are swept before the
 * endpoint starts, while nothing can be writing.
 */
final class PartialWrites {

    /** {@code UUID.randomUUID()} is version 4, IETF variant: the suffix S3Proxy appends. */
    private static final Pattern TEMP_NAME = Pattern.compile(
            ".+-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    /**
     * Written by S3Proxy on every completed object, just before the rename (the name as Java's
     * attribute view lists it, which is also how S3Proxy reads it back).
     */
    private static final String COMPLETED_MARK = "user.content-md5";

    private PartialWrites() {
    }

    /**
     * Deletes every unfinished PUT under {@code blobs} (the backend's base directory), and the
     * directories that only existed for it.
     *
     * @param blobs S3Proxy's {@code jclouds.filesystem.basedir}; nothing may be writing to it
     * @return the files removed
     */
    static List<Path> sweep(Path blobs) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(blobs)) {
            return removed;
        }
        try (Stream<Path> files = Files.walk(blobs)) {
            for (Path file : files.filter(PartialWrites::isUnfinishedPut).toList()) {
                Files.deleteIfExists(file);
                removed.add(file);
                removeEmptyParents(file.getParent(), blobs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sweep unfinished uploads in " + blobs, e);
        }
        return removed;
    }

    /**
     * A temporary name alone could be a user's key that happens to end in a UUID; a completed
     * object also carries S3Proxy's checksum attribute, a cut write never does. Without extended
     * attributes on the file system (S3Proxy then stores none) the name has to do.
     */
    static boolean isUnfinishedPut(Path file) {
        if (!Files.isRegularFile(file) || !TEMP_NAME.matcher(file.getFileName().toString()).matches()) {
            return false;
        }
        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (xattrs == null) {
            return true;
        }
        try {
            return !xattrs.list().contains(COMPLETED_MARK);
        } catch (IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    /** S3Proxy creates a key's parent directories for the PUT; a cut PUT must not leave them as prefixes. */
    private static void removeEmptyParents(Path dir, Path blobs) throws IOException {
        // stop below the bucket directory: the bucket itself must stay even when empty
        for (Path current = dir; current != null && current.getParent() != null
                && !current.getParent().equals(blobs) && current.startsWith(blobs); current = current.getParent()) {
            try {
                Files.deleteIfExists(current);
            } catch (DirectoryNotEmptyException stillUsed) {
                return;
            }
        }
    }
}
