import Foundation
import MIAContracts

/// An auditor's check of published cells, written independently of MIAStats' relation list: every additive
/// relation between cells, and which of them would give a suppressed count away (exactly one suppressed member).
enum RelationAudit {
    static let delprojekt = Delprojekt.allCases.map(\.rawValue)
    static let insatser = InsatsType.allCases.map(\.rawValue)
    static let outcomes = OutcomeKind.allCases.map(\.rawValue)

    /// Every relation, as lists of keys (a missing key is a published zero).
    static func relations(_ cells: [String: StatisticsCell]) -> [[String]] {
        var relations: [[String]] = []
        let periods = Set(cells.values.map { "\($0.periodType.rawValue):\($0.period)" })
        let indicators = Set(cells.values.map(\.indicator))
        func key(_ p: String, _ d: String, _ g: String, _ i: String, _ n: String) -> String {
            "\(p)/\(d)/\(g)/\(i)/\(n)"
        }
        let ds = delprojekt + ["ALL"]
        let gs = ["kvinna", "man", "total"]
        let iss = insatser + ["all"]
        var months: [String] = []
        var quarters: [String] = []
        var years: [String] = []
        for entry in periods {
            let parts = entry.split(separator: ":").map(String.init)
            switch parts[0] {
            case "month": months.append(parts[1])
            case "quarter": quarters.append(parts[1])
            case "year": years.append(parts[1])
            default: break
            }
        }
        months.sort()
        quarters.sort()
        years.sort()
        let allPeriods = months + quarters + years + ["all"]
        for p in allPeriods {
            for d in ds {
                for i in iss {
                    for n in indicators { relations.append(gs.map { key(p, d, $0, i, n) }) }
                }
                for g in gs {
                    for i in iss {
                        let k = { (n: String) in key(p, d, g, i, n) }
                        relations.append([k("ended")] + outcomes.map(k))
                        relations.append([k("workOrStudies"), k("work"), k("studies")])
                        relations.append([k("started"), k("unemployed"), k("inactive"), k("employed")])
                        relations.append([k("started"), k("isced0_2"), k("isced3_4"), k("isced5_8")])
                    }
                    for n in indicators {
                        relations.append(ds.map { key(p, $0, g, "all", n) })
                        relations.append(iss.map { key(p, d, g, $0, n) })
                    }
                }
            }
        }
        // The delprojekt relation for every insats type, and the insats relation for every delprojekt, are above;
        // add the delprojekt relation of each single insats type.
        for p in allPeriods {
            for g in gs {
                for i in insatser {
                    for n in indicators { relations.append(ds.map { key(p, $0, g, i, n) }) }
                }
            }
        }
        for d in ds {
            for g in gs {
                for i in iss {
                    for n in indicators where n != "activeAtEnd" {
                        for q in quarters {
                            let year = q.prefix(4)
                            let first = (Int(q.suffix(1))! - 1) * 3 + 1
                            let parts = (first..<(first + 3)).map { "\(year)-\($0 < 10 ? "0" : "")\($0)" }
                            relations.append([key(q, d, g, i, n)] + parts.map { key($0, d, g, i, n) })
                        }
                        for y in years {
                            relations.append([key(y, d, g, i, n)] + (1...4).map { key("\(y)-Q\($0)", d, g, i, n) })
                        }
                        relations.append([key("all", d, g, i, n)] + years.map { key($0, d, g, i, n) })
                    }
                    for list in [months, quarters, years] {
                        for (t, p) in list.enumerated() {
                            var members = [
                                key(p, d, g, i, "activeAtEnd"), key(p, d, g, i, "started"), key(p, d, g, i, "ended"),
                            ]
                            if t > 0 { members.append(key(list[t - 1], d, g, i, "activeAtEnd")) }
                            relations.append(members)
                        }
                    }
                    for q in quarters {
                        let last = "\(q.prefix(4))-\(String(format: "%02d", Int(q.suffix(1))! * 3))"
                        relations.append([key(q, d, g, i, "activeAtEnd"), key(last, d, g, i, "activeAtEnd")])
                    }
                    for y in years {
                        relations.append([key(y, d, g, i, "activeAtEnd"), key("\(y)-Q4", d, g, i, "activeAtEnd")])
                    }
                    if let y = years.last {
                        relations.append([key("all", d, g, i, "activeAtEnd"), key(y, d, g, i, "activeAtEnd")])
                    }
                }
            }
        }
        return relations
    }

    /// The relations with exactly one suppressed member: each one gives a suppressed count away.
    static func disclosures(_ cells: [StatisticsCell]) -> [[String]] {
        let byKey = Dictionary(uniqueKeysWithValues: cells.map { ($0.partitionKey, $0) })
        return relations(byKey).filter { relation in
            relation.filter { byKey[$0]?.suppressed == true }.count == 1
        }
    }
}
