/**
 * The engine behind the appenders. Not an API: types here may change in any release.
 *
 * <h2>Threading model</h2>
 * <ul>
 *   <li><b>Application threads</b> format the event (in the adapter), then
 *   {@link io.github.sqsappender.core.internal.MessageEncoder#encode encode} it into an immutable
 *   {@link io.github.sqsappender.core.internal.IntakeEvent} (sanitized, sized; with packing, its
 *   record measured in the same pass, so the dispatcher groups events by size alone) and
 *   {@link io.github.sqsappender.core.internal.Intake#offer offer} it: one CAS on the
 *   {@link io.github.sqsappender.core.internal.BufferBudget} and one lock-free JCTools MPSC offer.
 *   No locks, no I/O, no allocation beyond the message itself. They unpark the dispatcher only
 *   when a full batch is waiting or the dispatcher is idle. {@code flush} puts a marker on the
 *   same queue (at most 64 at once; further flushes ride on a later marker).</li>
 *   <li><b>One dispatcher thread</b> per appender ({@code sqs-appender-NAME}, daemon) owns every
 *   stage below and all their mutable state. Its loop step
 *   {@link io.github.sqsappender.core.internal.Dispatcher#runOnce runOnce(now)} takes the time as
 *   an argument and returns how long to park, so tests drive it with a manual ticker and no
 *   threads. It is stopped with a flag and an unpark, never an interrupt (an interrupt would close
 *   NIO channels mid-write).</li>
 *   <li><b>The pack thread</b> ({@code sqs-appender-NAME-pack}, with packing) writes each closed
 *   pack's records into its body and deflates it with gzip ({@link io.github.sqsappender.core.internal.PackJob});
 *   the dispatcher takes the messages in the order their packs closed.</li>
 *   <li><b>The send thread</b> ({@code sqs-appender-NAME-send}) hands each batch to the SDK, which
 *   marshals and signs it there.</li>
 *   <li><b>SDK I/O threads</b> ({@code sqs-appender-NAME-io-N}) complete request futures; the
 *   completion callback only queues the result and unparks the dispatcher.</li>
 * </ul>
 *
 * <h2>One step: {@code runOnce(now)}</h2>
 * {@link io.github.sqsappender.core.internal.Stages} wires the stages once;
 * {@link io.github.sqsappender.core.internal.Dispatcher#runOnce runOnce} calls them in this order:
 * <ol>
 *   <li><b>Stop phase</b> — {@link io.github.sqsappender.core.internal.StopPlan}: running,
 *   draining, cut-over (with a fallback, the last part of {@code shutdownTimeoutMs}), deadline.</li>
 *   <li><b>Resolve the queue</b> — {@link io.github.sqsappender.core.internal.QueueResolver} finds
 *   it and its limit, off the callers' threads, retrying with backoff; nothing is sent before.</li>
 *   <li><b>Apply outcomes</b> — {@link io.github.sqsappender.core.internal.InFlightRequests} hands
 *   over completed requests; {@link io.github.sqsappender.core.internal.OutcomeRouter} (a pure
 *   function) says for each message: delivered, retry or rejected;
 *   {@link io.github.sqsappender.core.internal.Outcomes} carries that out through the ledger, the
 *   {@link io.github.sqsappender.core.internal.RetryQueue} (bounded by {@code deliveryTimeoutMs}),
 *   the {@link io.github.sqsappender.core.internal.SendGate} (pause and backoff after whole-request
 *   failures) and {@link io.github.sqsappender.core.internal.Undeliverable}, the one place a
 *   message is given up.</li>
 *   <li><b>At the deadline</b>, settle what S3 stored and give up the rest; stop.</li>
 *   <li><b>Offload</b> — an {@link io.github.sqsappender.core.internal.S3Stage}: the
 *   {@link io.github.sqsappender.core.internal.Offloader} writes too-large bodies to S3, or
 *   {@link io.github.sqsappender.core.internal.S3Stage#NONE}.</li>
 *   <li><b>Cut-over</b> ({@link io.github.sqsappender.core.internal.CutOver}: everything
 *   undelivered to the fallback) <b>or expiry</b> (while the queue is unknown, events older than
 *   {@code deliveryTimeoutMs} are given up).</li>
 *   <li><b>Fallback</b> — the {@link io.github.sqsappender.core.internal.FallbackWriter} collects
 *   given-up events into gzip'ed NDJSON objects, or {@code NONE}. Offload and fallback share one
 *   retrying put lifecycle, {@link io.github.sqsappender.core.internal.S3Writes}.</li>
 *   <li><b>Send what is due</b> — {@link io.github.sqsappender.core.internal.SendStage}: the
 *   {@link io.github.sqsappender.core.internal.MessageAssembler} takes events from the
 *   {@link io.github.sqsappender.core.internal.Intake} and makes SQS messages (one event each, or
 *   packs, gzip'ed or not; the {@link io.github.sqsappender.core.internal.OffloadingAssembler}
 *   wraps it for S3 offload); {@link io.github.sqsappender.core.internal.BatchAssembler} fills the
 *   open batch (due retries first) and says when it is due; the sealed
 *   {@link io.github.sqsappender.core.internal.Batch} assigns the entry ids; it is sent within
 *   {@code maxInFlight}.</li>
 *   <li><b>End of step</b> — the ledger releases settled events' room and blocked producers wake;
 *   the {@link io.github.sqsappender.core.internal.DropReporter} reports drops, rate-limited.</li>
 *   <li><b>Drained?</b> When stopping and nothing is held, finish; otherwise return how long to
 *   park (the earliest of: the next send, the next phase, the next S3 write), with the wake-up for
 *   new events armed. {@link io.github.sqsappender.core.internal.DispatcherLoop} parks for it.</li>
 * </ol>
 *
 * <h2>Accounting</h2>
 * The {@link io.github.sqsappender.core.internal.Ledger} is the one account of every event the
 * dispatcher has taken from the intake: how many are held and in which
 * {@link io.github.sqsappender.core.internal.Holding} state, and the single exit through which
 * each leaves — sent, or dropped with a reason (oversize, undeliverable, shutdown). Flush
 * completion, stop, the stop-deadline abandon and the final sweep ask it and nothing else. Events
 * refused at the door (empty, oversize on the caller's thread, overflow, after the end) are
 * counted where they are refused. So every event that reaches {@code append} is counted exactly
 * once, and the budget is released exactly once per admitted event.
 *
 * <h2>Around the engine</h2>
 * Three packages hold what is not the engine: {@code core.text} (pure text rules: UTF-8 sizes,
 * sanitizing, truncation, the packed record), {@code core.jvm} (the JVM plumbing around one
 * pipeline: metrics, MBean, rate-limited status, exit hook, feedback guard, host name) and
 * {@code core.port} (the SQS and S3 ports that {@code core.aws} and the test kit implement, with
 * the wire message they carry). The engine stays one package: the ledger and the outgoing
 * message are used by every stage.
 */
package io.github.sqsappender.core.internal;
