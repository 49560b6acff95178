import MIAContracts

extension Delprojekt {
    /// The short code used in simulated ids, for example `sthlm` in `ref-2018-sthlm-00042`.
    var simulationCode: String {
        switch self {
        case .hbs: "hbs"
        case .stockholm: "sthlm"
        case .sodertalje: "sdt"
        case .sodraRoslagen: "sro"
        case .varNa: "varna"
        case .ostraSodertorn: "ost"
        }
    }

    /// The relative number of referrals: Stockholms stad largest, Södra Roslagen smallest.
    var simulationWeight: Int {
        switch self {
        case .stockholm: 30
        case .hbs: 18
        case .ostraSodertorn: 16
        case .sodertalje: 14
        case .varNa: 12
        case .sodraRoslagen: 10
        }
    }

    /// The number of Resursråd the delprojekt runs.
    var resursradCount: Int {
        switch self {
        case .stockholm: 3
        case .hbs: 2
        default: 1
        }
    }

    /// The delprojekt's simulated ASF.
    var simulatedAsfId: String {
        switch self {
        case .hbs: "asf-hbs-verkstan"
        case .stockholm: "asf-sthlm-kompassen"
        case .sodertalje: "asf-sdt-cafe"
        case .sodraRoslagen: "asf-sro-tradgarden"
        case .varNa: "asf-varna-returen"
        case .ostraSodertorn: "asf-ost-snickeriet"
        }
    }
}
