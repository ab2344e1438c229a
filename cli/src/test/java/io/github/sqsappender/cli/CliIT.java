package io.github.sqsappender.cli;

import io.github.sqsappender.core.ConfigAttribute;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.WithEmbeddedSqs;
import io.github.sqsappender.reader.LogMessageReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
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
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=test", "-Daws.secretAccessKey=test", "-Daws.region=us-east-1",
                "-Daws.disableEc2Metadata=true", "-XX:TieredStopAtLevel=1", // short-lived: C2 would cost more than it saves
                "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(args);
        return new ProcessBuilder(command).start();
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

    @Test
    void sigtermIsPassedToTheCommandAndWhatItPrintedIsDelivered(EmbeddedSqs sqs) throws Exception {
        String queue = sqs.createQueue("cli-signal");
        String script = "import signal, sys, time\n"
                + "def term(signum, frame):\n    print('got SIGTERM', flush=True)\n    sys.exit(0)\n"
                + "signal.signal(signal.SIGTERM, term)\nprint('started', flush=True)\ntime.sleep(120)\n";
        Process p = start(List.of("--queueUrl", queue, "--", "python3", "-c", script));
        CompletableFuture<String> err = read(p.getErrorStream());
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("started"); // the command runs and its output is copied
        p.toHandle().destroy(); // SIGTERM to the command line tool (Process.destroy would also close our pipes)
        assertThat(out.readLine()).as(() -> err.getNow("")).isEqualTo("got SIGTERM");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(sqs.drainBodies(queue, 2, Duration.ofSeconds(2))).containsExactlyInAnyOrder("started", "got SIGTERM");
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
    void helpListsEveryAttribute() throws Exception {
        Run r = run(null, "--help");
        assertThat(r.status()).isZero();
        for (ConfigAttribute attribute : ConfigAttribute.all()) {
            assertThat(r.out()).contains("--" + attribute.name() + " ");
        }
    }
}
