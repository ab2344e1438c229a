package io.github.sqsappender.core.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Who a completion wakes: one waiter per event freed, and only threads that were waiting when it came. */
class RoomWaitersTest {

    private final List<Thread> woken = new ArrayList<>();

    @Test
    void wakesOneWaiterPerFreedEventInTheOrderTheyCame() {
        RoomWaiters waiters = new RoomWaiters(woken::add);
        Thread a = new Thread(() -> { }, "a");
        Thread b = new Thread(() -> { }, "b");
        Thread c = new Thread(() -> { }, "c");
        waiters.add(a);
        waiters.add(b);
        waiters.add(c);
        waiters.wake(2);
        assertThat(woken).containsExactly(a, b);
        assertThat(waiters.isEmpty()).isFalse();
        waiters.wake(0);
        assertThat(woken).hasSize(2);
        waiters.wake(5);
        assertThat(woken).containsExactly(a, b, c);
        assertThat(waiters.isEmpty()).isTrue();
    }

    @Test
    void aWokenThreadThatFindsTheBufferFullAgainWaitsForTheNextCompletion() {
        // A thread woken runs at once on another core and, the room taken again, registers again
        // before the dispatcher's loop is over: here it registers from inside the wake-up itself.
        RoomWaiters[] holder = new RoomWaiters[1];
        RoomWaiters waiters = new RoomWaiters(thread -> {
            woken.add(thread);
            holder[0].add(thread);
        });
        holder[0] = waiters;
        Thread a = new Thread(() -> { }, "a");
        Thread b = new Thread(() -> { }, "b");
        waiters.add(a);
        waiters.add(b);
        waiters.wake(4_000); // a completion that freed 4,000 events
        assertThat(woken).as("each waiter once, not 4,000 wake-ups among two threads").containsExactly(a, b);
        assertThat(waiters.isEmpty()).as("both wait again, for the next completion").isFalse();
        waiters.wake(4_000);
        assertThat(woken).containsExactly(a, b, a, b);
    }
}
