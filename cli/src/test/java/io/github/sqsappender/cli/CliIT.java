package io.github.sqsappender.cli;

import io.github.sqsappender.core.ConfigAttribute;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.WithEmbeddedSqs;
import io.github.sqsappender.reader.LogMessageReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The packaged {@code sqs-appender-cli} jar, run as users run it ({@code java -jar} with nothing
 * else on the class path) against ElasticMQ, with real child processes ({@code python3}).
 */
@Timeout(300)
@ExtendWith(WithEmbeddedSqs.class)
class CliIT {

    private static final Path JAR = Paths.get(System.getProperty("cli.jar", "target/sqs-appender-cli-0.1.0-SNAPSHOT.jar"));

    record Run(int status, String out, String err) {
    }

    @BeforeAll
    static void python3IsThere() throws Exception {
        io.github.sqsappender.core.testing.Python3.requireOnPath("a real child process");
        assertThat(JAR).exists();
    }

    private static Process start(List<String> args) throws IOException {
        return start(List.of(), args);
    }

    private static Process start(List<String> jvmArgs, List<String> args) throws IOException {
        return new ProcessBuilder(withDefaultSignals(toolCommand(jvmArgs, args))).start();
    }

    private static List<String> toolCommand(List<String> jvmArgs, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=test", "-Daws.secretAccessKey=test", "-Daws.region=us-east-1",
                "-Daws.disableEc2Metadata=true", "-XX:TieredStopAtLevel=1")); // short-lived: C2 would cost more than it saves
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        command.addAll(args);
        return command;
    }

    /**
     * {@code command} as a terminal session starts it: with SIGHUP, SIGINT and SIGTERM at their
     * default disposition (through {@code env}, which then execs it: the pid is the command's). A
     * test run started under {@code nohup} (SIGHUP ignored) or as a script's background job (SIGINT
     * ignored) passes those ignores on to every child, and the tool rightly keeps a signal its
     * caller ignores ({@link #anIgnoredHangUpStaysIgnoredAsUnderNohup}).
     */
    static List<String> withDefaultSignals(List<String> command) {
        return ignoresAnyOf(1, 2, 15) ? concat(List.of("env", "--default-signal=HUP,INT,TERM"), command) : command;
    }

    /** True when this JVM ignores one of {@code signals} (its SigIgn mask in /proc/self/status; Linux). */
    private static boolean ignoresAnyOf(int... signals) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                    return java.util.Arrays.stream(signals).anyMatch(signal -> (mask & (1L << (signal - 1))) != 0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing known to reset
        }
        return false;
    }

    private static Run run(String stdin, String... args) throws Exception {
        Process p = start(List.of(args));
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the command ended").isTrue();
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static CompletableFuture<String> read(java.io.InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void runsTheCommandTeesBothStreamsShipsEveryLineAndExitsWithItsStatus(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-command");
        String script = "import sys\nfor i in range(500):\n    print('out-%d' % i)\n    print('err-%d' % i, file=sys.stderr)\n"
                + "sys.stdout.write('no newline at the end')\nsys.exit(3)\n";
        Run r = run(null, "--queueUrl", queue, "--messageAttributes", "logger", "--", "python3", "-c", script);
        assertThat(r.status()).as(r.err()).isEqualTo(3);
        assertThat(r.out()).startsWith("out-0\nout-1\n").endsWith("out-499\nno newline at the end");
        assertThat(r.err()).startsWith("err-0\nerr-1\n").contains("err-499\n");
        List<Message> messages = sqs.drain(queue, 1_001, Duration.ofSeconds(2));
        Map<String, String> loggerOf = messages.stream().collect(Collectors.toMap(Message::body,
                m -> m.messageAttributes().get("logger").stringValue()));
        assertThat(loggerOf).hasSize(1_001).containsEntry("out-7", "stdout").containsEntry("err-7", "stderr")
                .containsEntry("no newline at the end", "stdout");
    }

    @Test
    void whenItsOutputIsClosedTheCommandGetsABrokenPipeAsInAShellPipeline(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-broken-pipe");
        // `tool -- yes | head -1`: head reads one line and exits; without the tool in between, yes
        // would die of SIGPIPE at its next write. It must not run (and ship) forever instead.
        Process p = start(List.of("--queueUrl", queue, "--packing", "ndjson", "--", "yes", "a line"));
        CompletableFuture<String> err = read(p.getErrorStream());
        try (java.io.BufferedReader head = new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(head.readLine()).isEqualTo("a line");
        } // head exits: the tool's stdout is closed
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        assertThat(ended).as("the tool and its command ended once nobody read their output").isTrue();
        assertThat(p.exitValue()).as(err.get(10, TimeUnit.SECONDS)).isEqualTo(128 + 13); // the command's SIGPIPE, as a shell reports it
        // Every line read is shipped; the last one read may be a part of a line (shipped as such).
        assertThat(sqs.drainBodies(queue, 1, Duration.ofSeconds(2))).isNotEmpty()
                .allSatisfy(pack -> assertThat(pack.split("\n")).allSatisfy(record ->
                        assertThat(record).matches("\"(a line|a lin|a li|a l|a |a)\"")));
    }

    @Test
    void aConsoleThatFailsOtherwiseThanABrokenPipeCostsOnlyTheCopyTheCommandRunsOnAndItsLinesShip(EmbeddedSqs sqs)
            throws Exception {
        assumeThat(Path.of("/dev/full")).as("Linux's always-full device").exists();
        String queue = sqs.createQueue("cli-full-disk");
        // `tool -- cmd > file` on a full disk: every write to the console fails (ENOSPC), as without the
        // tool the command's own would; it is not a pipe whose reader left, so the command goes on.
        Process p = new ProcessBuilder(withDefaultSignals(toolCommand(List.of(), List.of("--queueUrl", queue, "--",
                "sh", "-c", "for i in 1 2 3 4 5; do echo line-$i; sleep 0.2; done; exit 7"))))
                .redirectOutput(new java.io.File("/dev/full")).start();
        CompletableFuture<String> err = read(p.getErrorStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err.get(10, TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(sqs.drainBodies(queue, 5, Duration.ofSeconds(2)))
                .containsExactlyInAnyOrder("line-1", "line-2", "line-3", "line-4", "line-5");
    }

    @Test
    void linesSentToTheS3FallbackAreCountedInTheFinalLine() throws Exception {
        try (io.github.sqsappender.core.testing.EmbeddedS3 s3 = io.github.sqsappender.core.testing.EmbeddedS3.start()) {
            s3.createBucket("cli-fallback");
            // Nothing listens on the queue's port: each line is retried for deliveryTimeoutMs, then written to S3.
            Run r = run(null, "--queueUrl", "http://127.0.0.1:" + EmbeddedSqs.freePort() + "/000000000000/q",
                    "--deliveryTimeoutMs", "300", "--fallback", "s3", "--s3Bucket", "cli-fallback",
                    "--s3Endpoint", s3.endpoint(), "--", "sh", "-c", "echo one; echo two");
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("one\ntwo\n");
            assertThat(r.err().strip()).as("the three counts add up to the lines")
                    .endsWith("sqs-appender: in all 2 lines, 0 sent, 2 sent to the fallback, 0 dropped");
            assertThat(s3.keys("cli-fallback", "sqs-appender/fallback/")).as("one object, or one per line given up apart")
                    .isNotEmpty();
        }
    }

    @Test
    void theToolsMessagesStartOnALineOfTheirOwnAfterTheCommandsUnendedLastLine() throws Exception {
        // Nothing listens on the queue's port: the line is dropped after deliveryTimeoutMs, and the final count says so.
        Run r = run(null, "--queueUrl", "http://127.0.0.1:" + EmbeddedSqs.freePort() + "/000000000000/q",
                "--deliveryTimeoutMs", "300", "--", "sh", "-c", "printf 'err partial' >&2");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).startsWith("err partial\n")
                .endsWith("\nsqs-appender: in all 1 lines, 0 sent, 1 dropped\n");
    }

    @Test
    void anAssumedRoleWorksFromTheCommandsJar(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-role");
        try (io.github.sqsappender.core.testing.StsStub sts = io.github.sqsappender.core.testing.StsStub.start(Duration.ofMinutes(2))) {
            Process p = start(List.of("-Daws.endpointUrlSts=" + sts.endpoint()),
                    List.of("--queueUrl", queue, "--roleArn", "arn:aws:iam::000000000000:role/log-shipper",
                            "--", "python3", "-c", "for i in range(20): print('role-%d' % i)"));
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            p.getOutputStream().close();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the command ended").isTrue();
            assertThat(p.exitValue()).as(err.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(out.get(10, TimeUnit.SECONDS)).startsWith("role-0\n");
            assertThat(sts.calls()).as("the role was assumed through the jar's STS client").isNotEmpty();
            assertThat(sqs.drainBodies(queue, 20, Duration.ofSeconds(5)))
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 20).mapToObj(i -> "role-" + i).toList());
        }
    }

    @Test
    void aProfileThatSignsInWithIdentityCenterWorksFromTheCommandsJar(EmbeddedSqs sqs, @TempDir Path home) throws Exception {
        // A laptop's `aws sso login` profile: the token cached in ~/.aws/sso/cache, exchanged for
        // role credentials at the SSO portal (here a stub on loopback).
        String queue = sqs.createQueue("cli-sso");
        String startUrl = "https://example.awsapps.com/start";
        Files.createDirectories(home.resolve(".aws/sso/cache"));
        Files.writeString(home.resolve(".aws/config"), "[profile dev]\nsso_start_url = " + startUrl
                + "\nsso_region = us-east-1\nsso_account_id = 000000000000\nsso_role_name = log-shipper\nregion = us-east-1\n");
        String cacheName = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                .digest(startUrl.getBytes(StandardCharsets.UTF_8))) + ".json";
        Files.writeString(home.resolve(".aws/sso/cache").resolve(cacheName), "{\"startUrl\": \"" + startUrl
                + "\", \"region\": \"us-east-1\", \"accessToken\": \"cached-token\", \"expiresAt\": \"2099-01-01T00:00:00Z\"}");
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer portal = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 4);
        portal.createContext("/federation/credentials", exchange -> {
            try (exchange) {
                calls.add(exchange.getRequestURI().getQuery() + " token=" + exchange.getRequestHeaders().getFirst("x-amz-sso_bearer_token"));
                byte[] body = ("{\"roleCredentials\": {\"accessKeyId\": \"ASIASSO\", \"secretAccessKey\": \"sso-secret\", "
                        + "\"sessionToken\": \"sso-session\", \"expiration\": " + (System.currentTimeMillis() + 3_600_000L) + "}}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        portal.start();
        try {
            List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Daws.endpointUrlSso=http://127.0.0.1:" + portal.getAddress().getPort(),
                    "-Daws.disableEc2Metadata=true", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString(),
                    "--queueUrl", queue, "--profile", "dev", "--", "python3", "-c", "for i in range(20): print('sso-%d' % i)"));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
            builder.environment().put("HOME", home.toString());
            Process p = builder.start();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            p.getOutputStream().close();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the command ended").isTrue();
            String errors = err.get(10, TimeUnit.SECONDS);
            assertThat(p.exitValue()).as(errors).isZero();
            assertThat(errors).as("nothing dropped, no credentials problem").isEmpty();
            assertThat(out.get(10, TimeUnit.SECONDS)).startsWith("sso-0\n");
            assertThat(calls).as("role credentials fetched with the cached token").isNotEmpty()
                    .allSatisfy(call -> assertThat(call).contains("role_name=log-shipper").contains("account_id=000000000000")
                            .contains("token=cached-token"));
            assertThat(sqs.drainBodies(queue, 20, Duration.ofSeconds(5)))
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 20).mapToObj(i -> "sso-" + i).toList());
        } finally {
            portal.stop(0);
        }
    }

    @Test
    void withoutACommandItShipsStandardInputAndCopiesItToStandardOutput(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-stdin");
        String input = IntStream.range(0, 1_000).mapToObj(i -> "line " + i + " é").collect(Collectors.joining("\n", "", "\n"));
        Run r = run(input, "--queueUrl", queue);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(input);
        assertThat(sqs.drainBodies(queue, 1_000, Duration.ofSeconds(2)))
                .containsExactlyInAnyOrderElementsOf(List.of(input.split("\n")));
    }

    @Test
    void stdinReachesTheCommandAndPackedGzipedLinesAllArrive(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-packed");
        String input = IntStream.range(0, 20_000).mapToObj(i -> "row-" + i).collect(Collectors.joining("\n", "", "\n"));
        Run r = run(input, "--queueUrl", queue, "--packing", "ndjson", "--compression", "gzip",
                "--", "python3", "-c", "import sys\nfor line in sys.stdin:\n    sys.stderr.write(line)\n");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEqualTo(input);
        int depth = (int) sqs.approximateDepth(queue);
        List<String> events = new ArrayList<>();
        for (Message m : sqs.drain(queue, depth, Duration.ofSeconds(2))) {
            Map<String, String> attributes = new HashMap<>();
            m.messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
            events.addAll(LogMessageReader.events(m.messageId(), m.body(), attributes));
        }
        assertThat(events).containsExactlyInAnyOrderElementsOf(List.of(input.split("\n")));
        assertThat(depth).as("packed: far fewer messages than lines").isLessThan(20);
    }

    /** Sends {@code signal} (TERM, INT, HUP) to {@code p}, as {@code kill -SIGNAL pid} would. */
    private static void signal(Process p, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor()).isZero();
    }

    /** A Python command that prints 'started', and on {@code signal} prints 'got SIG...' and exits with {@code status}. */
    private static String onSignalExit(String signal, int status) {
        return "import signal, sys, time\n"
                + "def on(signum, frame):\n    print('got " + signal + "', flush=True)\n    sys.exit(" + status + ")\n"
                + "signal.signal(signal." + signal + ", on)\nprint('started', flush=True)\ntime.sleep(120)\n";
    }

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"TERM, 0", "INT, 5", "HUP, 7"})
    void aSignalIsPassedToTheCommandAsItIsWhatItPrintedIsDeliveredAndTheExitStatusIsItsOwn(String signal, int status,
                                                                                          EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-sig" + signal.toLowerCase(java.util.Locale.ROOT));
        Process p = start(List.of("--queueUrl", queue, "--", "python3", "-c", onSignalExit("SIG" + signal, status)));
        CompletableFuture<String> err = read(p.getErrorStream());
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("started"); // the command runs and its output is copied
        signal(p, signal); // to the command line tool only, not to the command
        assertThat(out.readLine()).as(() -> err.getNow("")).isEqualTo("got SIG" + signal);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the command's status, not the JVM's 128 + n").isEqualTo(status);
        assertThat(sqs.drainBodies(queue, 2, Duration.ofSeconds(2))).containsExactlyInAnyOrder("started", "got SIG" + signal);
    }

    @Test
    void aCommandThatASignalEndsGivesTheShellsStatusForIt(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-killed");
        Process p = start(List.of("--queueUrl", queue, "--", "python3", "-c",
                "import time\nprint('started', flush=True)\ntime.sleep(120)\n"));
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("started");
        signal(p, "TERM");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("128 + SIGTERM, from the command").isEqualTo(143);
        assertThat(sqs.drainBodies(queue, 1, Duration.ofSeconds(2))).containsExactly("started");
    }

    @Test
    void withoutACommandASignalDeliversWhatWasReadIncludingAPartialLineThenExits(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-stdin-signal");
        // A long linger: only the signal's delivery can send these lines in time.
        Process p = start(List.of("--queueUrl", queue, "--lingerMs", "600000"));
        CompletableFuture<String> err = read(p.getErrorStream());
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        OutputStream in = p.getOutputStream(); // left open: the input has not ended
        in.write("first\nsecond\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        assertThat(out.readLine()).isEqualTo("first");
        assertThat(out.readLine()).isEqualTo("second");
        in.write("partial".getBytes(StandardCharsets.UTF_8));
        in.flush();
        char[] partial = new char[7];
        assertThat(out.read(partial)).isEqualTo(7); // read and copied: the line is in the splitter
        signal(p, "TERM");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(() -> err.getNow("")).isEqualTo(143);
        assertThat(sqs.drainBodies(queue, 3, Duration.ofSeconds(2))).containsExactlyInAnyOrder("first", "second", "partial");
        in.close();
    }

    @Test
    void withoutACommandASignalReadsTheInputToItsEndSoTheWritersLastLinesArrive(EmbeddedSqs sqs) throws Exception {
        // Ctrl-C on `python3 job.py | java -jar ...` reaches both: the writer prints its last lines
        // (a traceback) after the tool got the signal.
        String queue = sqs.createQueue("cli-stdin-int");
        Process p = start(List.of("--queueUrl", queue, "--shutdownTimeoutMs", "60000"));
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        OutputStream in = p.getOutputStream();
        in.write("before\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        assertThat(out.readLine()).isEqualTo("before");
        signal(p, "INT");
        assertThat(err.readLine()).startsWith("sqs-appender: SIGINT: reading standard input to its end (at most 15000 ms");
        in.write("KeyboardInterrupt\nlast".getBytes(StandardCharsets.UTF_8)); // after the signal was handled
        in.close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("as SIGINT would have ended it").isEqualTo(130);
        assertThat(out.readLine()).isEqualTo("KeyboardInterrupt");
        assertThat(sqs.drainBodies(queue, 3, Duration.ofSeconds(2))).containsExactlyInAnyOrder("before", "KeyboardInterrupt", "last");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "command: {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"python3", "timeout 120 python3"})
    void ctrlCInATerminalReachesTheCommandOnceNotTwice(String command, EmbeddedSqs sqs, @TempDir Path dir) throws Exception {
        // A real terminal: script(1) runs the tool on a pseudo-terminal, and the ^C written into it
        // makes the terminal send SIGINT to its foreground process group — the tool and the command.
        // GNU timeout moves to a group of its own, so the terminal's SIGINT does not reach it: the
        // tool passes it on (and timeout to python3).
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) from util-linux");
        String queue = sqs.createQueue("cli-ctrl-c-" + command.split(" ")[0]);
        Path program = Files.writeString(dir.resolve("interrupted.py"), "import signal, sys, time\n"
                + "count = 0\n"
                + "def on(signum, frame):\n    global count\n    count += 1\n"
                + "signal.signal(signal.SIGINT, on)\n"
                + "print('started', flush=True)\n"
                + "deadline = time.time() + 60\n"
                + "while count == 0 and time.time() < deadline:\n    time.sleep(0.05)\n"
                // An observation window, not a synchronisation: a second SIGINT from the tool would
                // come within a fraction of it (the tool spawns kill -INT at once).
                + "time.sleep(3)\n"
                + "print('SIGINTs: %d' % count, flush=True)\n"
                + "sys.exit(5)\n");
        // exec: the tool itself on the terminal (a shell waiting for it would exit 130 on the ^C itself).
        List<String> java = withDefaultSignals(List.of(quoted(Paths.get(System.getProperty("java.home"), "bin", "java").toString())));
        String tool = "exec " + String.join(" ", java) + " " + String.join(" ",
                "-Daws.accessKeyId=test", "-Daws.secretAccessKey=test", "-Daws.region=us-east-1",
                "-Daws.disableEc2Metadata=true", "-XX:TieredStopAtLevel=1", "-jar", quoted(JAR.toAbsolutePath().toString()),
                "--queueUrl", quoted(queue), "--", command, quoted(program.toString()));
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/script", "-qefc", tool, "/dev/null");
        builder.environment().put("SHELL", "/bin/sh"); // script(1) runs the command with $SHELL -c
        Process p = builder.start();
        try {
            java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
            CompletableFuture.runAsync(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the terminal closed
                }
            });
            assertThat(nextLineContaining(lines, "started")).isNotNull();
            OutputStream terminal = p.getOutputStream();
            terminal.write(3); // ^C, typed into the terminal
            terminal.flush();
            String counted = nextLineContaining(lines, "SIGINTs:");
            // Under timeout the count may be 2: timeout itself sends what it gets to its command's
            // pid and then to its group; what matters there is that it got one at all.
            assertThat(counted).matches(command.equals("python3") ? ".*SIGINTs: 1" : ".*SIGINTs: [12]");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("the command's status, through the tool and script").isEqualTo(5);
            assertThat(sqs.drainBodies(queue, 2, Duration.ofSeconds(2)))
                    .containsExactlyInAnyOrder("started", counted.substring(counted.indexOf("SIGINTs:")));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The next line that contains {@code text}, within a minute; null if none came. */
    private static String nextLineContaining(java.util.concurrent.BlockingQueue<String> lines, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line; (line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
            if (line.contains(text)) {
                return line;
            }
        }
        return null;
    }

    @Test
    void anIgnoredHangUpStaysIgnoredAsUnderNohup(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-nohup");
        List<String> java = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=test", "-Daws.secretAccessKey=test", "-Daws.region=us-east-1",
                "-Daws.disableEc2Metadata=true", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString(),
                "--queueUrl", queue, "--", "python3", "-c",
                "import sys\nprint('started', flush=True)\nprint('after', sys.stdin.readline().strip(), flush=True)\n"));
        // What nohup does: SIGHUP ignored, then exec, so the JVM starts with it ignored.
        Process p = new ProcessBuilder(concat(List.of("sh", "-c", "trap '' HUP; exec \"$@\"", "sh"), java)).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> err = read(p.getErrorStream());
        assertThat(out.readLine()).isEqualTo("started");
        signal(p, "HUP"); // ignored by the tool (and by the command, which inherited the ignore)
        try (OutputStream in = p.getOutputStream()) {
            in.write("hang-up ignored\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(out.readLine()).as(() -> err.getNow("")).isEqualTo("after hang-up ignored");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(() -> err.getNow("")).isZero();
        assertThat(sqs.drainBodies(queue, 2, Duration.ofSeconds(2))).containsExactlyInAnyOrder("started", "after hang-up ignored");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void withoutACommandASignalIsNotHeldUpByALineWaitingForRoom() throws Exception {
        // SQS unreachable and a buffer of one: the second line waits for room for up to 10 minutes.
        Process p = start(List.of("--queueUrl", "http://127.0.0.1:" + EmbeddedSqs.freePort() + "/000000000000/q",
                "--bufferCapacity", "1", "--overflowPolicy", "block", "--blockTimeoutMs", "600000",
                "--shutdownTimeoutMs", "2000"));
        java.util.concurrent.BlockingQueue<String> errLines = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread errReader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    errLines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        errReader.start();
        CompletableFuture<String> out = read(p.getInputStream());
        OutputStream in = p.getOutputStream(); // left open
        in.write("first\nsecond\nthird\npartial".getBytes(StandardCharsets.UTF_8));
        in.flush();
        // Its first report comes well after it read the input, so by then 'second' is waiting.
        assertThat(errLines.poll(60, TimeUnit.SECONDS)).contains("cannot use its queue yet");
        signal(p, "TERM");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited within a minute, not after blockTimeoutMs").isTrue();
        assertThat(p.exitValue()).isEqualTo(143);
        errReader.join(10_000);
        assertThat(String.join("\n", errLines)).as("every line read is accounted for")
                .endsWith("sqs-appender: in all 4 lines, 0 sent, 4 dropped");
        assertThat(out.get(10, TimeUnit.SECONDS)).isEqualTo("first\nsecond\nthird\npartial");
        in.close();
    }

    @Test
    void whatABackgroundProcessOfTheCommandPrintsAfterItEndedIsCopiedAndShippedAsInAShell(EmbeddedSqs sqs)
            throws Exception {
        String queue = sqs.createQueue("cli-background");
        // sh ends at once; what it left running prints half a second later, as `sh -c '…' | cat` shows.
        Run r = run(null, "--queueUrl", queue, "--", "sh", "-c",
                "echo first; (sleep 0.5; echo late; echo late-err >&2; printf 'last, no line end') &");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("first\nlate\nlast, no line end");
        assertThat(r.err()).isEqualTo("late-err\n");
        assertThat(sqs.drainBodies(queue, 4, Duration.ofSeconds(2)))
                .containsExactlyInAnyOrder("first", "late", "late-err", "last, no line end");
    }

    @Test
    void aBackgroundProcessHoldingTheOutputOpenDoesNotKeepTheToolOrItsPartialLastLine(EmbeddedSqs sqs,
                                                                                    @TempDir Path dir) throws Exception {
        String queue = sqs.createQueue("cli-held-open");
        Path release = dir.resolve("release");
        try {
            // sh ends at once; what it leaves behind holds both outputs open until the test lets it go
            // (or its directory is gone).
            Run r = run(null, "--queueUrl", queue, "--shutdownTimeoutMs", "2000", "--", "sh", "-c",
                    "echo first; printf 'ready, no line end'; (while [ -d \"$1\" ] && [ ! -e \"$0\" ]; do sleep 0.1; done) &",
                    release.toString(), dir.toString());
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("first\nready, no line end");
            assertThat(r.err()).contains("its output is still open").doesNotContain("dropped");
            assertThat(sqs.drainBodies(queue, 2, Duration.ofSeconds(2))).containsExactly("first", "ready, no line end");
        } finally {
            Files.createFile(release);
        }
    }

    @Test
    void overflowPolicyBlockMakesTheCommandWaitInsteadOfDropping(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-block");
        Run r = run(null, "--queueUrl", queue, "--bufferCapacity", "10", "--overflowPolicy", "block",
                "--blockTimeoutMs", "60000", "--", "python3", "-c", "for i in range(1000):\n    print('b-%d' % i)\n");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).as("no 'dropped' summary").doesNotContain("dropped");
        assertThat(sqs.drainBodies(queue, 1_000, Duration.ofSeconds(2))).hasSize(1_000).doesNotHaveDuplicates();
    }

    @Test
    void onAFifoQueueMessageGroupIdIsUsedAsGiven(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-group.fifo", Map.of(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.FIFO_QUEUE, "true"));
        Run r = run(null, "--queueUrl", queue, "--messageGroupId", "job-42",
                "--", "python3", "-c", "for i in range(20):\n    print('g-%d' % i)\n");
        assertThat(r.status()).as(r.err()).isZero();
        List<Message> messages = sqs.drain(queue, 20, Duration.ofSeconds(2));
        assertThat(messages).hasSize(20).allSatisfy(m -> assertThat(m.attributes()
                .get(software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo("job-42"));
        assertThat(messages.stream().map(Message::body).toList())
                .isEqualTo(IntStream.range(0, 20).mapToObj(i -> "g-" + i).toList());
    }

    @Test
    void inAnAsciiLocaleWhatTheCommandPrintsInUtf8ArrivesReadable(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-ascii-locale");
        // Java 17's default charset where LANG is unset (many containers); Python still prints UTF-8.
        Process p = start(List.of("-Dfile.encoding=ANSI_X3.4-1968"), List.of("--queueUrl", queue, "--", "python3", "-c",
                "import sys\nsys.stdout.buffer.write('caf\\u00e9 \\u2713\\n'.encode('utf-8'))\n"));
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(() -> err.getNow("")).isZero();
        assertThat(out.get(10, TimeUnit.SECONDS)).as("the bytes pass through unchanged").isEqualTo("caf\u00e9 \u2713\n");
        assertThat(sqs.drainBodies(queue, 1, Duration.ofSeconds(2))).containsExactly("caf\u00e9 \u2713");
    }

    @Test
    void aBadValueExitsWithTwoNamingIt() throws Exception {
        Run r = run(null, "--queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/q", "--maxBatchSize", "11",
                "--", "python3", "-c", "print('never')");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("maxBatchSize=11");
        assertThat(r.out()).doesNotContain("never");
        Run unknown = run(null, "--queueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/q", "--lingerMillis", "5");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("--lingerMillis");
    }

    @Test
    void aCommandThatCannotBeRunExitsWith127AsAShellWould(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-not-found");
        Run r = run(null, "--queueUrl", queue, "--", "no-such-command-" + Long.toHexString(System.nanoTime()));
        assertThat(r.status()).isEqualTo(127);
        assertThat(r.err()).contains("sqs-appender: cannot run no-such-command-");
    }

    @Test
    void aCommandThatIsNotExecutableExits126AsAShellWould(EmbeddedSqs sqs, @TempDir Path dir) throws Exception {
        String queue = sqs.createQueue("cli-not-executable");
        Path script = Files.writeString(dir.resolve("job.sh"), "#!/bin/sh\necho never\n"); // no execute permission
        Run r = run(null, "--queueUrl", queue, "--", script.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(126);
        assertThat(r.err()).contains("sqs-appender: cannot run " + script).contains("Permission denied");
    }

    @Test
    void crLfEndingsEmptyLinesAndALineOver64KiBFollowTheLineRules(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-lines");
        String script = "import sys\nw = sys.stdout.buffer.write\nw(b'first\\r\\n\\r\\n\\nsecond\\n')\n"
                + "w(('x' * 70000 + '\\n').encode())\nw(b'no end')\n";
        Run r = run(null, "--queueUrl", queue, "--maxMessageBytes", "262144", "--", "python3", "-c", script);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).as("copied unchanged").isEqualTo("first\r\n\r\n\nsecond\n" + "x".repeat(70_000) + "\nno end");
        List<String> bodies = sqs.drainBodies(queue, 5, Duration.ofSeconds(2));
        assertThat(bodies).contains("first", "second", "no end").doesNotContain("");
        assertThat(bodies.stream().filter(b -> b.startsWith("x")).mapToInt(String::length).sum())
                .as("the long line in 64 KiB pieces").isEqualTo(70_000);
        assertThat(bodies).hasSize(5).filteredOn(b -> b.startsWith("x")).hasSize(2);
    }

    @Test
    void captureStreamsIsAcceptedAndSaidToHaveNoEffect(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-capture");
        Run r = run("one\n", "--queueUrl", queue, "--captureStreams", "stdout,stderr");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("--captureStreams has no effect here");
        assertThat(sqs.drainBodies(queue, 1, Duration.ofSeconds(2))).containsExactly("one");
    }

    @Test
    void helpListsEveryAttribute() throws Exception {
        Run r = run(null, "--help");
        assertThat(r.status()).isZero();
        for (ConfigAttribute attribute : ConfigAttribute.all()) {
            assertThat(r.out()).contains("--" + attribute.name() + " ");
        }
    }

    @Test
    void versionSaysWhichReleaseTheJarIs() throws Exception {
        Run r = run(null, "--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("sqs-appender-cli " + System.getProperty("project.version", "unset") + "\n");
    }
}
