package io.github.sqsappender.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqsAppenderConfigTest {

    private static final String URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/app-logs";

    @Test
    void defaultsAreTheDocumentedOnes() throws Exception {
        SqsAppenderConfig c = SqsAppenderConfig.builder("a").set("queueUrl", URL).build();
        assertThat(c.maxBatchSize()).isEqualTo(10);
        assertThat(c.lingerMs()).isEqualTo(200);
        assertThat(c.maxMessageBytes()).isZero();
        assertThat(c.bufferCapacity()).isEqualTo(1_048_576);
        assertThat(c.maxBufferBytes()).isEqualTo(33_554_432);
        assertThat(c.overflowPolicy()).isEqualTo(OverflowPolicy.DROP);
        assertThat(c.blockTimeoutMs()).isEqualTo(1_000);
        assertThat(c.maxInFlight()).isEqualTo(8);
        assertThat(c.deliveryTimeoutMs()).isEqualTo(60_000);
        assertThat(c.shutdownTimeoutMs()).isEqualTo(10_000);
        assertThat(c.largeMessagePolicy()).isEqualTo(LargeMessagePolicy.TRUNCATE);
        assertThat(c.s3KeyPrefix()).isEqualTo("sqs-appender/");
        assertThat(c.fallback()).isEqualTo(Fallback.NONE);
        assertThat(c.s3Endpoint()).isNull();
        assertThat(c.usesS3()).isFalse();
        assertThat(c.deduplication()).isEqualTo(Deduplication.UNIQUE);
        assertThat(c.jmx()).isTrue();
        assertThat(c.isFifo()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "maxBatchSize|11|maxBatchSize=11",
        "maxBatchSize|0|maxBatchSize=0",
        "maxBatchSize|ten|maxBatchSize=ten",
        "lingerMs|-1|lingerMs=-1",
        "maxMessageBytes|100|maxMessageBytes=100",
        "maxMessageBytes|2000000|maxMessageBytes=2000000",
        "bufferCapacity|0|bufferCapacity=0",
        "maxBufferBytes|-5|maxBufferBytes=-5",
        "overflowPolicy|wait|overflowPolicy=wait",
        "blockTimeoutMs|-10|blockTimeoutMs=-10",
        "maxInFlight|0|maxInFlight=0",
        "deliveryTimeoutMs|0|deliveryTimeoutMs=0",
        "shutdownTimeoutMs|-1|shutdownTimeoutMs=-1",
        "largeMessagePolicy|split|largeMessagePolicy=split",
        "largeMessagePolicy|s3|largeMessagePolicy=s3",
        "deduplication|none|deduplication=none",
        "jmx|yes|jmx=yes",
        "region|Mars|region=Mars",
        "endpoint|not a url|endpoint=not a url",
        "endpoint|ftp://host|endpoint=ftp://host",
        "messageAttributes|level,colour|messageAttributes=level,colour",
        "messageAttributes|mdc:|messageAttributes=mdc:",
        "fallback|s3|fallback=s3",
        "fallback|disk|fallback=disk",
        "s3Bucket|My_Bucket|s3Bucket=My_Bucket",
        "s3Bucket|ab|s3Bucket=ab",
        "s3KeyPrefix|/logs/|s3KeyPrefix=/logs/",
        "s3KeyPrefix|logs//x|s3KeyPrefix=logs//x",
        "s3KeyPrefix|logs/../x|s3KeyPrefix=logs/../x",
        "s3KeyPrefix|a\\b|s3KeyPrefix=a\\b",
        "s3Endpoint|localhost:9000|s3Endpoint=localhost:9000",
        "roleArn|role/x|roleArn=role/x",
        "queueOwnerAccountId|12|queueOwnerAccountId=12",
    })
    void rejectsBadValuesNamingTheAttributeAndValue(String attribute, String value, String expected) {
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set(attribute, value).build())
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.problems()).hasSize(1).first().asString().startsWith(expected));
    }

    @Test
    void anUnresolvedPropertyReferenceIsReportedAsSuchInEitherFrameworksSpelling() {
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", "${sys:logs.queueUrl}").build())
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "queueUrl=${sys:logs.queueUrl} is an unresolved property reference: define the property (system "
                                + "property, environment variable, Spring or framework property) or remove the attribute"));
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("region", "AWS_REGION_IS_UNDEFINED").build())
                .hasMessageContaining("region=AWS_REGION_IS_UNDEFINED is an unresolved property reference");
        // Partly resolved, a secret's value may hold the secret: shown by length, like any other problem with it.
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL)
                .set("roleArn", "arn:aws:iam::123456789012:role/shipper").set("externalId", "s3cr3t-${env:EXTERNAL_ID}").build())
                .hasMessageContaining("externalId=(hidden, 25 characters) is an unresolved property reference")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void aMessageGroupPatternMayHoldALookupEvaluatedPerEvent() throws Exception {
        SqsAppenderConfig c = SqsAppenderConfig.builder("a").set("queueUrl", URL + ".fifo").set("messageGroupId", "${ctx:tenant}").build();
        assertThat(c.messageGroupPattern()).isEqualTo("${ctx:tenant}");
    }

    @Test
    void s3NeedsABucketAndNamesEveryAttributeThatUsesIt() {
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL)
                .set("largeMessagePolicy", "s3").set("fallback", "s3").build())
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly("largeMessagePolicy=s3 and fallback=s3 needs s3Bucket: set the bucket to write to"));
    }

    @Test
    void aKeyPrefixWithAControlCharacterIsRejected() throws Exception {
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("s3KeyPrefix", "logs\n/").build())
                .hasMessageContaining("s3KeyPrefix=logs\n/ is invalid");
        // The key is part of the pointer's body: a character SQS refuses there would refuse every pointer.
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("s3KeyPrefix", "logs\uFFFF/").build())
                .hasMessageContaining("s3KeyPrefix=logs\uFFFF/ is invalid: must hold only characters SQS accepts");
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("s3KeyPrefix", "logs\uD800/").build())
                .hasMessageContaining("no unpaired surrogate");
        assertThat(SqsAppenderConfig.builder("a").set("queueUrl", URL).set("s3KeyPrefix", "\uD83D\uDCDC-logs/").build()
                .s3KeyPrefix()).isEqualTo("\uD83D\uDCDC-logs/");
    }

    @Test
    void offloadLeavesRoomForItsOwnAttribute() {
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("largeMessagePolicy", "s3")
                .set("s3Bucket", "logs-bucket").set("messageAttributes",
                        "level,logger,thread,host,timestamp,mdc:a,mdc:b,mdc:c,mdc:d,mdc:e").build())
                .hasMessageContaining("ExtendedPayloadSize").hasMessageContaining("at most 9");
    }

    @Test
    void aCompleteS3ConfigurationIsAccepted() throws Exception {
        SqsAppenderConfig c = SqsAppenderConfig.builder("a").set("queueUrl", URL).set("largeMessagePolicy", "s3")
                .set("fallback", "s3").set("s3Bucket", "my.log-bucket-1").set("s3KeyPrefix", "app/prod/")
                .set("s3Endpoint", "http://127.0.0.1:9000").build();
        assertThat(c.usesS3()).isTrue();
        assertThat(c.largeMessagePolicy()).isEqualTo(LargeMessagePolicy.S3);
        assertThat(c.fallback()).isEqualTo(Fallback.S3);
        assertThat(c.s3Bucket()).isEqualTo("my.log-bucket-1");
        assertThat(c.s3KeyPrefix()).isEqualTo("app/prod/");
        assertThat(c.s3Endpoint()).hasToString("http://127.0.0.1:9000");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a")
                .setAll(Map.of("maxBatchSize", "11", "lingerMs", "-1", "overflowPolicy", "x")).build())
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.problems()).hasSize(4).anySatisfy(p -> assertThat(p).contains("queueUrl is required")));
    }

    @Test
    void rejectsMalformedQueueUrl() {
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", "sqs://nowhere").build())
                .hasMessageContaining("queueUrl=sqs://nowhere");
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", "http://exa mple.com/q").build())
                .hasMessageContaining("queueUrl=http://exa mple.com/q");
    }

    @Test
    void rejectsTooManyAttributes() {
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("messageAttributes",
                "level,logger,thread,host,timestamp,mdc:a,mdc:b,mdc:c,mdc:d,mdc:e,mdc:f").build())
                .hasMessageContaining("at most 10");
    }

    @Test
    void unknownAttributeNameIsAProgrammingError() {
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("maxBatch", "3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatch");
    }

    @Test
    void detectsFifoFromUrlOrName() throws Exception {
        assertThat(SqsAppenderConfig.builder("a").set("queueUrl", URL + ".fifo").build().isFifo()).isTrue();
        assertThat(SqsAppenderConfig.builder("a").set("queueName", "logs.fifo").build().isFifo()).isTrue();
    }

    @Test
    void queueNamesUpToEightyCharactersWithTheFifoSuffixCounted() throws Exception {
        String eighty = "q".repeat(80);
        assertThat(SqsAppenderConfig.builder("a").set("queueName", eighty).build().queueName()).isEqualTo(eighty);
        String fifo = "q".repeat(75) + ".fifo";
        assertThat(SqsAppenderConfig.builder("a").set("queueName", fifo).build().isFifo()).isTrue();
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueName", "q".repeat(81)).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("queueName=" + "q".repeat(81) + " is invalid");
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueName", "q".repeat(76) + ".fifo").build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("is invalid: up to 80 characters");
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueName", "my logs").build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("queueName=my logs is invalid");
    }

    @Test
    void anMdcKeyThatMakesAnAttributeNameOverSqsLimitIsRejectedNamingIt() throws Exception {
        String key = "k".repeat(253); // mdc. + 253 = 257 characters
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("messageAttributes", "mdc:" + key).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("messageAttributes=mdc:" + key).hasMessageContaining("257 characters; SQS allows 256");
        SqsAppenderConfig fits = SqsAppenderConfig.builder("a").set("queueUrl", URL).set("messageAttributes", "mdc:" + key.substring(1)).build();
        assertThat(fits.messageAttributes().get(0).attributeName()).hasSize(256);
    }

    @Test
    void mdcKeysBecomeAttributeNamesSqsAccepts() throws Exception {
        SqsAppenderConfig c = SqsAppenderConfig.builder("a").set("queueUrl", URL)
                .set("messageAttributes", "mdc:request id,mdc:.hidden,mdc:a..b,mdc:tail.,mdc:x.y").build();
        assertThat(c.messageAttributes()).extracting(AttributeSpec::attributeName)
                .containsExactly("mdc.request_id", "mdc._hidden", "mdc.a._b", "mdc.tail_", "mdc.x.y");
    }

    @Test
    void roleSessionNameAndExternalIdAreCheckedAsStsWouldAtStart() throws Exception {
        String role = "arn:aws:iam::123456789012:role/shipper";
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("roleArn", role)
                .set("roleSessionName", "my session").build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("roleSessionName=my session is invalid");
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("roleArn", role)
                .set("roleSessionName", "s".repeat(65)).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("is invalid: STS takes 2 to 64");
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("roleArn", role)
                .set("externalId", "x").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("externalId=(hidden, 1 characters) is invalid");
        SqsAppenderConfig ok = SqsAppenderConfig.builder("a").set("queueUrl", URL).set("roleArn", role)
                .set("roleSessionName", "emr-step_7@prod.eu=1,2").set("externalId", "tenant:42/a").build();
        assertThat(ok.roleSessionName()).isEqualTo("emr-step_7@prod.eu=1,2");
    }

    @Test
    void anExternalIdNeverAppearsInAnErrorAndEachAttributeThatNeedsARoleIsNamed() {
        String secret = "tenant 42 secret"; // invalid: a space
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL)
                .set("roleArn", "arn:aws:iam::123456789012:role/shipper").set("externalId", secret).build())
                .hasMessageContaining("externalId=(hidden, 16 characters) is invalid").hasMessageNotContaining(secret);
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL)
                .set("roleSessionName", "emr-step").set("externalId", "tenant:42").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("roleSessionName=emr-step needs roleArn")
                .hasMessageContaining("externalId=(hidden, 9 characters) needs roleArn")
                .hasMessageNotContaining("tenant:42");
    }

    @Test
    void fifoOnlyAttributesOnAStandardQueueAreReportedAsIgnoredNotRejected() throws Exception {
        SqsAppenderConfig standard = SqsAppenderConfig.builder("a").set("queueUrl", URL)
                .set("messageGroupId", "%X{tenant}").set("deduplication", "content").build();
        assertThat(standard.messageGroupPattern()).isNull();
        assertThat(standard.ignoredAttributes()).hasSize(2);
        assertThat(standard.ignoredAttributes().get(0)).startsWith("messageGroupId=%X{tenant} is ignored")
                .contains("FIFO queues only");
        assertThat(standard.ignoredAttributes().get(1)).startsWith("deduplication=content is ignored");
        SqsAppenderConfig fifo = SqsAppenderConfig.builder("a").set("queueUrl", URL + ".fifo")
                .set("messageGroupId", "%X{tenant}").set("deduplication", "content").build();
        assertThat(fifo.ignoredAttributes()).isEmpty();
        assertThat(fifo.messageGroupPattern()).isEqualTo("%X{tenant}");
        assertThat(SqsAppenderConfig.builder("a").set("queueUrl", URL).build().ignoredAttributes()).isEmpty();
    }

    @Test
    void theStartedPipelineReportsEachIgnoredAttributeOnceAsAWarning() throws Exception {
        SqsAppenderConfig c = SqsAppenderConfig.builder("a").set("queueUrl", URL).set("jmx", "false")
                .set("messageGroupId", "tenant").build();
        io.github.sqsappender.core.testing.RecordingStatus status = new io.github.sqsappender.core.testing.RecordingStatus();
        SqsPipeline p = SqsPipeline.create(c, status, new io.github.sqsappender.core.testing.InMemorySqsSender(), System::nanoTime);
        p.start();
        p.start();
        p.stop(1_000);
        assertThat(status.warnings).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .isEqualTo("sqs-appender 'a': " + c.ignoredAttributes().get(0));
    }

    @Test
    void anOwnerAccountBesideAQueueUrlIsReportedAsIgnored() throws Exception {
        SqsAppenderConfig c = SqsAppenderConfig.builder("a").set("queueUrl", URL)
                .set("queueOwnerAccountId", "210987654321").build();
        assertThat(c.ignoredAttributes()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("queueOwnerAccountId=210987654321 is ignored");
        assertThat(SqsAppenderConfig.builder("a").set("queueName", "app-logs")
                .set("queueOwnerAccountId", "210987654321").build().ignoredAttributes()).isEmpty();
    }

    @Test
    void attributesOfAFeatureThatIsOffAreReportedAsIgnored() throws Exception {
        SqsAppenderConfig c = SqsAppenderConfig.builder("a").set("queueUrl", URL).set("s3Bucket", "logs-bkt")
                .set("s3KeyPrefix", "app/").set("s3Endpoint", "http://127.0.0.1:9000").set("blockTimeoutMs", "50")
                .set("maxPackBytes", "65536").build();
        assertThat(c.ignoredAttributes()).containsExactly(
                "s3Bucket=logs-bkt is ignored: S3 is used only with fallback=s3 or largeMessagePolicy=s3",
                "s3KeyPrefix=app/ is ignored: S3 is used only with fallback=s3 or largeMessagePolicy=s3",
                "s3Endpoint=http://127.0.0.1:9000 is ignored: S3 is used only with fallback=s3 or largeMessagePolicy=s3",
                "blockTimeoutMs=50 is ignored: it applies with overflowPolicy=block",
                "maxPackBytes=65536 is ignored: it applies with packing=ndjson");
        assertThat(SqsAppenderConfig.builder("a").set("queueUrl", URL).set("s3Bucket", "logs-bkt").set("fallback", "s3")
                .set("overflowPolicy", "block").set("blockTimeoutMs", "50").set("packing", "ndjson")
                .set("maxPackBytes", "65536").build().ignoredAttributes()).isEmpty();
        assertThat(SqsAppenderConfig.builder("a").set("queueUrl", URL).set("s3Bucket", "logs-bkt")
                .set("largeMessagePolicy", "s3").build().ignoredAttributes()).isEmpty();
    }

    @Test
    void theDefaultPackSizeIsCappedAtASmallerMaxMessageBytesNotRejected() throws Exception {
        SqsAppenderConfig c = SqsAppenderConfig.builder("a").set("queueUrl", URL).set("packing", "ndjson")
                .set("maxMessageBytes", "65536").build();
        assertThat(c.maxPackBytes()).isEqualTo(65_536);
        assertThat(SqsAppenderConfig.builder("a").set("queueUrl", URL).set("packing", "ndjson")
                .set("maxMessageBytes", "1048576").build().maxPackBytes()).isEqualTo(262_144);
        assertThat(SqsAppenderConfig.builder("a").set("queueUrl", URL).set("packing", "ndjson")
                .build().maxPackBytes()).isEqualTo(262_144); // the queue's limit, read at start, caps it then
    }

    @Test
    void unloadableClientFactoryIsAClearErrorAtStartNamingTheAttribute() throws Exception {
        SqsAppenderConfig c = SqsAppenderConfig.builder("a").set("queueUrl", URL)
                .set("clientFactory", "com.example.NoSuchFactory").set("jmx", "false").build();
        assertThatThrownBy(() -> SqsPipeline.create(c, StatusPort.silent()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("clientFactory=com.example.NoSuchFactory");
        SqsAppenderConfig notAFactory = SqsAppenderConfig.builder("a").set("queueUrl", URL)
                .set("clientFactory", "java.lang.String").build();
        assertThatThrownBy(() -> SqsPipeline.create(notAFactory, StatusPort.silent()))
                .hasMessageContaining("does not implement");
    }

    @Test
    void blankMeansDefault() throws Exception {
        assertThat(SqsAppenderConfig.builder("a").set("queueUrl", URL).set("maxBatchSize", " ").build().maxBatchSize())
                .isEqualTo(10);
    }

    @Test
    void packingCombinationsThatCannotWorkAreRejectedNamingEveryAttribute() {
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("compression", "gzip").build())
                .hasMessageContaining("compression=gzip is invalid without packing");
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("packing", "ndjson")
                .set("messageAttributes", "host,level").build())
                .hasMessageContaining("messageAttributes=host,level is invalid with packing=ndjson")
                .hasMessageContaining("'level'");
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("packing", "ndjson")
                .set("messageAttributes", "mdc:tenant").build()).hasMessageContaining("'mdc:tenant'");
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("packing", "ndjson")
                .set("maxPackBytes", "100").build()).hasMessageContaining("maxPackBytes=100 is invalid: must be between 1024");
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("packing", "ndjson")
                .set("maxMessageBytes", "65536").set("maxPackBytes", "131072").build())
                .hasMessageContaining("maxPackBytes=131072 is invalid: above maxMessageBytes=65536");
        assertThatThrownBy(() -> SqsAppenderConfig.builder("a").set("queueUrl", URL).set("packing", "zip").build())
                .hasMessageContaining("packing=zip is invalid: must be one of none, ndjson");
    }

    @Test
    void packingWithConstantAttributesAndGzipIsAccepted() throws Exception {
        SqsAppenderConfig c = SqsAppenderConfig.builder("a").set("queueUrl", URL).set("packing", "ndjson")
                .set("compression", "gzip").set("messageAttributes", "host").build();
        assertThat(c.isPacking()).isTrue();
        assertThat(c.compression()).isEqualTo(Compression.GZIP);
        assertThat(c.maxPackBytes()).isEqualTo(262_144);
    }
}
