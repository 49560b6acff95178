import Foundation
import MIANotifier
import Testing

@Suite("WebhookSignature: receivers reject forgeries and replays")
struct WebhookSignatureTests {
    let secret = Array("test-secret-0123456789".utf8)
    let body = Data(#"{"id":"n-1"}"#.utf8)
    /// 2018-03-05 08:00 UTC.
    let sent = Date(timeIntervalSince1970: 1_520_236_800)

    @Test("The signature is HMAC-SHA256 over \"<timestamp>.<body>\", as Python's hmac computes it")
    func knownValue() {
        #expect(
            WebhookSignature.sign(body: body, timestamp: 1_520_236_800, secret: secret)
                == "v1=2712b93d64f1bb276b7b1de76d1941cce7e7763f8b35a60e143b2976b48278ea")
    }

    @Test("A fresh, untouched request verifies, also next to a signature of another secret")
    func accepts() throws {
        let signature = WebhookSignature.sign(body: body, timestamp: 1_520_236_800, secret: secret)
        try WebhookSignature.verify(
            body: body, timestamp: "1520236800", signature: signature, secret: secret, now: sent.addingTimeInterval(30))
        let rotating = "v1=" + String(repeating: "0", count: 64) + "," + signature
        try WebhookSignature.verify(body: body, timestamp: "1520236800", signature: rotating, secret: secret, now: sent)
    }

    @Test("A forged body, a moved timestamp or another secret is a mismatch")
    func forgeries() {
        let signature = WebhookSignature.sign(body: body, timestamp: 1_520_236_800, secret: secret)
        let forged = Data(#"{"id":"n-2"}"#.utf8)
        #expect(throws: WebhookVerificationError.self) {
            try WebhookSignature.verify(
                body: forged, timestamp: "1520236800", signature: signature, secret: secret, now: sent)
        }
        for attempt in [
            {
                try WebhookSignature.verify(
                    body: forged, timestamp: "1520236800", signature: signature, secret: secret, now: sent)
            },
            {
                try WebhookSignature.verify(
                    body: body, timestamp: "1520236801", signature: signature, secret: secret, now: sent)
            },
            {
                try WebhookSignature.verify(
                    body: body, timestamp: "1520236800", signature: signature,
                    secret: Array("another-secret-0123456789".utf8),
                    now: sent)
            },
        ] {
            #expect(code(attempt) == .mismatch)
        }
    }

    @Test("A replay after the tolerance, or a timestamp far in the future, is expired")
    func replays() {
        let signature = WebhookSignature.sign(body: body, timestamp: 1_520_236_800, secret: secret)
        #expect(
            code {
                try WebhookSignature.verify(
                    body: body, timestamp: "1520236800", signature: signature, secret: secret,
                    now: sent.addingTimeInterval(301))
            } == .expired)
        #expect(
            code {
                try WebhookSignature.verify(
                    body: body, timestamp: "1520236800", signature: signature, secret: secret,
                    now: sent.addingTimeInterval(-301))
            } == .expired)
        #expect(
            code {
                try WebhookSignature.verify(
                    body: body, timestamp: "1520236800", signature: signature, secret: secret,
                    now: sent.addingTimeInterval(3600), tolerance: .seconds(7200))
            } == nil)
    }

    @Test("Missing and malformed headers are told apart")
    func malformed() {
        #expect(
            code { try WebhookSignature.verify(body: body, timestamp: nil, signature: "v1=00", secret: secret) }
                == .missingHeader)
        #expect(
            code {
                try WebhookSignature.verify(
                    body: body, timestamp: "yesterday", signature: "v1=00", secret: secret, now: sent)
            }
                == .malformed)
        #expect(
            code {
                try WebhookSignature.verify(
                    body: body, timestamp: "1520236800", signature: "sha256=ab", secret: secret, now: sent)
            }
                == .malformed)
    }

    private func code(_ body: () throws -> Void) -> WebhookVerificationError.Code? {
        do {
            try body()
            return nil
        } catch {
            return (error as? WebhookVerificationError)?.code
        }
    }
}
