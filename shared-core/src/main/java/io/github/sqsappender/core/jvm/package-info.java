/**
 * The JVM plumbing around one pipeline, outside the engine: its metrics and their MBean
 * ({@link io.github.sqsappender.core.jvm.MetricsRecorder},
 * {@link io.github.sqsappender.core.jvm.MBeanRegistration}), rate-limited status reports
 * ({@link io.github.sqsappender.core.jvm.RateLimitedStatus}), the exit hook
 * ({@link io.github.sqsappender.core.jvm.ExitHook}), the guard that keeps the appender's own
 * threads and the SDK's logging from feeding back into it
 * ({@link io.github.sqsappender.core.jvm.FeedbackGuard}), the host name
 * ({@link io.github.sqsappender.core.jvm.HostName}), and the pipeline's helper threads
 * ({@link io.github.sqsappender.core.jvm.WorkerThread}, joined with
 * {@link io.github.sqsappender.core.jvm.ThreadJoins}). Not an API: types here may change in any
 * release.
 */
package io.github.sqsappender.core.jvm;
