package dev.mediaflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uses sleep and sh as children: the lifecycle is the same as for a server JVM, only faster. */
class ChildProcessTest {

    @TempDir
    Path dir;

    @Test
    void shouldStopGracefullyAndRemoveThePidFile() throws IOException {
        // Given a running child with a pid file
        Path pidFile = dir.resolve("child.pid");
        ChildProcess child = ChildProcess.launch("sleeper", List.of("sleep", "60"), Map.of(), dir.resolve("child.log"), pidFile);
        assertThat(pidFile).content().startsWith(child.pid() + " ");

        // When it is stopped
        ChildProcess.Exit exit = child.stop(Duration.ofSeconds(10));

        // Then SIGTERM was enough, it is gone and so is its pid file
        assertThat(exit.clean()).isTrue();
        assertThat(exit.describe()).startsWith("stopped cleanly in ").endsWith("(exit code 143 after SIGTERM)");
        assertThat(child.isAlive()).isFalse();
        assertThat(pidFile).doesNotExist();
        assertThat(dir.resolve("child.log")).content().contains("launching sleeper: sleep 60");
    }

    @Test
    void shouldNotCallItACleanStopWhenTheChildHadToBeKilled() throws IOException {
        // Given a child that ignores SIGTERM
        List<String> ignoresSigterm = List.of("sh", "-c", "trap '' TERM; while true; do sleep 0.2; done");
        ChildProcess stubborn = ChildProcess.launch("stubborn", ignoresSigterm, Map.of(), dir.resolve("child.log"), null);

        // When it is stopped with a short grace period
        ChildProcess.Exit exit = stubborn.stop(Duration.ofMillis(500));

        // Then it is gone, and the outcome says it was killed, not that it stopped cleanly
        assertThat(stubborn.isAlive()).isFalse();
        assertThat(exit.clean()).isFalse();
        assertThat(exit.byItself()).isFalse();
        assertThat(exit.describe()).contains("was killed (SIGKILL, exit code 137)").doesNotContain("clean");
    }

    @Test
    void shouldReportAChildThatHadAlreadyExitedAsNotRunning() throws Exception {
        // Given a child that crashed on its own
        ChildProcess crashed = ChildProcess.launch("crasher", List.of("sh", "-c", "exit 7"), Map.of(),
                dir.resolve("child.log"), null);
        assertThat(crashed.waitForExit(Duration.ofSeconds(10))).isTrue();

        // When it is stopped
        ChildProcess.Exit exit = crashed.stop(Duration.ofSeconds(5));

        // Then the outcome names its own exit code and does not claim a clean stop
        assertThat(exit.clean()).isFalse();
        assertThat(exit.describe()).isEqualTo("was not running any more (it had exited with code 7)");
    }

    @Test
    void shouldStartAWatchedJavaChildThroughParentWatch() {
        // Given the options, class path file and main class of a server JVM
        Path args = dir.resolve("cp.args");

        // When its command is built
        List<String> command = ChildProcess.parentWatched(List.of("-Xmx1g"), args, "kafka.Kafka", List.of("server.properties"));

        // Then ParentWatch runs first and hands over to the real main with its arguments
        assertThat(command).containsSubsequence(ChildProcess.javaExecutable(), "-Xmx1g", "@" + args,
                ParentWatch.class.getName(), "kafka.Kafka", "server.properties");
        assertThat(command).endsWith(ParentWatch.class.getName(), "kafka.Kafka", "server.properties");
    }

    @Test
    void shouldKillAStaleProcessRecordedInThePidFile() throws IOException {
        // Given a child left running, as after its parent JVM was killed with kill -9
        Path pidFile = dir.resolve("child.pid");
        ChildProcess orphan = ChildProcess.launch("orphan", List.of("sleep", "60"), Map.of(), dir.resolve("child.log"), pidFile);

        try {
            // When the next launch cleans up the data directory
            boolean killed = ChildProcess.killStale(pidFile);

            // Then the leftover process is killed and its pid file removed
            assertThat(killed).isTrue();
            assertThat(orphan.isAlive()).isFalse();
            assertThat(pidFile).doesNotExist();
        } finally {
            orphan.kill();
        }
    }

    @Test
    void shouldLeaveAloneAProcessThatReusedARecordedPid() throws IOException {
        // Given a pid file naming a live process (this JVM) that started at another time than recorded
        Path pidFile = dir.resolve("child.pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + " 12345\n");

        // When stale processes are cleaned up
        boolean killed = ChildProcess.killStale(pidFile);

        // Then nothing is killed (we are still here) and the outdated pid file is gone
        assertThat(killed).isFalse();
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void shouldReportTheLogTailWhenAToolFails() {
        // Given a tool that prints an error and exits non-zero
        List<String> command = List.of("sh", "-c", "echo first line; echo the real reason; exit 3");

        // When it is run to completion
        // Then the failure names the exit code and quotes the tool's last output
        assertThatThrownBy(() -> ChildProcess.runToCompletion("tool", command, dir.resolve("tool.log"), Duration.ofSeconds(10)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited with 3")
                .hasMessageContaining("the real reason");
    }

    @Test
    void shouldUseTheJavaLauncherOfThisJvm() throws IOException {
        // Given this JVM
        // When asking for the launcher children should use
        String launcher = ChildProcess.javaExecutable();

        // Then it is an executable under this JVM's home
        assertThat(Path.of(launcher)).isExecutable();
        assertThat(Path.of(launcher).toRealPath()).startsWith(Path.of(System.getProperty("java.home")).toRealPath());
    }
}
