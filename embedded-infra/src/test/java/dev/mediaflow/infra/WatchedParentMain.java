package dev.mediaflow.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code WatchedParentMain <dir>}: a parent JVM for {@link ParentWatchIT}. It launches one child
 * JVM under {@link ParentWatch} (running {@link SleeperMain}), prints {@code CHILD <pid>} and
 * waits to be killed.
 */
public final class WatchedParentMain {

    private WatchedParentMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path classpath = ChildProcess.writeClassPathArgFile(dir.resolve("child.classpath.args"),
                JvmClasspath.forParentWatchedChildRunning(SleeperMain.class.getName()));
        ChildProcess child = ChildProcess.launch("sleeper", ChildProcess.parentWatched(List.of("-Xmx64m"), classpath,
                SleeperMain.class.getName(), List.of()), Map.of(), dir.resolve("child.log"), null);
        System.out.println("CHILD " + child.pid());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Sleeps until its JVM ends; a shutdown hook leaves a trace, to show it ran. */
    public static final class SleeperMain {

        private SleeperMain() {
        }

        public static void main(String[] args) throws InterruptedException {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("sleeper shutdown hook ran")));
            Thread.currentThread().join();
        }
    }
}
