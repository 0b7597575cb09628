package dev.mediaflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmClasspathTest {

    @TempDir
    Path dir;

    @Test
    void shouldReplaceASurefireBooterJarByTheJarsItLists() throws IOException {
        // Given a booter jar listing one absolute file URL and one relative entry, as surefire writes them
        Path elsewhere = dir.resolve("repo dir/kafka.jar");
        Path booter = jar("surefirebooter-1.jar", "org.apache.maven.surefire.booter.ForkedBooter",
                elsewhere.toUri() + " lib/clients.jar", false);

        // When the class path is expanded
        var entries = JvmClasspath.expand(booter + File.pathSeparator + dir.resolve("classes"));

        // Then the listed jars replace the booter, in order, followed by the other entries
        assertThat(entries).containsExactly(elsewhere, dir.resolve("lib/clients.jar"), dir.resolve("classes"));
    }

    @Test
    void shouldPutParentWatchOnTheClassPathOfAWatchedChild() {
        // Given this JVM, which runs the Kafka server classes and this module
        // When a class path is built for a child that ParentWatch starts
        String classPath = JvmClasspath.forParentWatchedChildRunning("kafka.Kafka");

        // Then it holds both the server and ParentWatch itself
        assertThat(classPath.split(File.pathSeparator)).contains(JvmClasspath.parentWatchLocation().toString());
        assertThat(JvmClasspath.parentWatchLocation()).exists();
    }

    @Test
    void shouldKeepAnOrdinaryJarThatHasAClassPathManifest() throws IOException {
        // Given an application jar with classes and a Class-Path attribute
        Path app = jar("app.jar", "dev.mediaflow.Main", "lib/dep.jar", true);

        // When the class path is expanded
        var entries = JvmClasspath.expand(app.toString());

        // Then the jar stays (its classes are needed; the child JVM follows its Class-Path itself)
        assertThat(entries).containsExactly(app);
    }

    @Test
    void shouldFindTheKafkaServerOnThisTestJvmsClassPath() {
        // Given this surefire-forked JVM
        // When computing a class path for a child running the Kafka server
        String classpath = JvmClasspath.forChildRunning("kafka.Kafka");

        // Then it lists the kafka_2.13 jar and its client library explicitly
        assertThat(classpath.split(File.pathSeparator))
                .anySatisfy(entry -> assertThat(entry).contains("kafka_2.13-"))
                .anySatisfy(entry -> assertThat(entry).contains("kafka-clients-"))
                .noneSatisfy(entry -> assertThat(entry).contains("surefirebooter"));
    }

    private Path jar(String name, String mainClass, String classPath, boolean withClass) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            if (withClass) {
                out.putNextEntry(new JarEntry("dev/mediaflow/Main.class"));
                out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
                out.closeEntry();
            }
        }
        return jar;
    }
}
