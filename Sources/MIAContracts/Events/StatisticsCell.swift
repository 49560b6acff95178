/// One disclosure-controlled figure of the ESF and SUS statistics (`se.mia.statistics.cell`, compacted
/// topic `mia.statistics.v1`, keyed by ``partitionKey``).
///
/// `value` and `share` are always present in JSON and are `null` when the cell is suppressed.
public struct StatisticsCell: EventData {
    /// The code that stands for all delprojekt together in ``delprojekt``.
    public static let allDelprojekt = "ALL"
    /// The code that stands for all insatser together in ``Breakdown/insatsType``.
    public static let allInsatser = "all"

    /// The period: `2018` (year), `2018-Q2` (quarter), `2018-03` (month) or `all` (programme).
    public var period: String
    /// The kind of period; decides the format of ``period``.
    public var periodType: StatisticsPeriodType
    /// A ``Delprojekt`` code, or ``allDelprojekt``.
    public var delprojekt: String
    /// The breakdown of the figure.
    public var breakdown: Breakdown
    /// The indicator, for example `participants`, `longTermUnemployed` or `workOrStudies`.
    public var indicator: String
    /// The count, or `nil` when suppressed.
    public var value: Int?
    /// The count as a share of the breakdown's participants, `0...1`, or `nil` when suppressed or undefined.
    public var share: Double?
    /// Whether disclosure control suppressed the cell.
    public var suppressed: Bool
    /// How disclosure control treated the cell; ``SuppressionMethod/none`` exactly when not suppressed.
    public var suppressionMethod: SuppressionMethod
    /// The smallest count published (counts from 1 to `threshold - 1` are suppressed).
    public var threshold: Int
    /// A reference share to compare with, for example a programme target of `0.30`, if any.
    public var reference: Double?

    /// The breakdown of a statistics cell.
    public struct Breakdown: Codable, Sendable, Hashable {
        /// Women, men or everyone.
        public var gender: StatisticsGender
        /// An ``InsatsType`` code, or ``StatisticsCell/allInsatser``.
        public var insatsType: String

        /// Creates a value from its fields; see the properties for their meaning.
        public init(gender: StatisticsGender, insatsType: String) {
            self.gender = gender
            self.insatsType = insatsType
        }
    }

    /// Creates a value from its fields; see the properties for their meaning.
    public init(
        period: String, periodType: StatisticsPeriodType, delprojekt: String, breakdown: Breakdown, indicator: String,
        value: Int?, share: Double?, suppressed: Bool, suppressionMethod: SuppressionMethod, threshold: Int,
        reference: Double? = nil
    ) {
        self.period = period
        self.periodType = periodType
        self.delprojekt = delprojekt
        self.breakdown = breakdown
        self.indicator = indicator
        self.value = value
        self.share = share
        self.suppressed = suppressed
        self.suppressionMethod = suppressionMethod
        self.threshold = threshold
        self.reference = reference
    }

    /// `<period>/<delprojekt>/<gender>/<insatsType>/<indicator>`: one compacted record per figure.
    public var partitionKey: String {
        "\(period)/\(delprojekt)/\(breakdown.gender.rawValue)/\(breakdown.insatsType)/\(indicator)"
    }

    private enum CodingKeys: String, CodingKey {
        case period, periodType, delprojekt, breakdown, indicator, value, share, suppressed, suppressionMethod
        case threshold, reference
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        for key in [CodingKeys.value, .share] where !container.contains(key) {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: container.codingPath, debugDescription: "required, null when suppressed"))
        }
        period = try container.decode(String.self, forKey: .period)
        periodType = try container.decode(StatisticsPeriodType.self, forKey: .periodType)
        delprojekt = try container.decode(String.self, forKey: .delprojekt)
        breakdown = try container.decode(Breakdown.self, forKey: .breakdown)
        indicator = try container.decode(String.self, forKey: .indicator)
        value = try container.decodeIfPresent(Int.self, forKey: .value)
        share = try container.decodeIfPresent(Double.self, forKey: .share)
        suppressed = try container.decode(Bool.self, forKey: .suppressed)
        suppressionMethod = try container.decode(SuppressionMethod.self, forKey: .suppressionMethod)
        threshold = try container.decode(Int.self, forKey: .threshold)
        reference = try container.decodeIfPresent(Double.self, forKey: .reference)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(period, forKey: .period)
        try container.encode(periodType, forKey: .periodType)
        try container.encode(delprojekt, forKey: .delprojekt)
        try container.encode(breakdown, forKey: .breakdown)
        try container.encode(indicator, forKey: .indicator)
        try container.encode(value, forKey: .value)
        try container.encode(share, forKey: .share)
        try container.encode(suppressed, forKey: .suppressed)
        try container.encode(suppressionMethod, forKey: .suppressionMethod)
        try container.encode(threshold, forKey: .threshold)
        try container.encodeIfPresent(reference, forKey: .reference)
    }

    public func violations(as type: EventType) -> [ContractViolation] {
        var check = ViolationCollector()
        if !Self.period(period, matches: periodType) {
            check.add(.invalidValue, "period", "must match periodType: YYYY-MM, YYYY-Qn, YYYY or all")
        }
        if delprojekt != Self.allDelprojekt && Delprojekt(rawValue: delprojekt) == nil {
            check.add(.invalidValue, "delprojekt", "must be a delprojekt code or ALL")
        }
        if breakdown.insatsType != Self.allInsatser && InsatsType(rawValue: breakdown.insatsType) == nil {
            check.add(.invalidValue, "breakdown.insatsType", "must be an insats type or all")
        }
        check.code(indicator, "indicator")
        check.nonNegative(threshold, "threshold")
        if let value { check.nonNegative(value, "value") }
        if let share, !(0...1).contains(share) { check.add(.invalidValue, "share", "must be between 0 and 1") }
        if let reference, !(0...1).contains(reference) {
            check.add(.invalidValue, "reference", "must be between 0 and 1")
        }
        if suppressed {
            check.absent(value, "value", "a suppressed cell has value null")
            check.absent(share, "share", "a suppressed cell has share null")
            if suppressionMethod == .none {
                check.add(.invalidValue, "suppressionMethod", "must not be none when suppressed")
            }
        } else {
            check.present(value, "value", "a published cell has a value")
            if suppressionMethod != .none {
                check.add(.invalidValue, "suppressionMethod", "must be none when not suppressed")
            }
        }
        return check.violations
    }

    /// Whether a period text has the format its type requires.
    private static func period(_ period: String, matches type: StatisticsPeriodType) -> Bool {
        let parts = period.split(separator: "-", omittingEmptySubsequences: false)
        func isYear(_ text: Substring) -> Bool { text.count == 4 && text.allSatisfy { $0.isASCII && $0.isNumber } }
        switch type {
        case .programme:
            return period == "all"
        case .year:
            return parts.count == 1 && isYear(parts[0])
        case .quarter:
            return parts.count == 2 && isYear(parts[0]) && ["Q1", "Q2", "Q3", "Q4"].contains(parts[1])
        case .month:
            return parts.count == 2 && isYear(parts[0]) && Int(parts[1]).map((1...12).contains) == true
                && parts[1].count == 2
        }
    }
}
