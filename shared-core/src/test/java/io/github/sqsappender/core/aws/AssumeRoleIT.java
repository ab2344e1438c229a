package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.SqsAppenderConfig;
import io.github.sqsappender.core.SqsPipeline;
import io.github.sqsappender.core.testing.EmbeddedSqs;
import io.github.sqsappender.core.testing.FaultProxy;
import io.github.sqsappender.core.testing.RecordingStatus;
import io.github.sqsappender.core.testing.StsStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code roleArn} end to end: the SDK's STS client assumes the role at a stub STS on loopback
 * (pointed at by the SDK's own {@code aws.endpointUrlSts} setting), and every SQS request is then
 * signed with the temporary credentials, through their refresh before expiry.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.github.sqsappender.core.testing.WithEmbeddedSqs.class)
@Timeout(120)
class AssumeRoleIT {

    private static final String ROLE = "arn:aws:iam::000000000000:role/log-shipper";
    private static final String EXTERNAL_ID = "ext-SECRET-4711";

    private static EmbeddedSqs sqs;
    private StsStub sts;
    private FaultProxy proxy;
    private String queueUrl;

    @BeforeAll
    static void startServer(EmbeddedSqs server) {
        sqs = server; // one server for the whole test run: WithEmbeddedSqs
    }

    @BeforeEach
    void setUp() throws Exception {
        sts = StsStub.start(Duration.ofMinutes(2));
        System.setProperty("aws.endpointUrlSts", sts.endpoint());
        proxy = FaultProxy.start(sqs.endpoint());
        queueUrl = sqs.createQueue("role-" + System.nanoTime());
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("aws.endpointUrlSts");
        proxy.close();
        sts.close();
    }

    private SqsAppenderConfig config() throws Exception {
        return SqsAppenderConfig.builder("role").set("queueUrl", proxy.viaProxy(queueUrl)).set("jmx", "false")
                .set("lingerMs", "1").set("roleArn", ROLE).set("roleSessionName", "shipper")
                .set("externalId", EXTERNAL_ID).build();
    }

    @Test
    void everySqsRequestIsSignedWithTheAssumedRolesCurrentCredentialsRefreshedBeforeExpiry() throws Exception {
        RecordingStatus status = new RecordingStatus();
        SqsPipeline pipeline = SqsPipeline.create(config(), status);
        pipeline.start();
        for (int i = 0; i < 3; i++) {
            pipeline.append("as-role-" + i, "INFO", io.github.sqsappender.core.testing.StringEvents.LEVELS);
            assertThat(pipeline.flush(30_000)).as("event %d delivered", i).isTrue();
        }
        assertThat(pipeline.stop(10_000)).isTrue();

        List<Map<String, String>> calls = sts.calls();
        assertThat(calls).allSatisfy(call -> assertThat(call).containsEntry("RoleArn", ROLE)
                .containsEntry("RoleSessionName", "shipper").containsEntry("ExternalId", EXTERNAL_ID));
        // Credentials two minutes from expiry are inside the provider's prefetch window: each
        // request is signed with credentials fetched after the previous request's.
        List<String> signedWith = proxy.sendBatchCredentials();
        assertThat(signedWith).hasSize(3);
        int previous = 0;
        for (String credential : signedWith) {
            int n = Integer.parseInt(credential.substring("ASIASTUB".length(), credential.indexOf('|')));
            assertThat(credential).isEqualTo(StsStub.accessKey(n) + "|" + StsStub.sessionToken(n));
            assertThat(n).as("refreshed since the previous request").isGreaterThan(previous).isLessThanOrEqualTo(calls.size());
            previous = n;
        }
        assertThat(sqs.drainBodies(queueUrl, 3, Duration.ofSeconds(2))).containsExactly("as-role-0", "as-role-1", "as-role-2");

        String reported = status.all();
        assertThat(reported).doesNotContain(EXTERNAL_ID);
        for (int n = 1; n <= calls.size(); n++) {
            assertThat(reported).doesNotContain(StsStub.secret(n)).doesNotContain(StsStub.sessionToken(n));
        }
    }

    @Test
    void anStsThatRefusesIsReportedWithoutTheExternalIdAndEventsWait() throws Exception {
        sts.close();
        RecordingStatus status = new RecordingStatus();
        SqsPipeline pipeline = SqsPipeline.create(config(), status);
        pipeline.start();
        pipeline.append("waits", "INFO", io.github.sqsappender.core.testing.StringEvents.LEVELS);
        assertThat(pipeline.flush(3_000)).isFalse();
        pipeline.stop(500);
        // Given up by the stop: at once once its own lookup failed too (undeliverable), or at its deadline (shutdown).
        assertThat(pipeline.metrics().getEventsDroppedUndeliverable() + pipeline.metrics().getEventsDroppedShutdown())
                .isEqualTo(1);
        assertThat(status.all()).as("the failure is reported").isNotBlank();
        assertThat(status.all() + pipeline.metrics().getLastError()).doesNotContain(EXTERNAL_ID);
    }

    @Test
    void closingTheClientClosesTheStsClientItCreated() throws Exception {
        SqsClients.OwnedClient owned = SqsClients.build(config());
        AssumeRole role = (AssumeRole) owned.credentials();
        assertThat(role.stsClient().assumeRole(r -> r.roleArn(ROLE).roleSessionName("probe")).credentials().accessKeyId())
                .startsWith("ASIASTUB");
        owned.close();
        assertThatThrownBy(() -> role.stsClient().assumeRole(r -> r.roleArn(ROLE).roleSessionName("probe")))
                // closed connection pool, or closed timeout scheduler: whichever the call meets first
                .as("a closed STS client refuses calls")
                .isInstanceOfAny(IllegalStateException.class, java.util.concurrent.RejectedExecutionException.class);
    }
}
