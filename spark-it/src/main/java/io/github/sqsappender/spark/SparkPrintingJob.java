package io.github.sqsappender.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A Spark application whose data is printed, not logged: in {@code local[4]} mode,
 * <ul>
 *   <li>{@code rdd.pipe} runs a {@code python3} program per partition that writes {@code args[0]}
 *       lines to its stderr ({@code py-P-I}), which Spark prints into {@code System.err} line by line;</li>
 *   <li>tasks {@code System.err.println} ({@code task-line I});</li>
 *   <li>a thread copies a {@code python3} child's stdout into {@code System.err} in raw 1,024-byte
 *       chunks, holding the {@code System.err} it found when it started, as PySpark's
 *       {@code RedirectThread} copies a Python worker's output ({@code chunk-I é…}).</li>
 * </ul>
 * With {@code args[1]} = {@code plugin}, Spark's own {@code RedirectConsolePlugin} (Spark ≥ 4.1) is
 * enabled instead of relying on {@code captureStreams}. {@code main} returns after {@code spark.stop()};
 * nothing stops Log4j2.
 */
public final class SparkPrintingJob {

    static final int PARTITIONS = 4;

    private SparkPrintingJob() {
    }

    public static void main(String[] args) throws Exception {
        int lines = Integer.parseInt(args[0]);
        SparkSession.Builder builder = SparkSession.builder()
                .appName("sqs-appender-spark-print")
                .master(System.getProperty("job.master", "local[4]")) // local-cluster[…]: executors in JVMs of their own
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1");
        if (args.length > 1 && args[1].equals("plugin")) {
            builder.config("spark.plugins", "org.apache.spark.deploy.RedirectConsolePlugin")
                    .config("spark.driver.log.redirectConsoleOutputs", "stdout,stderr")
                    .config("spark.executor.logs.redirectConsoleOutputs", "stdout,stderr");
        }
        SparkSession spark = builder.getOrCreate();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

        String script = "import sys\n"
                + "part = sys.stdin.read().split()[0]\n"
                + "for i in range(" + lines + "):\n"
                + "    sys.stderr.write('py-%s-%d\\n' % (part, i))\n"
                + "print(part)\n";
        List<String> partitions = IntStream.range(0, PARTITIONS).mapToObj(Integer::toString).collect(Collectors.toList());
        long piped = jsc.parallelize(partitions, PARTITIONS).pipe(List.of("python3", "-c", script)).count();

        jsc.parallelize(IntStream.range(0, lines).boxed().collect(Collectors.toList()), PARTITIONS)
                .foreach(i -> System.err.println("task-line " + i));

        Process child = new ProcessBuilder("python3", "-c",
                "for i in range(" + lines + "):\n    print('chunk-%d ' % i + 'é' * (i % 5))\n").start();
        PrintStream err = System.err; // taken once, as RedirectThread does
        Thread redirect = new Thread(() -> {
            byte[] buffer = new byte[1_024];
            try (InputStream in = child.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    err.write(buffer, 0, n);
                    err.flush();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "stdout reader for python3");
        redirect.start();
        redirect.join();
        child.waitFor();

        spark.stop();
        System.out.println("piped=" + piped);
        System.out.println("spark=" + spark.version());
    }
}
