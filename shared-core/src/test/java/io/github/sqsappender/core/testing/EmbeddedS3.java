package io.github.sqsappender.core.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An in-process S3-compatible server (s3proxy with its in-memory blob store) on a loopback port,
 * speaking S3's real REST protocol, plus a real SDK client (path-style, dummy credentials) to
 * create buckets and read objects back.
 *
 * <p>s3proxy runs in a class loader of its own, built from the jars the build collects in
 * {@code test-s3server/target/libs} (system property {@code sqsappender.s3server.libs}): its Jetty
 * and servlet API never reach the test class path, where the servlet API would put Log4j2 into
 * web-application mode, and its logging has no binding, so it stays silent.
 *
 * <p>{@link #outage()} stops the server and {@link #recover()} starts it again on the same port
 * with the same objects: a real outage (connections refused), not a simulated one.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private static final String LIBS_PROPERTY = "sqsappender.s3server.libs";

    private final URLClassLoader loader;
    private final Object blobStore;
    private final int port;
    private final S3Client client;
    private Object server;

    private EmbeddedS3(URLClassLoader loader, Object blobStore, int port) throws Exception {
        this.loader = loader;
        this.blobStore = blobStore;
        this.port = port;
        this.server = startServer();
        this.client = S3Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    /** Starts a server on a free loopback port. */
    public static EmbeddedS3 start() {
        Path libs = libs();
        try (Stream<Path> jars = Files.list(libs)) {
            List<URL> urls = new ArrayList<>();
            for (Path jar : (Iterable<Path>) jars.filter(p -> p.toString().endsWith(".jar")).sorted()::iterator) {
                urls.add(jar.toUri().toURL());
            }
            URLClassLoader loader = new URLClassLoader("s3proxy", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
            Object store = withContextLoader(loader, () ->
                    loader.loadClass("org.gaul.s3proxy.nio2blob.TransientNio2BlobStore").getConstructor().newInstance());
            return new EmbeddedS3(loader, store, EmbeddedSqs.freePort());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + libs, e);
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not start", e);
        }
    }

    private static Path libs() {
        String configured = System.getProperty(LIBS_PROPERTY);
        Path libs = Path.of(configured != null ? configured : "test-s3server/target/libs"); // from the project root
        if (configured == null && !Files.isDirectory(libs)) {
            libs = Path.of("../test-s3server/target/libs"); // from a module
        }
        if (!Files.isDirectory(libs)) {
            throw new IllegalStateException("The test S3 server's jars are not at " + libs.toAbsolutePath()
                    + ": build the test-s3server module first (mvn -am, or the full build)");
        }
        return libs;
    }

    private Object startServer() throws Exception {
        return withContextLoader(loader, () -> {
            Class<?> proxyType = loader.loadClass("org.gaul.s3proxy.S3Proxy");
            Object builder = proxyType.getMethod("builder").invoke(null);
            Class<?> builderType = builder.getClass();
            builderType.getMethod("blobStore", loader.loadClass("org.gaul.s3proxy.blobstore.BlobStore")).invoke(builder, blobStore);
            builderType.getMethod("endpoint", URI.class).invoke(builder, URI.create(endpoint()));
            Object proxy = builderType.getMethod("build").invoke(builder);
            proxyType.getMethod("start").invoke(proxy);
            return proxy;
        });
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T withContextLoader(ClassLoader loader, Call<T> call) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.call();
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}: what {@code s3Endpoint} is set to. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A path-style client with dummy credentials, for setting up and reading back. */
    public S3Client client() {
        return client;
    }

    public EmbeddedS3 createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
        return this;
    }

    /** Every key in {@code bucket} under {@code prefix}, sorted. */
    public List<String> keys(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = client.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(continuation));
            for (S3Object object : page.contents()) {
                keys.add(object.key());
            }
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        keys.sort(null);
        return keys;
    }

    /** The object's bytes and metadata. */
    public ResponseBytes<GetObjectResponse> get(String bucket, String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key));
    }

    /** Stops listening: connections are refused until {@link #recover()}; objects are kept. */
    public synchronized void outage() throws Exception {
        if (server != null) {
            Object s = server;
            server = null;
            withContextLoader(loader, () -> s.getClass().getMethod("stop").invoke(s));
        }
    }

    /** Listens again on the same port, with the same objects. */
    public synchronized void recover() throws Exception {
        if (server == null) {
            server = startServer();
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
        outage();
        loader.close();
    }
}
