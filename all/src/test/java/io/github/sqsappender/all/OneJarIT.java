package io.github.sqsappender.all;

import io.github.sqsappender.core.testing.ChildJvm;
import io.github.sqsappender.core.testing.EmbeddedS3;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.StsStub;
import io.github.sqsappender.reader.S3Pointer;
import io.github.sqsappender.core.testing.WithEmbeddedSqs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code sqs-appender-all} jar (this suite runs after {@code package}): nothing in it
 * outside our own packages, and each framework finds and runs its appender from it with nothing
 * else of ours on the class path.
 */
@Timeout(120)
@ExtendWith(WithEmbeddedSqs.class)
class OneJarIT {

    private static final Path JAR = Path.of(System.getProperty("oneJar.path", "target/none.jar"));

    @Test
    void everyClassIsOursOrRelocatedAndTheFrameworksHooksAreThere() throws Exception {
        assertThat(JAR).exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).collect(Collectors.toList());
            assertThat(names.stream().filter(n -> n.endsWith(".class")))
                    .isNotEmpty()
                    .allSatisfy(n -> assertThat(n).startsWith("io/github/sqsappender/"));
            assertThat(names).contains(
                    "META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat",
                    "io/github/sqsappender/shaded/software/amazon/awssdk/services/sqs/SqsAsyncClient.class",
                    "io/github/sqsappender/shaded/io/netty/channel/nio/NioEventLoopGroup.class",
                    "META-INF/services/io.github.sqsappender.shaded.software.amazon.awssdk.http.async.SdkAsyncHttpService",
                    "META-INF/LICENSE");
            assertThat(names).as("read by every Netty in the JVM: ours would mask the host's versions")
                    .doesNotContain("META-INF/io.netty.versions.properties");
            assertThat(names).noneMatch(n -> n.startsWith("META-INF/native/") || n.endsWith("module-info.class"));
        }
        System.out.printf("[measure] sqs-appender-all: %,d bytes%n", Files.size(JAR));
    }

    /** One event logged through the one jar's {@code <Sqs>} with {@code property} set; the child JVM's result. */
    private static ChildJvm.Result logOneEventWith(String name, String property) throws Exception {
        String classpath = JAR.toAbsolutePath() + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath()
                + File.pathSeparator + hostJars("/org/apache/logging/log4j/log4j-(api|core)/");
        return ChildJvm.onClasspath(classpath)
                .withJvmArgs("-Dsqs.queueUrl=http://127.0.0.1:1/000000000000/q", property,
                        "-Dlog4j2.configurationFile=" + Path.of("target/test-classes/one-jar-log4j2.xml").toAbsolutePath())
                .run(name, 60, OneJarMain.class.getName(), "1", "log4j2");
    }

    @Test
    void choosingAnotherHttpClientInTheOneJarSaysItHasNettyOnly() throws Exception {
        ChildJvm.Result r = logOneEventWith("one-jar-crt", "-Dsqs.httpClient=crt");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("httpClient=crt is not available in the sqs-appender-all jar, which bundles only netty");
    }

    @Test
    void aClientFactoryInTheOneJarIsAClearErrorNamingTheAttribute() throws Exception {
        // A factory compiled against the SDK cannot return the jar's relocated client: an
        // AbstractMethodError at the first lookup, naming a shaded type, unless refused at start.
        ChildJvm.Result r = logOneEventWith("one-jar-factory", "-Dsqs.clientFactory=com.example.ProxyFactory");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("clientFactory=com.example.ProxyFactory is not available in the sqs-appender-all jar");
    }

    private static ChildJvm.Result runLog4j2(String name, String config, String... jvmArgsAndMain) throws Exception {
        String classpath = JAR.toAbsolutePath() + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath()
                + File.pathSeparator + hostJars("/org/apache/logging/log4j/log4j-(api|core)/");
        int split = java.util.Arrays.asList(jvmArgsAndMain).indexOf("--");
        String[] jvmArgs = java.util.Arrays.copyOfRange(jvmArgsAndMain, 0, split);
        String[] mainArgs = java.util.Arrays.copyOfRange(jvmArgsAndMain, split + 1, jvmArgsAndMain.length);
        return ChildJvm.onClasspath(classpath)
                .withJvmArgs(jvmArgs)
                .withJvmArgs("-Dlog4j2.configurationFile=" + Path.of("target/test-classes/" + config).toAbsolutePath())
                .run(name, 60, OneJarMain.class.getName(), mainArgs);
    }

    @Test
    void anAssumedRoleWorksFromTheOneJar(EmbeddedSqs sqs) throws Exception {
        String queueUrl = sqs.createQueue("one-jar-role");
        try (StsStub sts = StsStub.start(Duration.ofMinutes(2))) {
            ChildJvm.Result r = runLog4j2("one-jar-role", "one-jar-role.xml",
                    "-Dsqs.queueUrl=" + queueUrl, "-Daws.endpointUrlSts=" + sts.endpoint(), "--", "50", "log4j2");
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).doesNotContain("ERROR");
            assertThat(sts.calls()).as("the role was assumed through the bundled STS client").isNotEmpty();
            assertThat(sqs.drainBodies(queueUrl, 50, Duration.ofSeconds(5)))
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 50).mapToObj(i -> "one-jar line " + i).toList());
        }
    }

    @Test
    void anS3OffloadWorksFromTheOneJar(EmbeddedSqs sqs) throws Exception {
        String queueUrl = sqs.createQueue("one-jar-s3");
        try (EmbeddedS3 s3 = EmbeddedS3.start()) {
            s3.createBucket("one-jar-bucket");
            ChildJvm.Result r = runLog4j2("one-jar-s3", "one-jar-s3.xml", "-Dsqs.queueUrl=" + queueUrl,
                    "-Ds3.bucket=one-jar-bucket", "-Ds3.endpoint=" + s3.endpoint(), "--", "50", "log4j2", "300000");
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).doesNotContain("ERROR").doesNotContain("WARN");

            List<String> bodies = sqs.drainBodies(queueUrl, 51, Duration.ofSeconds(5));
            assertThat(bodies).hasSize(51);
            List<String> pointers = bodies.stream().filter(b -> !b.startsWith("one-jar line ")).toList();
            assertThat(pointers).hasSize(1);
            S3Pointer pointer = S3Pointer.parse(pointers.get(0));
            assertThat(new String(s3.get("one-jar-bucket", pointer.key()).asByteArray(), StandardCharsets.UTF_8))
                    .isEqualTo("L".repeat(300_000));
        }
    }

    private static String hostJars(String host) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.replace('\\', '/').matches(".*(" + host + "|/org/slf4j/slf4j-api/).*"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    @ParameterizedTest
    @ValueSource(strings = {"log4j2", "logback"})
    void theFrameworkFindsTheAppenderInTheOneJarAndEveryLineArrives(String framework, EmbeddedSqs sqs) throws Exception {
        String queueUrl = sqs.createQueue("one-jar-" + framework);
        String host = framework.equals("log4j2") ? "/org/apache/logging/log4j/log4j-(api|core)/" : "/ch/qos/logback/logback-(classic|core)/";
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.replace('\\', '/').matches(".*(" + host + "|/org/slf4j/slf4j-api/).*"))
                .collect(Collectors.joining(File.pathSeparator));
        classpath = JAR.toAbsolutePath() + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath()
                + File.pathSeparator + classpath;
        String config = Path.of("target/test-classes/one-jar-" + framework + ".xml").toAbsolutePath().toString();
        ChildJvm.Result r = ChildJvm.onClasspath(classpath)
                .withJvmArgs("-Dsqs.queueUrl=" + queueUrl, "-Dlog4j2.configurationFile=" + config,
                        "-Dlogback.configurationFile=" + config)
                .run("one-jar-" + framework, 60, OneJarMain.class.getName(), "500", framework.equals("log4j2") ? "log4j2" : "slf4j");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.printed("appender-jar")).isEqualTo(JAR.toAbsolutePath().toString());
        // The feedback guard inside the jar: the host's SDK and Netty loggers and the relocated ones.
        assertThat(r.printed("excluded software.amazon.awssdk.request")).isEqualTo("true");
        assertThat(r.printed("excluded io.netty.channel.Pipeline")).isEqualTo("true");
        assertThat(r.printed("excluded io.github.sqsappender.shaded.software.amazon.awssdk.request")).isEqualTo("true");
        assertThat(r.printed("excluded io.github.sqsappender.shaded.io.netty.util.Leak")).isEqualTo("true");
        assertThat(r.printed("excluded com.example.OneJar")).isEqualTo("false");
        assertThat(r.output()).doesNotContain("ERROR").doesNotContain("Exception");
        assertThat(sqs.drainBodies(queueUrl, 500, Duration.ofSeconds(5)))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 500).mapToObj(i -> "one-jar line " + i).toList());
    }
}
