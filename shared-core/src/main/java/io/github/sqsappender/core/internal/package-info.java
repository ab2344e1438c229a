/**
 * The engine behind the appenders. Not an API: types here may change in any release.
 *
 * <h2>Threading model</h2>
 * <ul>
 *   <li><b>Application threads</b> format the event (in the adapter), then
 *   {@link io.github.sqsappender.core.internal.MessageEncoder#encode encode} it into an immutable
 *   {@link io.github.sqsappender.core.internal.SqsMessage} (sanitized, sized) and
 *   {@link io.github.sqsappender.core.internal.BatchingDispatcher#offer offer} it: one CAS on the
 *   {@link io.github.sqsappender.core.internal.BufferBudget} and one lock-free JCTools MPSC offer.
 *   No locks, no I/O, no allocation beyond the message itself. They unpark the dispatcher only
 *   when a full batch is waiting or the dispatcher is idle.</li>
 *   <li><b>One dispatcher thread</b> per appender ({@code sqs-appender-NAME}, daemon) owns all
 *   mutable batching state: the open batch, the retry queue, the in-flight set, flush requests.
 *   Its loop step {@code runOnce(now)} takes the time as an argument and returns how long to
 *   park, so tests drive it with a manual ticker and no threads. It is stopped with a flag and an
 *   unpark, never an interrupt (an interrupt would close NIO channels mid-write).</li>
 *   <li><b>SDK I/O threads</b> ({@code sqs-appender-NAME-io-N}) complete request futures; the
 *   completion callback only enqueues the result on a concurrent queue and unparks the
 *   dispatcher, which processes it on its own thread.</li>
 * </ul>
 *
 * <h2>Accounting</h2>
 * Every event that reaches {@code append} ends in exactly one of: sent (SQS acknowledged it) or
 * dropped with a reason (overflow, oversize, undeliverable, shutdown, empty). The budget is
 * released exactly once per held event, when it is finished either way.
 */
package io.github.sqsappender.core.internal;
