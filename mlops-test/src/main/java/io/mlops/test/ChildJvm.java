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
     * Returns everything the child printed so far.
     *
     * @return everything the child printed so far
     */
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /**
     * Returns the process.
     *
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
