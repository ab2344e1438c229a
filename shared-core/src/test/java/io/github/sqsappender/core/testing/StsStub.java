package io.github.sqsappender.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small STS on loopback that answers {@code AssumeRole} (the query protocol the SDK speaks) with
 * temporary credentials: the n-th call gets access key {@code ASIASTUB<n>}, secret
 * {@code stub-secret-<n>} and session token {@code stub-token-<n>}, expiring the given lifetime
 * after issue. A lifetime inside the SDK's five-minute prefetch window makes its credentials
 * provider fetch new credentials whenever it is next used, so each use shows a refresh before
 * expiry. Records the parameters of every call.
 */
public final class StsStub implements AutoCloseable {

    static {
        // Read once, by the first JDK HTTP server in the JVM: without it small answers wait for the
        // client's 40 ms delayed ACK. (The build also sets it for every test JVM.)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();
    private final Duration lifetime;

    private StsStub(Duration lifetime) throws IOException {
        this.lifetime = lifetime;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a stub whose credentials expire {@code lifetime} after they are issued. */
    public static StsStub start(Duration lifetime) throws IOException {
        return new StsStub(lifetime);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The form parameters of every AssumeRole call, in order. */
    public List<Map<String, String>> calls() {
        return new ArrayList<>(calls);
    }

    public static String accessKey(int n) {
        return "ASIASTUB" + n;
    }

    public static String secret(int n) {
        return "stub-secret-" + n;
    }

    public static String sessionToken(int n) {
        return "stub-token-" + n;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!"AssumeRole".equals(form.get("Action"))) {
                byte[] error = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code></Error></ErrorResponse>"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(400, error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            calls.add(form);
            int n = calls.size();
            Instant expiration = Instant.now().plus(lifetime);
            String session = form.getOrDefault("RoleSessionName", "session");
            byte[] body = ("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                    + "<Credentials><AccessKeyId>" + accessKey(n) + "</AccessKeyId>"
                    + "<SecretAccessKey>" + secret(n) + "</SecretAccessKey>"
                    + "<SessionToken>" + sessionToken(n) + "</SessionToken>"
                    + "<Expiration>" + expiration + "</Expiration></Credentials>"
                    + "<AssumedRoleUser><AssumedRoleId>AROASTUB:" + session + "</AssumedRoleId>"
                    + "<Arn>arn:aws:sts::000000000000:assumed-role/stub/" + session + "</Arn></AssumedRoleUser>"
                    + "</AssumeRoleResult><ResponseMetadata><RequestId>stub-" + n + "</RequestId></ResponseMetadata>"
                    + "</AssumeRoleResponse>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static Map<String, String> parse(String form) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
