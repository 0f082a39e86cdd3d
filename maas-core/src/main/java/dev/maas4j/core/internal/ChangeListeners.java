package dev.maas4j.core.internal;

import dev.maas4j.api.ChangeListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The listeners of a store, told of its changes on the thread that made them. One list can serve a
 * store's key and catalog roles alike, so that a listener registered once hears both kinds.
 *
 * <p>Thread-safe: the list is copy-on-write, so telling the listeners takes no lock.
 */
public final class ChangeListeners {
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final Logger log;

    /** @param log where a failing listener is reported: the store's own logger */
    public ChangeListeners(Logger log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Registers {@code listener}. */
    public void add(ChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Tells every listener {@code event}; a listener that throws is logged and the others are still told. */
    public void fire(Consumer<ChangeListener> event) {
        for (ChangeListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                // a broken listener must not undo or hide a change that is already made
                log.warn("change listener {} failed", listener, e);
            }
        }
    }
}
