package io.github.sqsappender.benchmarks;

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cost of {@code logger.info(...)} through our appender against the same layout alone (the
 * targets {@code sqs-packed} and {@code layout-only} of {@link Log4j2CallCost}), as a ratio that
 * this machine's drift cannot skew: the two run in alternating blocks of a fraction of a second in
 * one JVM, so a slow spell of the shared host hits both alike. JMH runs one target after the other;
 * on a host whose speed drifts by 2x over minutes, its two figures come from different machines.
 *
 * <p>Usage: {@code CallCostRatio [threads=1] [seconds=60] [blockMillis=200] [appender=sqs-packed]}.
 * Prints the median ns per call of each, and the median and quartiles of the per-round ratio.
 */
public final class CallCostRatio {

    private CallCostRatio() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int blockMillis = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        String appender = args.length > 3 ? args[3] : "sqs-packed";
        LoggerContext layoutContext = context("layout-only");
        LoggerContext appenderContext = context(appender);
        Logger layout = layoutContext.getLogger("bench.CallCost");
        Logger ours = appenderContext.getLogger("bench.CallCost");
        Blocks blocks = new Blocks(threads);
        try {
            long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(15, seconds / 3 + 1));
            while (System.nanoTime() < warmUpEnd) {
                blocks.nanosPerCall(layout, blockMillis);
                blocks.nanosPerCall(ours, blockMillis);
            }
            List<Double> layoutCosts = new ArrayList<>();
            List<Double> ourCosts = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (int round = 0; System.nanoTime() < end; round++) {
                double l;
                double o;
                if (round % 2 == 0) { // alternate which goes first, so neither always follows the other
                    l = blocks.nanosPerCall(layout, blockMillis);
                    o = blocks.nanosPerCall(ours, blockMillis);
                } else {
                    o = blocks.nanosPerCall(ours, blockMillis);
                    l = blocks.nanosPerCall(layout, blockMillis);
                }
                layoutCosts.add(l);
                ourCosts.add(o);
                ratios.add(o / l);
            }
            io.github.sqsappender.log4j2.SqsAppender sqs = appenderContext.getConfiguration().getAppender("SQS");
            System.out.printf("threads %d, %d rounds of %d ms blocks: layout-only %.0f ns, %s %.0f ns per call (medians); "
                            + "ratio median %.2f (quartiles %.2f-%.2f)%n",
                    threads, ratios.size(), blockMillis, quantile(layoutCosts, 0.5), appender, quantile(ourCosts, 0.5),
                    quantile(ratios, 0.5), quantile(ratios, 0.25), quantile(ratios, 0.75));
            if (sqs != null) {
                System.out.printf("[sqs appender] appended %,d, sent %,d, dropped %,d%n", sqs.getMetrics().getEventsAppended(),
                        sqs.getMetrics().getEventsSent(), sqs.getMetrics().getEventsDropped());
            }
        } finally {
            blocks.close();
            appenderContext.stop();
            layoutContext.stop();
        }
    }

    private static LoggerContext context(String target) throws Exception {
        // A context of its own (not the class loader's one), so the two live side by side.
        LoggerContext context = new LoggerContext("ratio-" + target, null,
                CallCostRatio.class.getResource("/jmh-log4j2-" + target + ".xml").toURI());
        context.start();
        return context;
    }

    private static double quantile(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(q * (sorted.size() - 1))));
    }

    /** Worker threads that log together for one block at a time. */
    private static final class Blocks implements AutoCloseable {
        private final List<Thread> workers = new ArrayList<>();
        private final CyclicBarrier start;
        private final CyclicBarrier done;
        private final LongAdder calls = new LongAdder();
        private volatile Logger logger;
        private volatile long endNanos;
        private volatile boolean closed;

        Blocks(int threads) {
            start = new CyclicBarrier(threads + 1);
            done = new CyclicBarrier(threads + 1);
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(this::work, "bench-" + t);
                worker.setDaemon(true);
                workers.add(worker);
                worker.start();
            }
        }

        private void work() {
            try {
                while (true) {
                    start.await();
                    if (closed) {
                        return;
                    }
                    Logger l = logger;
                    long end = endNanos;
                    long n = 0;
                    while ((n & 63) != 0 || System.nanoTime() < end) {
                        l.info("order {} placed by {} for {} EUR", 42, "alice", 99.5);
                        n++;
                    }
                    calls.add(n);
                    done.await();
                }
            } catch (Exception e) {
                // closed while waiting: the benchmark is over
            }
        }

        /** Runs one block on every worker; returns the nanoseconds of one call (wall time per thread). */
        double nanosPerCall(Logger target, int millis) throws Exception {
            logger = target;
            calls.reset();
            long begin = System.nanoTime();
            endNanos = begin + TimeUnit.MILLISECONDS.toNanos(millis);
            start.await();
            done.await();
            long elapsed = System.nanoTime() - begin;
            return (double) elapsed * workers.size() / calls.sum();
        }

        @Override
        public void close() throws Exception {
            closed = true;
            start.await(5, TimeUnit.SECONDS);
        }
    }
}
