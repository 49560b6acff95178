import ArgumentParser
import Foundation

/// `mia deploy`: the production manifests, generated from the code.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Generate the Kubernetes manifests of deploy/kubernetes from the topic registry and the workers.",
        subcommands: [Render.self])

    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write (or --check) the Kustomize base and overlays: topics, ACLs, scaling, alerts.",
            discussion: """
                The Strimzi KafkaTopics come from the topic registry (partitions, replication 3, \
                min.insync.replicas 2, cleanup policy, retention); each worker's KafkaUser gets exactly the ACLs \
                its handler declares (read its inputs and its group, write its outputs and its dead-letter \
                topic); each KEDA ScaledObject scales on the worker's consumer-group lag, to at most its input \
                partitions. With --check nothing is written: the command fails when a committed file differs.
                """)

        @Option(help: ArgumentHelp("The directory to write to.", valueName: "dir"))
        var out = "deploy/kubernetes"

        @Flag(help: "Compare with the files in --out instead of writing; exit 1 on any difference.")
        var check = false

        func run() async throws {
            let root = URL(fileURLWithPath: out, isDirectory: true)
            var differing: [String] = []
            for (path, contents) in KubernetesManifests().files.sorted(by: { $0.key < $1.key }) {
                let url = root.appendingPathComponent(path)
                if check {
                    if (try? String(contentsOf: url, encoding: .utf8)) != contents { differing.append(path) }
                } else {
                    try FileManager.default.createDirectory(
                        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try contents.write(to: url, atomically: true, encoding: .utf8)
                    print("wrote \(url.path)")
                }
            }
            if check {
                guard differing.isEmpty else {
                    print("out of date (run mia deploy render): \(differing.joined(separator: ", "))")
                    throw ExitCode(1)
                }
                print("\(out) is up to date")
            }
        }
    }
}
