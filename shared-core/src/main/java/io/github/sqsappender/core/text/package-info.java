/**
 * Pure text rules, without state or threads: what SQS accepts and how it counts
 * ({@link io.github.sqsappender.core.text.Utf8}, {@link io.github.sqsappender.core.text.BodySanitizer},
 * {@link io.github.sqsappender.core.text.MessageAttribute}), how a body is cut to a limit
 * ({@link io.github.sqsappender.core.text.Truncator}), and the packed record format
 * ({@link io.github.sqsappender.core.text.JsonRecord}). Not an API: types here may change in any
 * release. Every method is safe from any thread.
 */
package io.github.sqsappender.core.text;
