package io.github.sqsappender.benchmarks;

import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginElement;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

import java.io.Serializable;

/** The floor for Log4j2: format each event with the layout on the caller's thread, then discard it. */
@Plugin(name = "LayoutOnly", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE)
public final class LayoutOnlyAppender extends AbstractAppender {

    /** Keeps the formatted result reachable so the JIT cannot drop the formatting. */
    public static volatile Object sink;

    private LayoutOnlyAppender(String name, Layout<? extends Serializable> layout) {
        super(name, (Filter) null, layout, true, Property.EMPTY_ARRAY);
    }

    @PluginFactory
    public static LayoutOnlyAppender create(@PluginAttribute("name") String name,
                                            @PluginElement("Layout") Layout<? extends Serializable> layout) {
        return new LayoutOnlyAppender(name, layout);
    }

    @Override
    public void append(LogEvent event) {
        sink = getLayout().toSerializable(event);
    }
}
