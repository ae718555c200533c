package io.mlops.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class of the test classpath, for tests of crash and cross-process
 * behaviour: start it, wait for a line it prints, kill it with {@link Process#destroyForcibly()}.
 *
 * @since 0.1.0
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread pump;

    private ChildJvm(Process process) {
        this.process = process;
        this.pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process died; what was read is kept
            }
        }, "child-jvm-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Makes one child's arguments from its index. */
    @FunctionalInterface
    public interface ArgsOf {
        /**
         * Returns the arguments of a child.
         *
         * @param index the child's index, from 0
         * @return its arguments
         */
        String[] args(int index);
    }

    /**
     * Runs several child JVMs of one main class at once and waits for all of them, failing when one
     * does not exit with 0 in time (its output in the message); every child is closed afterwards.
     *
     * @param count how many
     * @param main the main class
     * @param timeout how long each may take
     * @param args each child's arguments
     * @return the children, finished, for their output
     * @throws IOException when one cannot be started
     * @throws InterruptedException when interrupted while waiting
     */
    public static List<ChildJvm> runAll(int count, Class<?> main, Duration timeout, ArgsOf args)
            throws IOException, InterruptedException {
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int c = 0; c < count; c++) {
                children.add(start(main, args.args(c)));
            }
            for (ChildJvm child : children) {
                org.assertj.core.api.Assertions.assertThat(child.waitFor(timeout)).as("exit code; output %s", child.output()).isZero();
            }
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
        return children;
    }

    /**
     * Starts {@code main} in a new JVM with this JVM's classpath and a 256 MB heap.
     *
     * @param main a class with a {@code main(String[])} method
     * @param args its arguments
     * @return the running child
     * @throws IOException when the JVM cannot be started
     */
    public static ChildJvm start(Class<?> main, String... args) throws IOException {
        return start(List.of(), main, args);
    }

    /**
     * Starts {@code main} as {@link #start(Class, String...)} does, under a wrapper command such as
     * {@code strace -f -o FILE}.
     *
     * @param wrapper the wrapper command and its options, prepended to the {@code java} command
     * @param main a class with a {@code main(String[])} method
     * @param args its arguments
     * @return the running child
     * @throws IOException when the command cannot be started
     */
    public static ChildJvm start(List<String> wrapper, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /**
     * Waits for a line of output that starts with {@code prefix}.
     *
     * @return the line
     * @throws AssertionError when the child exits or the timeout passes first (with its output)
     */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("child did not print '" + prefix + "' within " + timeout + "; output: " + output);
            }
            String line = lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && lines.isEmpty()) {
                pump.join(1000);
                if (lines.isEmpty()) {
                    throw new AssertionError("child exited with " + process.exitValue() + " before printing '"
                            + prefix + "'; output: " + output);
                }
            }
        }
    }

    /** Kills the child at once (SIGKILL on Unix) and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Waits for the child to exit.
     *
     * @return its exit code
     * @throws AssertionError when it does not exit in time (it is then killed)
     */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("child did not exit within " + timeout + "; output: " + output);
        }
        pump.join(5000);
        return process.exitValue();
    }

    /**
     * @return everything the child printed so far
     */
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /**
     * @return the process
     */
    public Process process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
