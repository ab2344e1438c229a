package io.github.sqsappender.core.port;

/**
 * A whole request failed. {@link #retryable()} tells the dispatcher whether to try again later
 * (throttling, 5xx, I/O, timeouts) or to give the entries up (access denied, no such queue, bad
 * request).
 */
public final class SendFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * The {@link #code()} of a failure for want of credentials: none could be loaded, or the
     * configured profile holds none. See {@link #noCredentials()}.
     */
    public static final String NO_CREDENTIALS = "NoCredentials";

    private final String code;
    private final boolean retryable;
    private final boolean throttled;

    public SendFailure(String code, String message, boolean retryable, boolean throttled, Throwable cause) {
        super(code + ": " + message, cause, false, false);
        this.code = code;
        this.retryable = retryable;
        this.throttled = throttled;
    }

    public static SendFailure retryable(String code, String message) {
        return new SendFailure(code, message, true, false, null);
    }

    public static SendFailure throttled(String code, String message) {
        return new SendFailure(code, message, true, true, null);
    }

    public static SendFailure permanent(String code, String message) {
        return new SendFailure(code, message, false, false, null);
    }

    /** SQS's error code, or a short name for client-side failures such as {@code IOException}. */
    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    public boolean throttled() {
        return throttled;
    }

    /**
     * True when the request failed because no credentials could be loaded. Such a failure is
     * {@linkplain #retryable() retryable} while the appender runs (a role, a file or the instance's
     * metadata may provide them later), but a stop does not wait for it: within seconds they will
     * not appear.
     */
    public boolean noCredentials() {
        return NO_CREDENTIALS.equals(code);
    }
}
