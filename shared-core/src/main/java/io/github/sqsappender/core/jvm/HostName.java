package io.github.sqsappender.core.jvm;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine's name, found once. Environment and {@code /proc} come first because
 * {@link InetAddress#getLocalHost()} can wait seconds on a misconfigured resolver.
 */
public final class HostName {

    private static final String NAME = find();

    private HostName() {
    }

    public static String get() {
        return NAME;
    }

    private static String find() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        env = System.getenv("COMPUTERNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc)) {
                String name = Files.readString(proc, StandardCharsets.US_ASCII).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (Exception ignored) {
            // fall through to the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }
}
