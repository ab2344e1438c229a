package io.github.sqsappender.core.internal;

/**
 * What application threads put on the intake queue: an encoded event, or a flush marker. The
 * dispatcher takes items in the order they were put, so a marker is behind every event offered
 * before it.
 */
public sealed interface IntakeItem permits IntakeEvent, FlushMarker {
}
