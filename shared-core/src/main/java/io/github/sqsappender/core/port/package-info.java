/**
 * The ports the engine talks through, implemented by {@code core.aws} with the AWS SDK and by the
 * test kit in memory: {@link io.github.sqsappender.core.port.SqsSender} (look the queue up, send a
 * batch of {@link io.github.sqsappender.core.port.WireMessage}s) and
 * {@link io.github.sqsappender.core.port.S3Store} (put an {@link io.github.sqsappender.core.port.S3Put}),
 * failing with a {@link io.github.sqsappender.core.port.SendFailure} that says whether a retry may
 * succeed. Not an API: types here may change in any release.
 */
package io.github.sqsappender.core.port;
