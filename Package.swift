// swift-tools-version: 6.0
import PackageDescription

/// One set of Swift settings for every target: Swift 6 language mode with strict concurrency.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "MIAFlow",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mia", targets: ["mia"]),
        .executable(name: "mia-notifier", targets: ["mia-notifier"]),
        .executable(name: "mia-capacity", targets: ["mia-capacity"]),
        .executable(name: "mia-booker", targets: ["mia-booker"]),
        .executable(name: "mia-stats", targets: ["mia-stats"]),
        .library(name: "MIAKafka", targets: ["MIAKafka"]),
        .library(name: "MIAContracts", targets: ["MIAContracts"]),
        .library(name: "MIAWorkerRuntime", targets: ["MIAWorkerRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.20.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
    ],
    targets: [
        // librdkafka from Debian's librdkafka-dev, via pkg-config.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        // The thin, safe Swift layer over librdkafka. The only module that imports CRdKafka.
        .target(
            name: "MIAKafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The message contracts: topic registry, CloudEvents envelope, message types, validation, pseudonyms.
        .target(
            name: "MIAContracts",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The runtime every worker shares: consume, decode, validate, inbox/outbox, dead letters, retries,
        // graceful shutdown, health and metrics.
        .target(
            name: "MIAWorkerRuntime",
            dependencies: [
                "MIAKafka",
                "MIAContracts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ],
            swiftSettings: swiftSettings
        ),
        // mia-notifier: the right notification to the right handläggare, once.
        .target(
            name: "MIANotifier",
            dependencies: [
                "MIAWorkerRuntime",
                "MIAContracts",
                "MIAKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mia-notifier",
            dependencies: [
                "MIANotifier",
                "MIAWorkerRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // mia-capacity: ASF training places, reservations and fair waitlists, never overbooked.
        .target(
            name: "MIACapacity",
            dependencies: ["MIAWorkerRuntime", "MIAContracts"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mia-capacity",
            dependencies: [
                "MIACapacity",
                "MIAWorkerRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // mia-booker: trepartsmöten and follow-up meetings on working days in office hours, never double-booked.
        .target(
            name: "MIABooker",
            dependencies: ["MIAWorkerRuntime", "MIAContracts"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mia-booker",
            dependencies: [
                "MIABooker",
                "MIAWorkerRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // mia-stats: ESF statistics with disclosure control on a compacted topic, and reports for analysts.
        .target(
            name: "MIAStats",
            dependencies: [
                "MIAWorkerRuntime", "MIAContracts", "MIAKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mia-stats",
            dependencies: [
                "MIAStats",
                "MIAWorkerRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Fixtures for the runtime's and the workers' tests: a development broker with the registry topics,
        // workers run in-process, child processes, Prometheus text.
        .target(
            name: "MIAWorkerTestKit",
            dependencies: [
                "MIAWorkerRuntime",
                "MIAKafka",
                "MIAContracts",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // A deterministic, seeded generator of a realistic MIA programme (`mia simulate`).
        .target(
            name: "MIASimulation",
            dependencies: ["MIAContracts"],
            swiftSettings: swiftSettings
        ),
        // The commands of the `mia` tool, as a library so that they are testable.
        .target(
            name: "MIACommands",
            dependencies: [
                "MIAKafka",
                "MIAContracts",
                "MIASimulation",
                "MIAWorkerRuntime",
                "MIACapacity",
                "MIABooker",
                "MIAStats",
                "MIANotifier",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The `mia` executable: a thin entry point.
        .executableTarget(
            name: "mia",
            dependencies: ["MIACommands"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MIAKafkaTests",
            dependencies: ["MIAKafka", "MIAContracts"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MIAContractsTests",
            dependencies: ["MIAContracts"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MIAWorkerRuntimeTests",
            dependencies: ["MIAWorkerTestKit", 
                "MIAWorkerRuntime", "MIAKafka", "MIAContracts",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MIANotifierTests",
            dependencies: ["MIAWorkerTestKit", 
                "MIANotifier", "MIAWorkerRuntime", "MIAContracts", "MIAKafka", "MIASimulation",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MIACapacityTests",
            dependencies: [
                "MIAWorkerTestKit",
                "MIACapacity", "MIAWorkerRuntime", "MIAContracts", "MIAKafka",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MIABookerTests",
            dependencies: [
                "MIAWorkerTestKit",
                "MIABooker", "MIAWorkerRuntime", "MIAContracts", "MIAKafka",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MIAStatsTests",
            dependencies: [
                "MIAWorkerTestKit",
                "MIAStats", "MIAWorkerRuntime", "MIAContracts", "MIAKafka", "MIASimulation",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MIASimulationTests",
            dependencies: ["MIASimulation", "MIAContracts"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MIACommandsTests",
            dependencies: [
                "MIAWorkerTestKit", "MIACommands", "MIAKafka", "MIAContracts", "MIAStats", "MIAWorkerRuntime",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
