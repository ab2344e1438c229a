package io.github.sqsappender.core.testing;

import io.github.sqsappender.core.StatusPort;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A status port that keeps every report, for assertions. */
public final class RecordingStatus implements StatusPort {

    public final List<String> infos = new CopyOnWriteArrayList<>();
    public final List<String> warnings = new CopyOnWriteArrayList<>();
    public final List<String> errors = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
        infos.add(message);
    }

    @Override
    public void warn(String message, Throwable cause) {
        warnings.add(message);
    }

    @Override
    public void error(String message, Throwable cause) {
        errors.add(message);
    }

    public String all() {
        return List.of(infos, warnings, errors).stream().flatMap(List::stream).collect(Collectors.joining("\n"));
    }
}
