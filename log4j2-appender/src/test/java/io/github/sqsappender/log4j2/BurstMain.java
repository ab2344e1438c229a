package io.github.sqsappender.log4j2;

import io.github.sqsappender.core.SqsAppenderMetrics;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM: as soon as the appender has started, {@code args[1]} threads log
 * {@code args[0]} short lines ({@code row-NNNNNNN}) in total, as fast as they can, and {@code main}
 * returns without stopping Log4j2 (the appender's exit hook delivers the rest). With {@code args[2]} =
 * {@code when-ready}, the burst starts once a first line ({@code ready}) was delivered, as in a job
 * whose tasks start seconds after its JVM; otherwise at once. Prints the time from
 * the appender's start to its first acknowledged request, and its counters.
 */
public final class BurstMain {

    public static void main(String[] args) throws Exception {
        int lines = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        long started = System.nanoTime(); // the configuration, and so the appender, has just started
        SqsAppender appender = context.getConfiguration().getAppender("SQS");
        SqsAppenderMetrics metrics = appender.getMetrics();
        Thread watcher = new Thread(() -> {
            while (metrics.getMessagesSent() == 0 && System.nanoTime() - started < 60_000_000_000L) {
                Thread.onSpinWait();
            }
            System.out.println("first-ack-ms=" + (System.nanoTime() - started) / 1_000_000);
        }, "first-ack-watcher");
        watcher.setDaemon(true);
        watcher.start();
        Logger log = LogManager.getLogger("com.example.Burst");
        if (args.length > 2 && args[2].equals("when-ready")) {
            // As a job whose burst comes after its start-up: here, once a first line was delivered.
            log.info("ready");
            System.out.println("ready-flushed=" + appender.flush(30_000) + " after "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
        } else if (args.length > 2 && args[2].startsWith("after:")) {
            Thread.sleep(Long.parseLong(args[2].substring(6))); // a start-up of that long: not a synchronisation
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> burst = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = first; i < lines; i += threads) {
                    log.info(String.format("row-%07d", i));
                }
            }, "burst-" + t);
            thread.start();
            burst.add(thread);
        }
        long sentBefore = metrics.getMessagesSent();
        long burstStart = System.nanoTime();
        Thread firstBurstAck = new Thread(() -> {
            while (metrics.getMessagesSent() == sentBefore && System.nanoTime() - burstStart < 60_000_000_000L) {
                Thread.onSpinWait();
            }
            System.out.println("first-burst-ack-ms=" + (System.nanoTime() - burstStart) / 1_000_000);
        }, "first-burst-ack-watcher");
        firstBurstAck.setDaemon(true);
        firstBurstAck.start();
        go.countDown();
        for (Thread thread : burst) {
            thread.join();
        }
        System.out.println("burst-ms=" + (System.nanoTime() - burstStart) / 1_000_000);
        watcher.join(60_000);
        firstBurstAck.join(60_000);
        System.out.println("appended=" + metrics.getEventsAppended());
        System.out.println("dropped=" + metrics.getEventsDropped());
        System.out.println("peak-heap-mb=" + peakHeapMb());
        System.out.println("exit-at=" + System.currentTimeMillis());
    }

    private static long peakHeapMb() {
        long peak = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }
}
