package io.github.sqsappender.core.internal;

import io.github.sqsappender.core.DropReason;
import io.github.sqsappender.core.Ticker;
import org.jctools.queues.MpscArrayQueue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves encoded events from the application threads to SQS in batches.
 *
 * <h2>Producer side (any thread)</h2>
 * {@link #offer} reserves room in the {@link BufferBudget} and puts the message on a bounded
 * lock-free JCTools {@link MpscArrayQueue}. It never blocks and never does I/O; it may unpark the
 * dispatcher thread, but only when a full batch is ready or the dispatcher is idle.
 * {@link #requestFlush()} and {@link #requestStop(long)} may also be called from any thread.
 *
 * <h2>Consumer side (the dispatcher thread only)</h2>
 * {@link #runOnce(long)} is one step of the loop: take completed requests, resolve the queue if
 * needed, fill a batch, send it when it has {@code maxBatchSize} entries, when one more would
 * pass the 1 MiB batch limit, or when its oldest event has waited {@code lingerMs}; keep up to
 * {@code maxInFlight} requests in flight; put failed entries back with backoff. It returns how
 * long the thread may park. Because time is passed in, tests drive it with a manual ticker and no
 * threads. <b>WARNING:</b> calling {@code runOnce} from two threads corrupts its state.
 */
public final class BatchingDispatcher {

    /** SQS rejects a SendMessageBatch whose entries total more than this. */
    public static final int MAX_BATCH_BYTES = 1_048_576; // SQS quota: 1 MiB per batch request
    /** Returned by {@link #runOnce} once the dispatcher has finished after a stop. */
    public static final long FINISHED = -1;
    /** Returned by {@link #runOnce} when only a wake-up (event, completion) can make progress. */
    public static final long UNTIL_WOKEN = Long.MAX_VALUE;

    private static final int NO_WAKE = Integer.MAX_VALUE;
    private static final int MARKER_SLACK = 64;
    private static final long MAX_RESOLVE_BACKOFF_NANOS = 30_000_000_000L;
    private static final long DROP_REPORT_INTERVAL_NANOS = 10_000_000_000L;

    // --- configuration (immutable)
    private final String name;
    private final int maxBatchSize;
    private final long lingerNanos;
    private final int maxInFlight;
    private final boolean fifo;
    private final long deliveryTimeoutNanos;
    private final int configuredMaxMessageBytes;
    private final SqsSender sender;
    private final MessageEncoder encoder;
    private final MetricsRecorder metrics;
    private final RateLimitedStatus status;
    private final Backoff backoff;
    private final Ticker ticker;

    // --- shared between producers and the dispatcher
    private final MpscArrayQueue<Object> queue;
    private final BufferBudget budget;
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Object> resolveOutcome = new AtomicReference<>();
    private final AtomicInteger flushMarkersQueued = new AtomicInteger();
    private final ConcurrentLinkedQueue<Thread> roomWaiters = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;
    private volatile int wakeThreshold = NO_WAKE;
    private volatile boolean stopRequested;
    private volatile long stopDeadline;
    private volatile boolean finished;
    private volatile int inFlightGauge;

    // --- dispatcher thread only
    private SqsSender.QueueTarget target;
    private boolean resolving;
    private long nextResolveAt;
    private int resolveFailures;
    private final List<PendingEntry> open = new ArrayList<>(10);
    private int openBytes;
    private long openOldest = Long.MAX_VALUE;
    private boolean openSealed;
    private PendingEntry carry;
    private final PriorityQueue<PendingEntry> retries = new PriorityQueue<>(
            Comparator.<PendingEntry>comparingLong(e -> e.notBefore).thenComparingLong(e -> e.sequence));
    private final Set<Completion> inFlight = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private long pausedUntil;
    private int consecutiveRequestFailures;
    private long lastEscalationAt;
    private int freedSinceLastWake;
    private int releaseEvents;
    private long releaseBytes;
    private long nextSequence;
    private final List<FlushRequest> activeFlushes = new ArrayList<>();
    private long nextDropReportAt;
    private long droppedAtLastReport;

    /** Everything the dispatcher needs; built by the pipeline. */
    public record Settings(String name, int maxBatchSize, long lingerMs, int maxInFlight, boolean fifo,
                           long deliveryTimeoutMs, int configuredMaxMessageBytes, int bufferCapacity,
                           long maxBufferBytes) {
    }

    public BatchingDispatcher(Settings settings, SqsSender sender, MessageEncoder encoder, MetricsRecorder metrics,
                              RateLimitedStatus status, Backoff backoff, Ticker ticker) {
        this.name = settings.name();
        this.maxBatchSize = settings.maxBatchSize();
        this.lingerNanos = settings.lingerMs() * 1_000_000L;
        // FIFO order across retries needs one request at a time: a later batch must not overtake
        // an earlier one that is being retried.
        this.maxInFlight = settings.fifo() ? 1 : settings.maxInFlight();
        this.fifo = settings.fifo();
        this.deliveryTimeoutNanos = settings.deliveryTimeoutMs() * 1_000_000L;
        this.configuredMaxMessageBytes = settings.configuredMaxMessageBytes();
        this.sender = sender;
        this.encoder = encoder;
        this.metrics = metrics;
        this.status = status;
        this.backoff = backoff;
        this.ticker = ticker;
        this.queue = new MpscArrayQueue<>(settings.bufferCapacity() + MARKER_SLACK);
        this.budget = new BufferBudget(settings.bufferCapacity(), settings.maxBufferBytes());
        metrics.bindGauges(budget::events, budget::bytes, () -> inFlightGauge);
        // Deadlines compare by subtraction (nanoTime may be negative): start them at "now".
        long start = ticker.read();
        this.nextResolveAt = start;
        this.pausedUntil = start;
        this.lastEscalationAt = start;
        this.nextDropReportAt = start;
    }

    // ------------------------------------------------------------------ producer side

    /**
     * Hands one message to the dispatcher. Callable from any thread; never blocks, never throws.
     *
     * @return true if the message is now held (it will be delivered or counted); false if the
     *         buffer has no room for it — the caller decides whether to wait or count the drop
     */
    public boolean offer(SqsMessage message) {
        if (finished) {
            metrics.dropped(DropReason.SHUTDOWN);
            return true; // counted: the caller must not count it again
        }
        if (!budget.tryAcquire(message.sizeBytes(), message.important())) {
            if (budget.isClosed()) {
                metrics.dropped(DropReason.SHUTDOWN); // the dispatcher finished while we got here
                return true;
            }
            return false;
        }
        queue.offer(message); // cannot fail: the budget admits at most bufferCapacity events
        int threshold = wakeThreshold;
        if (threshold != NO_WAKE && queue.size() >= threshold) {
            wake();
        }
        return true;
    }

    /**
     * Offers {@code message}, waiting for room until {@code deadlineNanos} (ticker time) if the
     * buffer is full — the {@code overflowPolicy=block} path. The caller parks and is woken by the
     * dispatcher when it frees room, so a blocked producer costs no CPU while it waits. Any thread
     * except the dispatcher's own.
     *
     * @return true if the message is now held (or counted); false if the deadline passed first
     */
    public boolean offerWaiting(SqsMessage message, long deadlineNanos) {
        Thread self = Thread.currentThread();
        try {
            while (true) {
                if (offer(message)) {
                    return true;
                }
                long left = deadlineNanos - ticker.read();
                if (left <= 0) {
                    return false;
                }
                roomWaiters.add(self);
                if (offer(message)) { // room freed between the first try and registering
                    return true;
                }
                // Capped so a producer re-checks even if it somehow missed its wake-up.
                LockSupport.parkNanos(this, Math.min(left, 10_000_000L));
                roomWaiters.remove(self);
            }
        } finally {
            roomWaiters.remove(self);
        }
    }

    /**
     * Wakes at most {@code limit} producers waiting for room (one per freed event, so a completion
     * does not stampede every blocked thread); called by the dispatcher after it released budget.
     */
    private void wakeRoomWaiters(int limit) {
        Thread waiter;
        for (int i = 0; i < limit && (waiter = roomWaiters.poll()) != null; i++) {
            LockSupport.unpark(waiter);
        }
    }

    /**
     * Asks for everything offered before this call to be sent now, ignoring the linger. Callable
     * from any thread. The future completes with true when all of it was delivered, false when
     * some of it was dropped; it never completes exceptionally.
     */
    public CompletableFuture<Boolean> requestFlush() {
        FlushRequest request = new FlushRequest();
        if (finished) {
            request.done.complete(budget.events() == 0);
            return request.done;
        }
        flushMarkersQueued.incrementAndGet();
        if (!queue.offer(request)) {
            // More concurrent flushes than marker slots: wait for the queue to empty instead.
            flushMarkersQueued.decrementAndGet();
            request.done.complete(false);
        }
        wake();
        return request.done;
    }

    /**
     * Asks the dispatcher to deliver what it holds and finish by {@code deadlineNanos} (ticker
     * time). Callable from any thread, idempotent; the earliest deadline wins.
     */
    public void requestStop(long deadlineNanos) {
        if (!stopRequested || deadlineNanos - stopDeadline < 0) {
            stopDeadline = deadlineNanos;
        }
        stopRequested = true;
        wake();
    }

    /** True once the dispatcher has delivered or given up everything after a stop. */
    public boolean isFinished() {
        return finished;
    }

    /** Binds the thread that runs {@link #runOnce}; producers unpark it. */
    public void bindThread(Thread dispatcherThread) {
        this.thread = dispatcherThread;
    }

    private void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // ------------------------------------------------------------------ consumer side

    /**
     * One step of the dispatcher loop. Dispatcher thread only.
     *
     * @param now the ticker's current reading
     * @return nanoseconds the thread may park before the next step ({@link #UNTIL_WOKEN} if only
     *         a wake-up can make progress, 0 to run again at once), or {@link #FINISHED}
     */
    public long runOnce(long now) {
        if (finished) {
            return FINISHED;
        }
        wakeThreshold = NO_WAKE;
        processResolveOutcome(now);
        processCompletions(now);
        if (freedSinceLastWake > 0) {
            wakeRoomWaiters(freedSinceLastWake);
            freedSinceLastWake = 0;
        }
        boolean stopping = stopRequested;
        if (stopping && now - stopDeadline >= 0) {
            abandonAll();
            return FINISHED;
        }
        reportDropsIfDue(now, false);

        if (target == null && !resolving && now - nextResolveAt >= 0) {
            startResolve();
            processResolveOutcome(now); // a lookup may complete at once (e.g. a configured queueUrl)
        }
        if (target == null) {
            long wait = resolving ? UNTIL_WOKEN : nextResolveAt - now;
            return stopping ? Math.min(wait, stopDeadline - now) : wait;
        }

        boolean urgent = stopping || flushMarkersQueued.get() > 0 || !activeFlushes.isEmpty();
        while (inFlight.size() < maxInFlight && now - pausedUntil >= 0) {
            fill(now);
            if (open.isEmpty()) {
                break;
            }
            boolean full = openSealed || open.size() >= maxBatchSize;
            if (full || urgent || now - openOldest >= lingerNanos) {
                send(now);
                urgent = urgent || flushMarkersQueued.get() > 0 || !activeFlushes.isEmpty();
            } else {
                break;
            }
        }

        if (stopping && isEmpty()) {
            finish();
            return FINISHED;
        }
        return waitTime(now, stopping);
    }

    /** Runs the loop on the current thread until the dispatcher finishes. */
    public void runLoop() {
        bindThread(Thread.currentThread());
        long wait;
        while ((wait = runOnce(ticker.read())) != FINISHED) {
            if (wait > 0) {
                // A safety cap: even a missed wake-up costs at most a second.
                LockSupport.parkNanos(this, Math.min(wait, 1_000_000_000L));
            }
        }
    }

    private long waitTime(long now, boolean stopping) {
        long wait = UNTIL_WOKEN;
        boolean canSend = inFlight.size() < maxInFlight;
        boolean paused = now - pausedUntil < 0;
        if (paused) {
            wait = pausedUntil - now;
        } else if (canSend) {
            if (!open.isEmpty()) {
                wait = Math.max(0, openOldest + lingerNanos - now);
            }
            int threshold = maxBatchSize - open.size();
            if (!fifo || retries.isEmpty()) {
                wakeThreshold = Math.max(1, threshold);
                if (queue.size() >= wakeThreshold) {
                    return 0; // a producer raced us before it could see the threshold
                }
            }
        }
        PendingEntry nextRetry = retries.peek();
        if (nextRetry != null) {
            wait = Math.min(wait, Math.max(0, nextRetry.notBefore - now));
        }
        if (stopping) {
            wait = Math.min(wait, Math.max(0, stopDeadline - now));
        }
        if (metrics.getEventsDropped() != droppedAtLastReport) {
            wait = Math.min(wait, Math.max(0, nextDropReportAt - now));
        }
        return wait;
    }

    private boolean isEmpty() {
        return open.isEmpty() && carry == null && retries.isEmpty() && inFlight.isEmpty() && queue.isEmpty();
    }

    /** Moves entries into the open batch: due retries first, then new events. */
    private void fill(long now) {
        try {
            fillInOrder(now);
        } finally {
            releaseFinished(); // entries dropped as oversize on the way
        }
    }

    private void fillInOrder(long now) {
        while (!openSealed && open.size() < maxBatchSize) {
            PendingEntry next = peekNext(now);
            if (next == null) {
                return;
            }
            if (!open.isEmpty() && openBytes + next.size() > MAX_BATCH_BYTES) {
                openSealed = true;
                return;
            }
            carry = null;
            open.add(next);
            openBytes += next.size();
            // A retry has already waited its linger and its backoff: its batch is due at once.
            long waitingSince = next.attempts > 0 ? now - lingerNanos : next.message.enqueuedAtNanos();
            openOldest = Math.min(openOldest, waitingSince);
        }
    }

    private PendingEntry peekNext(long now) {
        if (carry != null) {
            return carry;
        }
        PendingEntry retry = retries.peek();
        if (retry != null && retry.notBefore - now <= 0) {
            carry = retries.poll();
            return carry;
        }
        if (fifo && retry != null) {
            return null; // FIFO: nothing newer may overtake an entry waiting for its retry
        }
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof FlushRequest) {
                registerFlush((FlushRequest) item);
                continue;
            }
            SqsMessage message = (SqsMessage) item;
            PendingEntry entry = new PendingEntry(message, nextSequence++);
            SqsMessage fitted = encoder.fit(message, target.maxMessageBytes());
            if (fitted == null) {
                finish(entry, false); // counted as oversize by fit()
                continue;
            }
            if (fitted != message) {
                budget.shrink(message.sizeBytes() - fitted.sizeBytes());
                entry.message = fitted;
            }
            carry = entry;
            return carry;
        }
        return null;
    }

    private void send(long now) {
        List<PendingEntry> entries = new ArrayList<>(open);
        open.clear();
        openBytes = 0;
        openOldest = Long.MAX_VALUE;
        openSealed = false;
        List<SqsSender.BatchEntry> batch = new ArrayList<>(entries.size());
        long payload = 0;
        for (int i = 0; i < entries.size(); i++) {
            PendingEntry entry = entries.get(i);
            if (entry.firstSentAt == PendingEntry.NEVER) {
                entry.firstSentAt = now;
            }
            entry.attempts++;
            payload += entry.size();
            batch.add(new SqsSender.BatchEntry(Integer.toString(i), entry.message));
        }
        Completion completion = new Completion(entries, now);
        inFlight.add(completion);
        inFlightGauge = inFlight.size();
        metrics.request(payload);
        CompletableFuture<SqsSender.BatchResult> future;
        try {
            future = sender.sendBatch(target.queueUrl(), batch);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((result, failure) -> {
            completion.result = result;
            completion.failure = failure;
            completions.add(completion);
            wake();
        });
    }

    /** Returns the room of every entry finished since the last call, in one atomic operation. */
    private void releaseFinished() {
        if (releaseEvents > 0) {
            budget.release(releaseEvents, releaseBytes);
            releaseEvents = 0;
            releaseBytes = 0;
        }
    }

    private void processCompletions(long now) {
        try {
            processCompletionsInOrder(now);
        } finally {
            releaseFinished();
        }
    }

    private void processCompletionsInOrder(long now) {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            if (!inFlight.remove(completion)) {
                continue; // abandoned at a stop deadline; already counted
            }
            inFlightGauge = inFlight.size();
            if (completion.failure != null) {
                onRequestFailed(completion, unwrap(completion.failure), now);
            } else {
                onResponse(completion.entries, completion.result, now);
            }
        }
    }

    private void onResponse(List<PendingEntry> entries, SqsSender.BatchResult result, long now) {
        consecutiveRequestFailures = 0;
        Map<String, SqsSender.EntryFailure> failures = new HashMap<>();
        for (SqsSender.EntryFailure failure : result.failures()) {
            failures.put(failure.id(), failure);
        }
        List<PendingEntry> toRetry = null;
        int maxAttempts = 0;
        for (int i = 0; i < entries.size(); i++) {
            PendingEntry entry = entries.get(i);
            SqsSender.EntryFailure failure = failures.get(Integer.toString(i));
            if (failure == null) {
                metrics.sent(entry.size());
                finish(entry, true);
            } else if (failure.senderFault()) {
                giveUp(entry, failure.code(), "SQS rejected an entry (SenderFault=true): " + failure.code()
                        + ": " + failure.message());
            } else {
                if (toRetry == null) {
                    toRetry = new ArrayList<>();
                }
                toRetry.add(entry);
                maxAttempts = Math.max(maxAttempts, entry.attempts);
            }
        }
        if (toRetry != null) {
            scheduleRetry(toRetry, now + backoff.delay(maxAttempts), "entry failure");
        }
    }

    private void onRequestFailed(Completion completion, SendFailure failure, long now) {
        List<PendingEntry> entries = completion.entries;
        if (failure.throttled()) {
            metrics.throttled();
        }
        metrics.error(failure.getMessage(), System.currentTimeMillis());
        if (failure.retryable()) {
            // The whole queue is affected (outage, throttling): pause every send, not just these.
            // Requests already in flight when the pause was last raised fail for the same reason;
            // only a request sent after it may escalate, so 8 concurrent failures count as one.
            if (completion.sentAt - lastEscalationAt >= 0) {
                consecutiveRequestFailures++;
                lastEscalationAt = now;
                pausedUntil = now + backoff.delay(consecutiveRequestFailures);
            }
            status.warn("request:" + failure.code(), "SendMessageBatch to " + targetUrl() + " failed ("
                    + failure.getMessage() + "); retrying with backoff", null);
            scheduleRetry(entries, pausedUntil, failure.code());
        } else {
            for (PendingEntry entry : entries) {
                giveUp(entry, failure.code(), "SendMessageBatch failed permanently: " + failure.getMessage());
            }
        }
    }

    private void scheduleRetry(List<PendingEntry> entries, long notBefore, String why) {
        int retried = 0;
        for (PendingEntry entry : entries) {
            if (notBefore - entry.firstSentAt > deliveryTimeoutNanos) {
                giveUp(entry, "DeliveryTimeout", "Gave up after " + entry.attempts + " attempts within deliveryTimeoutMs ("
                        + why + ")");
            } else {
                entry.notBefore = notBefore;
                retries.add(entry);
                retried++;
            }
        }
        metrics.retried(retried);
    }

    private void giveUp(PendingEntry entry, String code, String message) {
        metrics.dropped(DropReason.UNDELIVERABLE);
        metrics.error(message, System.currentTimeMillis());
        status.error("undeliverable:" + code, "Event not delivered to " + targetUrl() + ": " + message, null);
        finish(entry, false);
    }

    private void finish(PendingEntry entry, boolean delivered) {
        // Released in bulk by releaseFinished(): one atomic add per batch instead of per event keeps
        // the budget's cache line away from the producers' CAS.
        releaseEvents++;
        releaseBytes += entry.size();
        freedSinceLastWake++;
        if (activeFlushes.isEmpty()) {
            return;
        }
        Iterator<FlushRequest> it = activeFlushes.iterator();
        while (it.hasNext()) {
            FlushRequest request = it.next();
            if (entry.sequence <= request.lastSequence) {
                request.anyLost |= !delivered;
                if (--request.outstanding == 0) {
                    request.done.complete(!request.anyLost);
                    it.remove();
                }
            }
        }
    }

    private void registerFlush(FlushRequest request) {
        flushMarkersQueued.decrementAndGet();
        request.lastSequence = nextSequence - 1;
        int held = open.size() + retries.size() + (carry != null ? 1 : 0);
        for (Completion completion : inFlight) {
            held += completion.entries.size();
        }
        request.outstanding = held;
        if (held == 0) {
            request.done.complete(true);
        } else {
            activeFlushes.add(request);
        }
    }

    private void startResolve() {
        resolving = true;
        CompletableFuture<SqsSender.QueueTarget> future;
        try {
            future = sender.resolveQueue();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((resolved, failure) -> {
            resolveOutcome.set(failure != null ? unwrap(failure) : resolved);
            wake();
        });
    }

    private void processResolveOutcome(long now) {
        Object outcome = resolveOutcome.getAndSet(null);
        if (outcome == null) {
            return;
        }
        resolving = false;
        if (outcome instanceof SqsSender.QueueTarget) {
            SqsSender.QueueTarget resolved = (SqsSender.QueueTarget) outcome;
            int limit = configuredMaxMessageBytes > 0 ? configuredMaxMessageBytes : resolved.maxMessageBytes();
            target = new SqsSender.QueueTarget(resolved.queueUrl(), limit, resolved.note());
            resolveFailures = 0;
            status.unlimited().info("sqs-appender '" + name + "' sends to " + target.queueUrl()
                    + " (maxMessageBytes=" + limit + (resolved.note() == null ? "" : ", " + resolved.note()) + ")");
        } else {
            SendFailure failure = (SendFailure) outcome;
            resolveFailures++;
            nextResolveAt = now + Math.min(MAX_RESOLVE_BACKOFF_NANOS, backoff.ceiling(resolveFailures));
            metrics.error(failure.getMessage(), System.currentTimeMillis());
            String message = "sqs-appender '" + name + "' cannot use its queue yet (" + failure.getMessage()
                    + "); events are buffered and the lookup is retried";
            if (failure.retryable()) {
                status.warn("resolve", message, failure.getCause());
            } else {
                status.error("resolve", message, failure.getCause());
            }
        }
    }

    private void reportDropsIfDue(long now, boolean force) {
        long dropped = metrics.getEventsDropped();
        if (dropped == droppedAtLastReport || (!force && now - nextDropReportAt < 0)) {
            return;
        }
        long delta = dropped - droppedAtLastReport;
        droppedAtLastReport = dropped;
        nextDropReportAt = now + DROP_REPORT_INTERVAL_NANOS;
        status.unlimited().warn("sqs-appender '" + name + "' dropped " + delta + " events since the last report; totals: "
                + metrics.summary(), null);
    }

    /** At the stop deadline: count everything still held as dropped (shutdown). */
    private void abandonAll() {
        releaseFinished();
        long lost = 0;
        for (PendingEntry entry : open) {
            budget.release(entry.size());
            lost++;
        }
        open.clear();
        if (carry != null) {
            budget.release(carry.size());
            carry = null;
            lost++;
        }
        for (PendingEntry entry : retries) {
            budget.release(entry.size());
            lost++;
        }
        retries.clear();
        for (Completion completion : inFlight) {
            for (PendingEntry entry : completion.entries) {
                budget.release(entry.size());
                lost++;
            }
        }
        inFlight.clear();
        inFlightGauge = 0;
        metrics.dropped(DropReason.SHUTDOWN, lost);
        finish();
    }

    private void finish() {
        releaseFinished(); // the sweep below waits for the budget to reach zero
        finished = true;
        budget.close();
        // Everything admitted before the close is counted: drain until the budget is empty, which
        // also catches a producer that was admitted just before the close and is still enqueuing.
        long lost = 0;
        while (budget.events() > 0 || !queue.isEmpty()) {
            Object item = queue.poll();
            if (item == null) {
                Thread.onSpinWait();
                continue;
            }
            if (item instanceof FlushRequest) {
                ((FlushRequest) item).done.complete(false);
                continue;
            }
            budget.release(((SqsMessage) item).sizeBytes());
            lost++;
        }
        metrics.dropped(DropReason.SHUTDOWN, lost);
        wakeRoomWaiters(Integer.MAX_VALUE);
        for (FlushRequest request : activeFlushes) {
            request.done.complete(false);
        }
        activeFlushes.clear();
        reportDropsIfDue(ticker.read(), true);
    }

    private String targetUrl() {
        return target != null ? target.queueUrl() : "(unresolved queue)";
    }

    static SendFailure unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof SendFailure) {
            return (SendFailure) t;
        }
        return new SendFailure(t.getClass().getSimpleName(), String.valueOf(t.getMessage()), true, false, t);
    }

    /** One request in flight and, once it completes, its outcome. */
    private static final class Completion {
        final List<PendingEntry> entries;
        final long sentAt;
        SqsSender.BatchResult result;
        Throwable failure;

        Completion(List<PendingEntry> entries, long sentAt) {
            this.entries = entries;
            this.sentAt = sentAt;
        }
    }
}
