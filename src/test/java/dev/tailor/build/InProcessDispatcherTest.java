package dev.tailor.build;

class InProcessDispatcherTest extends BuildDispatcherContract {

    @Override
    protected BuildDispatcher create(BuildExecutor executor, int workersPerArch, int capacity) {
        return new InProcessDispatcher(executor, workersPerArch, capacity);
    }
}
