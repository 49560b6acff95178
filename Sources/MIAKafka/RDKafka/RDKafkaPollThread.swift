import CRdKafka
import Foundation
import Synchronization

/// A dedicated thread that serves a producer's callbacks (`rd_kafka_poll`) so that no blocking
/// librdkafka call runs on Swift's cooperative thread pool.
final class RDKafkaPollThread: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(client: RDKafkaClient, name: String) {
        let thread = Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                rd_kafka_poll(client.handle, 50)
            }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Stops the thread and waits until it has left its loop.
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        finished.wait()
    }
}
