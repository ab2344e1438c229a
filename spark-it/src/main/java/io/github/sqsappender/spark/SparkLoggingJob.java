package io.github.sqsappender.spark;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A Spark application as users write them: a session in {@code local[4]} mode (or the master in
 * {@code -Djob.master}), a job whose tasks
 * log through Log4j2 (configured by Spark's {@code log4j2.properties}), then {@code spark.stop()}
 * and {@code main} returns. Nothing here stops Log4j2: whatever is still buffered when the JVM
 * exits is delivered only if the appender flushes at exit on its own.
 *
 * <p>Arguments: the number of lines to log, and the number of partitions (tasks).
 */
public final class SparkLoggingJob {

    private static final Logger LOG = LogManager.getLogger("com.example.job.Lines");

    private SparkLoggingJob() {
    }

    public static void main(String[] args) {
        long lines = Long.parseLong(args[0]);
        int partitions = Integer.parseInt(args[1]);
        SparkSession spark = SparkSession.builder()
                .appName("sqs-appender-spark-it")
                .master(System.getProperty("job.master", "local[4]")) // local-cluster[…]: executors in JVMs of their own
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        long started = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Long> ids = LongStream.range(0, lines).boxed().collect(Collectors.toList());
        jsc.parallelize(ids, partitions).foreach(i -> LOG.info("line {} of the job", i));
        System.out.println("job-millis=" + (System.nanoTime() - started) / 1_000_000);
        System.out.println("driver-pid=" + ProcessHandle.current().pid());
        System.out.println("webapp=" + org.apache.logging.log4j.util.Constants.IS_WEB_APP);
        System.out.println("log4j-core=" + org.apache.logging.log4j.core.LoggerContext.class.getPackage().getImplementationVersion());
        System.out.println("spark=" + spark.version());
        System.out.println("netty=" + io.netty.util.Version.identify().get("netty-common").artifactVersion());
        System.out.println("appender-jar=" + jarOf("io.github.sqsappender.log4j2.SqsAppender"));
        spark.stop();
        System.out.println("exit-at=" + System.currentTimeMillis());
    }

    /** The file a class of ours was loaded from, by name: the job does not compile against the appender. */
    private static String jarOf(String className) {
        try {
            return Class.forName(className).getProtectionDomain().getCodeSource().getLocation().getPath();
        } catch (ClassNotFoundException e) {
            return "not found";
        }
    }
}
