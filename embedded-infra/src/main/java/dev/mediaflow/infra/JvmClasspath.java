package dev.mediaflow.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Computes a class path for a child JVM from the running one, so the child can run classes this
 * JVM already has (the Kafka server) without a separate distribution.
 */
public final class JvmClasspath {

    private JvmClasspath() {
    }

    /**
     * Returns this JVM's class path as explicit entries, verified to contain {@code mainClass}.
     *
     * <p>Two launch styles hide the real entries: surefire/failsafe fork tests with a
     * manifest-only "booter" jar whose {@code Class-Path} lists the jars (expanded here), and
     * launchers such as {@code mvn exec:java} that load the application in a
     * {@link URLClassLoader} while {@code java.class.path} only names the launcher (those URLs are
     * added here).
     *
     * @param mainClass a class the child will run, e.g. "kafka.Kafka"
     * @return entries joined with the platform path separator
     * @throws IllegalStateException if no entry holds {@code mainClass}
     */
    public static String forChildRunning(String mainClass) {
        Set<Path> entries = new LinkedHashSet<>(expand(System.getProperty("java.class.path", "")));
        Path holder = codeSourceOf(mainClass);
        if (!entries.contains(holder)) {
            // the loader that loaded this module sees kafka_2.13 too, whatever launched us
            for (ClassLoader loader = JvmClasspath.class.getClassLoader(); loader != null;
                    loader = loader.getParent()) {
                if (loader instanceof URLClassLoader urls) {
                    for (URL url : urls.getURLs()) {
                        toPath(url).ifPresent(path -> addExpanded(path, entries));
                    }
                }
            }
        }
        if (!entries.contains(holder)) {
            throw new IllegalStateException("cannot build a class path for a child JVM running " + mainClass
                    + ": it is loaded from " + holder + ", which is neither on java.class.path nor in a URLClassLoader");
        }
        List<String> joined = new ArrayList<>();
        entries.forEach(path -> joined.add(path.toString()));
        return String.join(File.pathSeparator, joined);
    }

    /**
     * As {@link #forChildRunning(String)}, for a child started through {@link ParentWatch}: the
     * class path is checked to hold that class too, and gets its location added if it does not.
     *
     * @param mainClass the class {@link ParentWatch} will run
     * @return entries joined with the platform path separator
     */
    public static String forParentWatchedChildRunning(String mainClass) {
        String classPath = forChildRunning(mainClass);
        String watch = parentWatchLocation().toString();
        boolean present = List.of(classPath.split(File.pathSeparator)).contains(watch);
        return present ? classPath : classPath + File.pathSeparator + watch;
    }

    /**
     * Where {@link ParentWatch} is loaded from (this module's jar or classes directory), to put on
     * the class path of a child that brings its own, such as Apicurio's runner jar.
     *
     * @return the class path entry holding {@link ParentWatch}
     */
    public static Path parentWatchLocation() {
        return codeSourceOf(ParentWatch.class.getName());
    }

    /**
     * Splits a class path and replaces manifest-only jars by the entries they list.
     *
     * @param classPath entries separated by the platform path separator
     * @return absolute entries in class path order
     */
    static List<Path> expand(String classPath) {
        Set<Path> entries = new LinkedHashSet<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                addExpanded(Path.of(entry).toAbsolutePath(), entries);
            }
        }
        return List.copyOf(entries);
    }

    private static void addExpanded(Path entry, Set<Path> entries) {
        List<Path> manifestClassPath = manifestOnlyClassPath(entry);
        if (manifestClassPath.isEmpty()) {
            entries.add(entry);
        } else {
            manifestClassPath.forEach(nested -> addExpanded(nested, entries));
        }
    }

    /** The Class-Path of a surefire/failsafe booter jar, or an empty list for any other entry. */
    private static List<Path> manifestOnlyClassPath(Path entry) {
        if (!entry.getFileName().toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return List.of();
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return List.of();
            }
            String mainClass = manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            String classPath = manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            // only a manifest-only jar (the surefire/failsafe booter, an IDE's shortened class
            // path) is replaced by its list: an ordinary jar's Class-Path is followed by the child
            // JVM itself, and the jar's own classes must stay on the path
            boolean booter = mainClass != null && mainClass.startsWith("org.apache.maven.surefire.");
            boolean manifestOnly = jar.stream().allMatch(e -> e.getName().startsWith("META-INF/"));
            if (classPath == null || !(booter || manifestOnly)) {
                return List.of();
            }
            List<Path> paths = new ArrayList<>();
            for (String item : classPath.trim().split("\\s+")) {
                // entries are URLs relative to the booter jar (surefire writes absolute file: URLs)
                Path resolved = Path.of(entry.toUri().resolve(item));
                paths.add(resolved.toAbsolutePath());
            }
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest of " + entry, e);
        }
    }

    private static Path codeSourceOf(String className) {
        try {
            Class<?> type = Class.forName(className, false, JvmClasspath.class.getClassLoader());
            URL location = type.getProtectionDomain().getCodeSource().getLocation();
            return toPath(location).orElseThrow(() -> new IllegalStateException(className + " comes from " + location));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is not on the class path; add its artifact as a dependency", e);
        }
    }

    private static Optional<Path> toPath(URL url) {
        if (!"file".equals(url.getProtocol())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(url.toURI()).toAbsolutePath());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
