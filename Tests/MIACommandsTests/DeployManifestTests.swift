import Foundation
import MIAContracts
import MIAWorkerTestKit
import Testing

@testable import MIACommands

@Suite("deploy/: manifests generated from the code, least-privilege ACLs, variables the workers accept")
struct DeployManifestTests {
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy")

    /// Every YAML document under deploy/, parsed by PyYAML and returned as JSON, with the file it came from.
    static func documents() async throws -> [(file: String, document: [String: Any])] {
        let script = """
            import glob, json, sys, yaml
            out = []
            for path in sorted(glob.glob(sys.argv[1] + '/**/*.yaml', recursive=True)):
                for document in yaml.safe_load_all(open(path)):
                    if document is not None:
                        out.append({'file': path[len(sys.argv[1]) + 1:], 'document': document})
            print(json.dumps(out))
            """
        let result = try await runToCompletion("python3", ["-c", script, deploy.path])
        #expect(result.status == 0, "every YAML file parses: \(result.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
        return parsed.compactMap { entry in
            guard let file = entry["file"] as? String, let document = entry["document"] as? [String: Any] else {
                return nil
            }
            return (file, document)
        }
    }

    @Test("The committed Kubernetes manifests equal what mia deploy render generates")
    func upToDate() async throws {
        let check = try await runToCompletion(
            "mia", ["deploy", "render", "--check", "--out", Self.deploy.appendingPathComponent("kubernetes").path])
        #expect(check.status == 0, "run `mia deploy render`: \(check.stdout)")
        let generated = Set(KubernetesManifests().files.keys)
        let committed = Set(
            (FileManager.default.enumerator(atPath: Self.deploy.appendingPathComponent("kubernetes").path)?
                .compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".yaml") })
        #expect(committed == generated, "no stale files beside the generated ones")
    }

    @Test("Every worker has a Deployment, ScaledObject, KafkaUser and PodDisruptionBudget; ACLs are exactly its topics")
    func perWorker() async throws {
        let documents = try await Self.documents().filter { $0.file.hasPrefix("kubernetes/base/") }
        func resource(_ kind: String, _ name: String) -> [String: Any]? {
            documents.first {
                $0.document["kind"] as? String == kind
                    && ($0.document["metadata"] as? [String: Any])?["name"] as? String == name
            }?.document
        }
        #expect(WorkerCatalogue.all.map(\.name) == TopicRegistry.workers)
        for worker in WorkerCatalogue.all {
            let name = "mia-\(worker.name)"
            for kind in ["Deployment", "ScaledObject", "KafkaUser", "PodDisruptionBudget", "Service"] {
                #expect(resource(kind, name) != nil || resource(kind, "\(name)-metrics") != nil, "\(kind) \(name)")
            }
            let user = try #require(resource("KafkaUser", name))
            let acls =
                ((user["spec"] as? [String: Any])?["authorization"] as? [String: Any])?["acls"] as? [[String: Any]]
                ?? []
            var reads: Set<String> = []
            var writes: Set<String> = []
            var groups: Set<String> = []
            for acl in acls {
                let resource = acl["resource"] as? [String: Any] ?? [:]
                let target = resource["name"] as? String ?? ""
                let operations = Set(acl["operations"] as? [String] ?? [])
                #expect(resource["patternType"] as? String == "literal", "no wildcard ACLs")
                switch resource["type"] as? String {
                case "group": groups.insert(target)
                case "topic" where operations.contains("Write"): writes.insert(target)
                case "topic" where operations.contains("Read"): reads.insert(target)
                default: Issue.record("unexpected ACL \(acl)")
                }
                #expect(!operations.contains("All") && !operations.contains("Alter"), "least privilege")
            }
            #expect(reads == Set(worker.inputs), "\(name) reads exactly its inputs")
            #expect(writes == Set(worker.outputs + [worker.deadLetterTopic]), "\(name) writes its outputs and DLQ")
            #expect(groups == [worker.name])
            let scaled = try #require(resource("ScaledObject", name))
            let maxReplicas = (scaled["spec"] as? [String: Any])?["maxReplicaCount"] as? Int ?? .max
            let partitions = worker.inputs.compactMap { KubernetesManifests().registry.topic(named: $0)?.partitions }
            #expect(maxReplicas <= partitions.max() ?? 0, "\(name): no more replicas than input partitions")
        }
        let topics = documents.filter { $0.document["kind"] as? String == "KafkaTopic" }
        let names = Set(topics.compactMap { ($0.document["spec"] as? [String: Any])?["topicName"] as? String })
        #expect(names == Set(TopicRegistry.default.topics.map(\.name)), "a KafkaTopic for every registry topic")
        for topic in topics {
            let spec = topic.document["spec"] as? [String: Any] ?? [:]
            let config = spec["config"] as? [String: Any] ?? [:]
            #expect(spec["replicas"] as? Int == 3)
            #expect(config["min.insync.replicas"] as? Int == 2)
            #expect(config["retention.ms"] != nil)
        }
    }

    @Test("Every environment variable in the manifests and the Compose file is one the executable accepts")
    func environmentVariables() async throws {
        var helps: [String: String] = [:]
        for document in try await Self.documents() {
            for (executable, names) in Self.environment(in: document.document) {
                if helps[executable] == nil {
                    helps[executable] = try await runToCompletion(executable, ["--help"]).stdout
                }
                let help = helps[executable] ?? ""
                for name in names {
                    let accepted =
                        help.contains(name)
                        || (name.hasPrefix("MIA_KAFKA_") && help.contains("MIA_KAFKA_<PROPERTY>"))
                    #expect(accepted, "\(document.file): \(executable) does not accept \(name)")
                }
            }
        }
        #expect(Set(helps.keys).isSuperset(of: WorkerCatalogue.all.map(\.executable)), "every worker is deployed")
    }

    /// The environment variable names per executable in a Deployment or a Compose file.
    static func environment(in document: [String: Any]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        if document["kind"] as? String == "Deployment",
            let containers =
                (((document["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"]
                as? [String: Any])?["containers"] as? [[String: Any]]
        {
            for container in containers {
                guard let command = (container["command"] as? [String])?.first else { continue }
                let names = (container["env"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                result[URL(fileURLWithPath: command).lastPathComponent, default: []] += names
            }
        }
        if let services = document["services"] as? [String: Any] {
            for case let service as [String: Any] in services.values {
                guard let command = (service["command"] as? [String])?.first, command.hasPrefix("mia-") else {
                    continue
                }
                let names = (service["environment"] as? [String: Any])?.keys.map { $0 } ?? []
                result[command, default: []] += names
            }
        }
        return result
    }
}
