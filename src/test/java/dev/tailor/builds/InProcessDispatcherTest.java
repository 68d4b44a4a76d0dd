package dev.tailor.builds;

import java.time.Clock;
class InProcessDispatcherTest extends BuildDispatcherContract {

    @Override
    protected BuildDispatcher create(BuildExecutor executor, int workersPerArch, int capacity) {
        return new InProcessDispatcher(executor, workersPerArch, capacity, Clock.systemUTC());
    }
}
