import MIAContracts

/// The fixed cast of a simulation: Resursråd, handläggare, insats staff and ASF activities with their
/// capacity over time.
struct ProgrammeCatalogue {
    /// A referring handläggare.
    struct Handlaggare {
        var agency: Agency
        var id: String
        var contactChannel: String
    }

    /// One activity at an ASF.
    struct AsfActivity {
        var asfId: String
        var activity: String
    }

    /// One capacity declaration of an ASF activity.
    struct CapacityDeclaration {
        var activity: AsfActivity
        var places: Int
        var fromDate: SimulationDay
        var status: CapacityStatus

        /// The agency input form (`asf-capacity`).
        var inputRecord: InputRecordObject {
            var record = InputRecordObject()
            record["asfId"] = .string(activity.asfId)
            record["activity"] = .string(activity.activity)
            record["places"] = .integer(places)
            record["fromDate"] = .string(fromDate.text)
            record["status"] = .string(status.rawValue)
            return record
        }
    }

    private static let activityNames = [
        "kitchen", "cafe", "workshop", "garden", "second-hand", "cleaning", "reception", "carpentry",
        "bike-repair", "warehouse",
    ]

    private static let agencies = WeightedChoice<Agency>([.af: 40, .fk: 20, .kommun: 30, .region: 10])

    /// The handläggare of each delprojekt.
    private(set) var handlaggare: [Delprojekt: [Handlaggare]] = [:]
    /// The insats staff ids of each delprojekt.
    private(set) var insatsStaff: [Delprojekt: [String]] = [:]
    /// The activities of each delprojekt's ASF.
    private(set) var asfActivities: [Delprojekt: [AsfActivity]] = [:]
    /// Every capacity declaration, in time order.
    private(set) var capacityDeclarations: [CapacityDeclaration] = []

    /// Every staff id that has a calendar: handläggare, then insats staff, in a fixed order.
    var calendarOwners: [String] {
        Delprojekt.allCases.flatMap { delprojekt in
            (handlaggare[delprojekt] ?? []).map(\.id) + (insatsStaff[delprojekt] ?? [])
        }
    }

    /// Draws a catalogue.
    /// - Parameters:
    ///   - configuration: The simulation; its participant count scales the staff.
    ///   - generator: The catalogue's random stream.
    init(configuration: SimulationConfiguration, generator: inout SplitMix64) {
        let delprojektChoice = WeightedChoice(
            values: Delprojekt.allCases, weights: Delprojekt.allCases.map(\.simulationWeight))
        var usedNumbers = Set<Int>()
        let handlaggareCount = max(60, configuration.participants / 40)
        for index in 0..<handlaggareCount {
            let delprojekt =
                index < 2 * Delprojekt.allCases.count
                ? Delprojekt.allCases[index % Delprojekt.allCases.count]
                : delprojektChoice.draw(using: &generator)
            let agency = Self.agencies.draw(using: &generator)
            var number = generator.int(in: 1000...99_999)
            while !usedNumbers.insert(number).inserted { number = generator.int(in: 1000...99_999) }
            let prefix = Self.idPrefix(of: agency)
            let channel = "\(prefix)-secure-mail-\(generator.int(in: 1...40))"
            handlaggare[delprojekt, default: []].append(
                Handlaggare(agency: agency, id: "\(prefix)-h-\(number)", contactChannel: channel))
        }
        for delprojekt in Delprojekt.allCases {
            let staffCount = max(4, handlaggareCount * delprojekt.simulationWeight / 100 / 2)
            insatsStaff[delprojekt] = (1...staffCount).map { "\(delprojekt.simulationCode)-ins-\($0)" }
        }
        drawAsfActivities(configuration: configuration, generator: &generator)
    }

    /// The agency's prefix in staff ids and channels.
    static func idPrefix(of agency: Agency) -> String {
        switch agency {
        case .af: "af"
        case .fk: "fk"
        case .kommun: "kom"
        case .region: "reg"
        }
    }

    /// One ASF per delprojekt with one to three activities of 3-12 places, declared on the first day,
    /// and up to two later changes per activity: a new number of places, or a pause of a few weeks.
    private mutating func drawAsfActivities(configuration: SimulationConfiguration, generator: inout SplitMix64) {
        let first = SimulationDay(configuration.from)
        let last = SimulationDay(configuration.to)
        for delprojekt in Delprojekt.allCases {
            let names = generator.sample(generator.int(in: 1...3), of: Self.activityNames)
            for name in names {
                let activity = AsfActivity(asfId: delprojekt.simulatedAsfId, activity: name)
                asfActivities[delprojekt, default: []].append(activity)
                var places = generator.int(in: 3...12)
                capacityDeclarations.append(
                    CapacityDeclaration(activity: activity, places: places, fromDate: first, status: .active))
                let latestChange = max(30, first.distance(to: last) - 60)
                let changeDays = (0..<generator.int(in: 0...2))
                    .map { _ in (first + generator.int(in: 30...latestChange)).workingDayOrNext }
                    .sorted()
                var notBefore = first + 1
                for day in changeDays where day >= notBefore && day <= last {
                    if generator.chance(0.7) {
                        places = min(14, max(2, places + generator.element(of: [-3, -2, -1, 1, 2, 3])))
                        capacityDeclarations.append(
                            CapacityDeclaration(activity: activity, places: places, fromDate: day, status: .active))
                        notBefore = day + 1
                    } else {
                        let resume = (day + 7 * generator.int(in: 2...8)).workingDayOrNext
                        capacityDeclarations.append(
                            CapacityDeclaration(activity: activity, places: places, fromDate: day, status: .paused))
                        if resume <= last {
                            capacityDeclarations.append(
                                CapacityDeclaration(
                                    activity: activity, places: places, fromDate: resume, status: .active))
                        }
                        notBefore = resume + 1
                    }
                }
            }
        }
        capacityDeclarations.sort {
            ($0.fromDate, $0.activity.asfId, $0.activity.activity) < (
                $1.fromDate, $1.activity.asfId, $1.activity.activity
            )
        }
    }
}
