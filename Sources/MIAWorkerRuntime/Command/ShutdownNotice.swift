import ServiceLifecycle

/// The first service told of a graceful shutdown: it notes the moment and tells the store.
///
/// A `ServiceGroup` shuts its services down one after another, in reverse order; listed last, this one is reached
/// at once. The runtime stops at that moment and counts its shutdown budget from it, even while the group is still
/// waiting for other services (a delivery loop), and no service waits out another process's lock on the store.
struct ShutdownNotice: Service {
    let began: StopFlag
    let store: any WorkerStore

    func run() async throws {
        // Returns when the group shuts down gracefully; throws when it is cancelled.
        try? await gracefulShutdown()
        began.set()
        store.beginShutdown()
    }
}
