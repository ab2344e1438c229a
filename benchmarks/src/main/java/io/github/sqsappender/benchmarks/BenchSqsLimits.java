package io.github.sqsappender.benchmarks;

import org.elasticmq.Limit;
import org.elasticmq.Limits;
import org.elasticmq.NoLimit$;
import org.elasticmq.RangeLimit;
import org.elasticmq.StrictSQSLimits$;
import scala.collection.immutable.List;
import scala.math.BigDecimal;

/**
 * SQS's limits as ElasticMQ enforces them ({@code StrictSQSLimits}: batch size, message size,
 * attributes, wait time), except the check of each body character against SQS's allowed ranges.
 *
 * <p>Why: ElasticMQ 1.7.1 checks every code point of every body by walking a Scala {@code List} of
 * boxed ranges. A JFR profile of the benchmark's server during a packed run put half its samples
 * there, about 10 µs of CPU per 200-byte event, on the two cores the client JVM is measured on.
 * SQS does that check on its own machines. Every contender's bodies are valid (the harness counts
 * what arrives), and the integration tests keep ElasticMQ's strict check, which is where the
 * appender's character handling is verified.
 */
final class BenchSqsLimits implements Limits {

    static final BenchSqsLimits INSTANCE = new BenchSqsLimits();

    private static final Limits STRICT = StrictSQSLimits$.MODULE$;

    private BenchSqsLimits() {
    }

    @Override
    public Limit<Object> queueNameLengthLimit() {
        return STRICT.queueNameLengthLimit();
    }

    @Override
    public Limit<Object> batchSizeLimit() {
        return STRICT.batchSizeLimit();
    }

    @Override
    public Limit<RangeLimit<Object>> numberOfMessagesLimit() {
        return STRICT.numberOfMessagesLimit();
    }

    @Override
    public Limit<Object> nonEmptyAttributesLimit() {
        return STRICT.nonEmptyAttributesLimit();
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Limit<List<RangeLimit<Object>>> bodyValidCharactersLimit() {
        return (Limit) NoLimit$.MODULE$;
    }

    @Override
    public Limit<RangeLimit<BigDecimal>> numberAttributeValueLimit() {
        return STRICT.numberAttributeValueLimit();
    }

    @Override
    public Limit<RangeLimit<Object>> messageWaitTimeLimit() {
        return STRICT.messageWaitTimeLimit();
    }

    @Override
    public Limit<Object> maxMessageLength() {
        return STRICT.maxMessageLength();
    }

    @Override
    public Limit<Object> messageAttributesLimit() {
        return STRICT.messageAttributesLimit();
    }
}
