import MIAKafka
import Testing

@testable import MIAWorkerRuntime

@Suite("PartitionBacklog: per-partition order, blocking and retries")
struct PartitionBacklogTests {
    func record(_ partition: Int32, _ offset: Int64) -> KafkaConsumerMessage {
        KafkaConsumerMessage(
            topic: "t", partition: partition, offset: offset, key: nil, value: [], headers: [],
            timestampMilliseconds: nil)
    }

    @Test("A failed partition is blocked until its retry time, others go on, and it resumes in order")
    func blockAndRetry() {
        var backlog = PartitionBacklog<KafkaConsumerMessage>()
        backlog.append([record(0, 0), record(1, 0), record(0, 1), record(1, 1)])
        let now = ContinuousClock.now
        let first = backlog.ready(at: now, limit: 10)
        #expect(first.map(\.offset) == [0, 1, 0, 1])
        let backoff = Backoff(base: .seconds(1), cap: .seconds(10))
        let decision = backlog.failed(first.filter { $0.partition == 0 }, at: now, maxAttempts: 3, backoff: backoff)
        #expect(decision.pause == [TopicPartition(topic: "t", partition: 0)])
        #expect(decision.exhausted.isEmpty)
        #expect(backlog.ready(at: now, limit: 10).allSatisfy { $0.partition == 1 })
        #expect(backlog.succeeded(first.filter { $0.partition == 1 }).isEmpty)
        let later = now + .seconds(2)
        let retry = backlog.ready(at: later, limit: 10)
        #expect(retry.map { [$0.partition, Int32($0.offset)] } == [[0, 0], [0, 1]])
        #expect(backlog.succeeded(retry) == [TopicPartition(topic: "t", partition: 0)], "resume after success")
        #expect(backlog.isEmpty)
    }

    @Test("Attempts are counted per partition up to the maximum")
    func exhaustion() {
        var backlog = PartitionBacklog<KafkaConsumerMessage>()
        backlog.append([record(3, 7)])
        var now = ContinuousClock.now
        for attempt in 1...2 {
            let decision = backlog.failed(backlog.ready(at: now, limit: 1), at: now, maxAttempts: 3, backoff: Backoff())
            #expect(decision.pause.count == 1, "attempt \(attempt)")
            now += .seconds(60)
        }
        let last = backlog.failed(backlog.ready(at: now, limit: 1), at: now, maxAttempts: 3, backoff: Backoff())
        #expect(last.exhausted == [TopicPartition(topic: "t", partition: 3)])
    }

    @Test("Revoked partitions are forgotten")
    func retain() {
        var backlog = PartitionBacklog<KafkaConsumerMessage>()
        backlog.append([record(0, 0), record(1, 0)])
        let resumed = backlog.retain(only: [TopicPartition(topic: "t", partition: 1)])
        #expect(backlog.count == 1)
        #expect(resumed == [TopicPartition(topic: "t", partition: 1)])
    }

    @Test("Backoff grows exponentially with jitter and is capped")
    func backoff() {
        let backoff = Backoff(base: .milliseconds(100), cap: .seconds(1))
        #expect(backoff.delay(attempt: 1, jitter: 1) == .milliseconds(100))
        #expect(backoff.delay(attempt: 3, jitter: 1) == .milliseconds(400))
        #expect(backoff.delay(attempt: 3, jitter: 0.5) == .milliseconds(200))
        #expect(backoff.delay(attempt: 30, jitter: 1) == .seconds(1))
    }
}
