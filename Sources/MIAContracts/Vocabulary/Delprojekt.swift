/// One of MIA's six delprojekt, each run by one samordningsförbund.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum Delprojekt: String, Sendable, Hashable, Codable, CaseIterable {
    /// Huddinge Botkyrka Salem.
    case hbs = "HBS"

    /// Stockholms stad.
    case stockholm = "Stockholm"

    /// Södertälje.
    case sodertalje = "Sodertalje"

    /// Södra Roslagen (Täby, Österåker and neighbours).
    case sodraRoslagen = "SodraRoslagen"

    /// VärNa (Värmdö and Nacka).
    case varNa = "VarNa"

    /// Östra Södertörn (Tyresö, Haninge, Nynäshamn); also the owner of MIA.
    case ostraSodertorn = "OstraSodertorn"
}
