package dev.mediaflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real parent JVM killed with kill -9 must not leave its watched child JVM behind. */
class ParentWatchIT {

    private static final Pattern CHILD_LINE = Pattern.compile("CHILD (\\d+)");

    @TempDir
    Path dir;

    @Test
    void shouldEndAWatchedChildWhenItsParentJvmIsKilledWithSigkill() throws Exception {
        // Given a parent JVM that launched a child JVM under ParentWatch
        Path classpath = ChildProcess.writeClassPathArgFile(dir.resolve("parent.classpath.args"),
                JvmClasspath.forChildRunning(WatchedParentMain.class.getName()));
        ChildProcess parent = ChildProcess.launch("parent", List.of(ChildProcess.javaExecutable(), "-Xmx64m",
                "@" + classpath, WatchedParentMain.class.getName(), dir.toString()), Map.of(), dir.resolve("parent.log"),
                null);
        ProcessHandle child = awaitChild(parent);
        assertThat(child.isAlive()).isTrue();
        assertThat(child.parent().map(ProcessHandle::pid)).contains(parent.pid());

        // When the parent is killed with SIGKILL (no shutdown hook runs in it)
        long begin = System.nanoTime();
        parent.kill();

        // Then the child ends by itself within seconds, through its own shutdown hooks
        boolean gone = child.onExit().completeOnTimeout(child, 15, java.util.concurrent.TimeUnit.SECONDS)
                .thenApply(h -> !h.isAlive()).get();
        long millis = (System.nanoTime() - begin) / 1_000_000;
        if (!gone) {
            child.destroyForcibly();
        }
        assertThat(gone).as("child %d still alive 15 s after its parent was killed", child.pid()).isTrue();
        assertThat(Files.readString(dir.resolve("child.log")))
                .contains("[parent-watch] parent process is gone")
                .contains("sleeper shutdown hook ran");
        System.out.printf("[figures] parent JVM kill -9: watched child JVM gone after %d ms%n", millis);
    }

    private static ProcessHandle awaitChild(ChildProcess parent) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher line = CHILD_LINE.matcher(parent.logTail(20));
            if (line.find()) {
                Optional<ProcessHandle> child = ProcessHandle.of(Long.parseLong(line.group(1)));
                assertThat(child).as("child process").isPresent();
                return child.get();
            }
            assertThat(parent.isAlive()).as("parent alive; log:%n%s", parent.logTail(30)).isTrue();
            Thread.sleep(100);
        }
        parent.kill();
        throw new AssertionError("parent printed no child pid in 30 s; log:\n" + parent.logTail(30));
    }
}
