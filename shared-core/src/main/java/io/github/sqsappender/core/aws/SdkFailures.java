package io.github.sqsappender.core.aws;

import io.github.sqsappender.core.port.SendFailure;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What an AWS SDK failure means for a send or a write: retryable (throttling, 5xx, I/O, timeouts)
 * or permanent, with the service's error code. The one classification for SQS and S3 alike.
 * Stateless.
 */
final class SdkFailures {

    private static final Set<String> THROTTLING_CODES = Set.of("ThrottlingException", "Throttling", "RequestThrottled",
            "RequestLimitExceeded", "TooManyRequestsException", "KmsThrottled", "RequestThrottledException");

    private SdkFailures() {
    }

    /** Maps an SDK failure to retryable (throttling, 5xx, I/O, timeouts) or permanent. */
    static SendFailure classify(Throwable failure) {
        Throwable t = unwrapped(failure);
        if (t instanceof SendFailure) {
            return (SendFailure) t;
        }
        if (t instanceof AwsServiceException) {
            AwsServiceException e = (AwsServiceException) t;
            String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                    ? e.awsErrorDetails().errorCode() : "HTTP" + e.statusCode();
            String message = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                    ? e.awsErrorDetails().errorMessage() : String.valueOf(e.getMessage());
            boolean throttled = e.isThrottlingException() || e.statusCode() == 429 || THROTTLING_CODES.contains(code);
            boolean retryable = throttled || e.statusCode() >= 500 || e.retryable();
            return new SendFailure(code, message, retryable, throttled, e);
        }
        if (t instanceof SdkClientException) {
            if (isForWantOfCredentials(t)) {
                return new SendFailure(SendFailure.NO_CREDENTIALS, String.valueOf(t.getMessage()), true, false, t);
            }
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return new SendFailure(root.getClass().getSimpleName(), String.valueOf(t.getMessage()), true, false, t);
        }
        return new SendFailure(t.getClass().getSimpleName(), String.valueOf(t.getMessage()), true, false, t);
    }

    /**
     * True when the SDK could not load credentials: its provider chain found none ("Unable to load
     * credentials from ..."), or the configured profile has none ("Profile file contained no
     * credentials ..."). These texts are the SDK's own, stable across its 2.x releases; the chain's
     * message names every provider it tried.
     */
    private static boolean isForWantOfCredentials(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (t instanceof SdkClientException && message != null
                    && (message.startsWith("Unable to load credentials") || message.startsWith("Profile file contained no credentials"))) {
                return true;
            }
        }
        return false;
    }

    /** The failure inside the futures' wrappers ({@link CompletionException}, {@link ExecutionException}). */
    static Throwable unwrapped(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
