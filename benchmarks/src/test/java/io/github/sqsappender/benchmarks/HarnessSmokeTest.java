package io.github.sqsappender.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny run of the end-to-end harness in the default build, so it keeps working: every contender
 * runs in its own JVM against ElasticMQ in another, and every row must verify (all events in the queue).
 */
@Timeout(300)
class HarnessSmokeTest {

    @Test
    void everyContenderDeliversEveryEventAtTinyScale() throws Exception {
        Path out = Path.of("target", "bench-smoke");
        List<Harness.Row> rows = Harness.run(Harness.defaultContenders(), List.of(200), 0.001, 2, out,
                List.of("-XX:TieredStopAtLevel=1"));
        assertThat(rows).hasSize(Harness.defaultContenders().size()).allMatch(Harness.Row::valid);
        assertThat(rows).allMatch(r -> r.requests() > 0 && r.cpuSeconds() > 0);
        assertThat(Files.readString(out.resolve("e2e-latest.json"))).contains("\"valid\":true");
        assertThat(out.resolve("e2e-latest.png")).exists();
    }
}
