/**
 * Capturing what the JVM prints ({@code captureStreams}): {@link io.github.sqsappender.core.streams.StreamCapture}
 * replaces {@code System.out} / {@code System.err} with a stream that passes every byte on to the
 * stream it replaced and cuts the bytes into lines ({@link io.github.sqsappender.core.streams.LineSplitter}),
 * each handed to the one appender that owns the capture. What logging frameworks and this appender
 * write to the console passes through uncaptured ({@link io.github.sqsappender.core.streams.ConsoleWriters}).
 * Framework-free: the adapters turn lines into their own events.
 */
package io.github.sqsappender.core.streams;
