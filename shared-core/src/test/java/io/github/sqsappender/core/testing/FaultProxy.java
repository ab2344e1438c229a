package io.github.sqsappender.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault-injecting HTTP layer between the real AWS SDK client and ElasticMQ, on loopback. Every
 * request is forwarded unchanged unless a fault is scripted for it; faults are real HTTP-level
 * outcomes (error responses with SQS's JSON error shapes, truncated or empty responses, stalls,
 * a listener that is gone) so the SDK's own error handling is exercised, not bypassed.
 *
 * <p>{@code SendMessageBatch} requests take their fault from the script queue first, then from the
 * standing fault ({@link #always}); other operations are forwarded unless the proxy is in outage.
 * {@link Fault#partial} rewrites a batch: chosen entries are removed before forwarding and reported
 * back as failed, so the queue really does not hold them.
 */
public final class FaultProxy implements AutoCloseable {

    /** What to do to one request. */
    public record Fault(Kind kind, long stallMillis, Set<Integer> retryablePositions, Set<Integer> senderFaultPositions) {
        /** No fault: the request is forwarded untouched (a gap in a script). */
        public static Fault none() {
            return of(Kind.NONE);
        }

        public static Fault of(Kind kind) {
            return new Fault(kind, 0, Set.of(), Set.of());
        }

        public static Fault stall(long millis) {
            return new Fault(Kind.STALL, millis, Set.of(), Set.of());
        }

        /** The request is held, unanswered, until {@link FaultProxy#heal()}, then forwarded. */
        public static Fault hold() {
            return of(Kind.HOLD);
        }

        /** Entries at these positions fail with SenderFault=false (retryable) or true (permanent). */
        public static Fault partial(Set<Integer> retryable, Set<Integer> senderFault) {
            return new Fault(Kind.PARTIAL, 0, retryable, senderFault);
        }
    }

    public enum Kind {
        NONE, THROTTLING, REQUEST_THROTTLED, HTTP_500, HTTP_503, EMPTY_RESPONSE, TRUNCATED_RESPONSE, STALL,
        /** Held unanswered until {@link FaultProxy#heal()} (or the proxy closes), then forwarded. */
        HOLD,
        ACCESS_DENIED, QUEUE_DOES_NOT_EXIST, PARTIAL,
        /** Forwarded and stored, but the answer reports another MD5 of each body than the one sent. */
        FOREIGN_MD5
    }

    static {
        // Without it the JDK server answers small requests after the peer's 40 ms delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "expect",
            "transfer-encoding", "upgrade", "keep-alive");

    private final String target;
    private final int port;
    private final HttpClient forwarder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Deque<Fault> script = new ArrayDeque<>();
    private volatile Fault always;
    /** Opens at {@link #heal()}; the requests held until then wait on it. Guarded by {@code this}. */
    private CountDownLatch release = new CountDownLatch(1);
    private volatile HttpServer server;
    private final AtomicInteger sendBatchRequests = new AtomicInteger();
    private final AtomicInteger warmUpRequests = new AtomicInteger();
    private final AtomicInteger faultsInjected = new AtomicInteger();
    private final List<Long> sendBatchArrivals = new CopyOnWriteArrayList<>();
    private final List<String> sendBatchCredentials = new CopyOnWriteArrayList<>();

    private FaultProxy(String target, int port) throws IOException {
        this.target = target;
        this.port = port;
        bind();
    }

    /** Starts a proxy on a free loopback port in front of {@code targetEndpoint}. */
    public static FaultProxy start(String targetEndpoint) throws IOException {
        return new FaultProxy(targetEndpoint, EmbeddedSqs.freePort());
    }

    private void bind() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        s.createContext("/", this::handle);
        s.setExecutor(handlers);
        s.start();
        server = s;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The same queue, reached through this proxy. */
    public String viaProxy(String queueUrl) {
        URI u = URI.create(queueUrl);
        return endpoint() + u.getPath();
    }

    /** Scripts the next {@code times} SendMessageBatch requests to get {@code fault}. */
    public synchronized FaultProxy next(Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            script.addLast(fault);
        }
        return this;
    }

    /** Every SendMessageBatch gets {@code fault} (after the script), until {@link #heal()}. */
    public FaultProxy always(Fault fault) {
        this.always = fault;
        return this;
    }

    /** Clears the script and the standing fault, and lets the held requests through. */
    public synchronized FaultProxy heal() {
        script.clear();
        always = null;
        release.countDown();
        release = new CountDownLatch(1);
        return this;
    }

    /** Stops listening: connections are refused until {@link #recover()}. */
    public void outage() {
        HttpServer s = server;
        server = null;
        if (s != null) {
            s.stop(0);
        }
    }

    /** Listens again on the same port. */
    public void recover() throws IOException {
        if (server == null) {
            bind();
        }
    }

    /** SendMessageBatch requests that carried entries (the warm-up is not one of them). */
    public int sendBatchRequests() {
        return sendBatchRequests.get();
    }

    /** SendMessageBatch requests with no entries: the sender's warm-up at start, which sends no message. */
    public int warmUpRequests() {
        return warmUpRequests.get();
    }

    private static boolean isEmptyBatch(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).replace(" ", "").contains("\"Entries\":[]");
    }

    public int faultsInjected() {
        return faultsInjected.get();
    }

    /**
     * The credentials each SendMessageBatch was signed with, in order: the access key id from its
     * {@code Authorization} header, {@code |}, and its {@code X-Amz-Security-Token} (or empty).
     */
    public List<String> sendBatchCredentials() {
        return new ArrayList<>(sendBatchCredentials);
    }

    /** System.nanoTime() of each SendMessageBatch arrival, in order. */
    public List<Long> sendBatchArrivals() {
        return new ArrayList<>(sendBatchArrivals);
    }

    private synchronized Fault nextFault() {
        Fault scripted = script.pollFirst();
        return scripted != null ? scripted : always;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = amzTarget == null ? "" : amzTarget.substring(amzTarget.indexOf('.') + 1);
            Fault fault = null;
            CountDownLatch heldUntil = null;
            if (operation.equals("SendMessageBatch") && isEmptyBatch(body)) {
                warmUpRequests.incrementAndGet(); // the start-up's warm-up: no message, never faulted
            } else if (operation.equals("SendMessageBatch")) {
                sendBatchRequests.incrementAndGet();
                sendBatchArrivals.add(System.nanoTime());
                sendBatchCredentials.add(credentialOf(exchange));
                synchronized (this) { // the fault and the latch a heal() opens, in one step
                    fault = nextFault();
                    heldUntil = release;
                }
            }
            if (fault == null || fault.kind() == Kind.NONE) {
                respond(exchange, forward(exchange, body));
                return;
            }
            faultsInjected.incrementAndGet();
            switch (fault.kind()) {
                case THROTTLING -> error(exchange, 400, "ThrottlingException", "ThrottlingException", "Rate exceeded");
                case REQUEST_THROTTLED -> error(exchange, 400, "RequestThrottled", "RequestThrottled", "Request is throttled.");
                case HTTP_500 -> error(exchange, 500, "InternalError", "InternalError", "We encountered an internal error.");
                case HTTP_503 -> error(exchange, 503, "ServiceUnavailable", "ServiceUnavailable", "Service is unavailable.");
                case ACCESS_DENIED -> error(exchange, 403, "com.amazon.coral.service#AccessDeniedException", "AccessDenied",
                        "Access to the resource is denied.");
                case QUEUE_DOES_NOT_EXIST -> error(exchange, 400, "com.amazonaws.sqs#QueueDoesNotExist",
                        "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");
                case EMPTY_RESPONSE -> {
                    // Close without a status line: the client sees the connection end with no response.
                }
                case TRUNCATED_RESPONSE -> {
                    exchange.sendResponseHeaders(200, 1_000);
                    exchange.getResponseBody().write("{\"Succ".getBytes(StandardCharsets.UTF_8));
                }
                case STALL -> {
                    sleep(fault.stallMillis());
                    respond(exchange, forward(exchange, body));
                }
                case HOLD -> {
                    if (awaitRelease(heldUntil)) {
                        respond(exchange, forward(exchange, body));
                    } // else the proxy is closing: the connection ends unanswered
                }
                case PARTIAL -> respond(exchange, partial(exchange, body, fault));
                case FOREIGN_MD5 -> {
                    Answer answer = forward(exchange, body);
                    String answered = new String(answer.body(), StandardCharsets.UTF_8);
                    String text = answered.replaceAll("\"MD5OfMessageBody\":\"[0-9a-f]{32}\"",
                            "\"MD5OfMessageBody\":\"" + "0".repeat(32) + "\"");
                    if (text.equals(answered)) { // nothing to rewrite: fail the request, never pass vacuously
                        throw new IllegalStateException("no MD5OfMessageBody in " + answered);
                    }
                    respond(exchange, new Answer(answer.status(), answer.headers(), text.getBytes(StandardCharsets.UTF_8)));
                }
                default -> throw new IllegalStateException(fault.kind().toString());
            }
        } catch (IOException | RuntimeException e) {
            // The client will see a broken connection; that is a fault too.
        }
    }

    private static String credentialOf(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String key = "";
        if (authorization != null && authorization.contains("Credential=")) {
            String rest = authorization.substring(authorization.indexOf("Credential=") + "Credential=".length());
            key = rest.substring(0, rest.indexOf('/'));
        }
        String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
        return key + "|" + (token == null ? "" : token);
    }

    private record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private Answer forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        try {
            HttpResponse<byte[]> response = forwarder.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Removes the failing entries, forwards the rest, and reports the removed ones as failed. */
    private Answer partial(HttpExchange exchange, byte[] body, Fault fault) throws IOException {
        JsonNode request = JsonNode.parser().parse(body);
        List<JsonNode> entries = request.field("Entries").orElseThrow().asArray();
        List<String> kept = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String id = entries.get(i).field("Id").orElseThrow().asString();
            if (fault.retryablePositions().contains(i)) {
                failed.add(failure(id, false, "InternalError"));
            } else if (fault.senderFaultPositions().contains(i)) {
                failed.add(failure(id, true, "InvalidParameterValue"));
            } else {
                kept.add(Json.write(entries.get(i)));
            }
        }
        String successful = "[]";
        if (!kept.isEmpty()) {
            String queueUrl = Json.write(request.field("QueueUrl").orElseThrow());
            byte[] forwardBody = ("{\"QueueUrl\":" + queueUrl + ",\"Entries\":[" + String.join(",", kept) + "]}")
                    .getBytes(StandardCharsets.UTF_8);
            Answer answer = forward(exchange, forwardBody);
            if (answer.status() != 200) {
                return answer;
            }
            successful = Json.write(JsonNode.parser().parse(answer.body()).field("Successful").orElseThrow());
        }
        byte[] response = ("{\"Successful\":" + successful + ",\"Failed\":[" + String.join(",", failed) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        return new Answer(200, Map.of("Content-Type", List.of("application/x-amz-json-1.0")), response);
    }

    private static String failure(String id, boolean senderFault, String code) {
        return "{\"Id\":" + Json.quote(id) + ",\"SenderFault\":" + senderFault + ",\"Code\":\"" + code
                + "\",\"Message\":\"injected by FaultProxy\"}";
    }

    private static void error(HttpExchange exchange, int status, String type, String queryCode, String message) throws IOException {
        byte[] body = ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().add("x-amzn-query-error", queryCode + ";Sender");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> exchange.getResponseHeaders().add(name, v));
            }
        });
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    private static boolean awaitRelease(CountDownLatch heldUntil) {
        try {
            heldUntil.await();
            return true;
        } catch (InterruptedException e) { // close() interrupts the handlers
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis); // the injected fault itself: a server that takes this long to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        outage();
        handlers.shutdownNow();
    }

    /** Writes the SDK's JSON nodes back to text. */
    static final class Json {
        private Json() {
        }

        static String write(JsonNode node) {
            StringBuilder sb = new StringBuilder();
            write(node, sb);
            return sb.toString();
        }

        private static void write(JsonNode node, StringBuilder sb) {
            if (node.isObject()) {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : node.asObject().entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    sb.append(quote(e.getKey())).append(':');
                    write(e.getValue(), sb);
                }
                sb.append('}');
            } else if (node.isArray()) {
                sb.append('[');
                List<JsonNode> items = node.asArray();
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(items.get(i), sb);
                }
                sb.append(']');
            } else if (node.isString()) {
                sb.append(quote(node.asString()));
            } else if (node.isNumber()) {
                sb.append(node.asNumber());
            } else if (node.isBoolean()) {
                sb.append(node.asBoolean());
            } else {
                sb.append("null");
            }
        }

        static String quote(String s) {
            StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20 || Character.isSurrogate(c) && !validPair(s, i)) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"').toString();
        }

        private static boolean validPair(String s, int i) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            }
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
    }
}
