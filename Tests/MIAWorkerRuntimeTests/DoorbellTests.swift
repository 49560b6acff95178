import Testing

@testable import MIAWorkerRuntime

/// The doorbell that wakes the outbox relay when a batch queued outputs.
@Suite("Doorbell: a ring wakes the waiter, or the next one to wait; otherwise the timeout ends the wait")
struct DoorbellTests {
    @Test(
        "A ring before the wait is kept: the wait returns at once instead of waiting out its hour",
        .timeLimit(.minutes(1)))
    func ringBeforeWait() async {
        let bell = Doorbell()
        bell.ring()
        await bell.wait(timeout: .seconds(3600))
    }

    @Test("A ring during the wait wakes it", .timeLimit(.minutes(1)))
    func ringDuringWait() async {
        let bell = Doorbell()
        let waiter = Task { await bell.wait(timeout: .seconds(3600)) }
        try? await Task.sleep(for: .milliseconds(100))
        bell.ring()
        await waiter.value
    }

    @Test("Without a ring the timeout ends the wait, and a ring is kept only once", .timeLimit(.minutes(1)))
    func timeoutAndOneRing() async {
        let bell = Doorbell()
        bell.ring()
        bell.ring()
        await bell.wait(timeout: .seconds(3600))
        let clock = ContinuousClock()
        let waited = await clock.measure { await bell.wait(timeout: .milliseconds(200)) }
        #expect(waited >= .milliseconds(200), "the second ring was not kept: \(waited)")
    }
}
