import Foundation

extension NotificationTemplates {
    /// The environment variable that names the template folder.
    public static let environmentVariable = "MIA_NOTIFIER_TEMPLATES"

    /// The templates an operator chose, or the shipped ones.
    ///
    /// In order: the folder `directory` names (the `--templates` flag), the folder ``environmentVariable`` names,
    /// the nearest `notifier/templates` in the executable's folder or a folder above it, `notifier/templates` in
    /// the working directory, and finally the built-in templates.
    /// - Parameters:
    ///   - directory: The folder given on the command line, if any.
    ///   - environment: The process environment.
    ///   - executable: The running executable, if known.
    ///   - workingDirectory: The working directory.
    /// - Throws: ``NotifierError`` when a folder named by the flag or the variable is missing or holds an invalid
    ///   template, or a found folder holds an invalid template.
    public static func locate(
        directory: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = Bundle.main.executableURL,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(NotifierError) -> NotificationTemplates {
        if let named = directory ?? environment[environmentVariable] {
            return try NotificationTemplates(directory: named)
        }
        var candidates: [URL] = []
        if var folder = executable?.resolvingSymlinksInPath().deletingLastPathComponent() {
            while folder.path != "/" {
                candidates.append(folder.appendingPathComponent("notifier/templates"))
                folder.deleteLastPathComponent()
            }
        }
        candidates.append(URL(fileURLWithPath: workingDirectory).appendingPathComponent("notifier/templates"))
        guard let found = candidates.first(where: { isDirectory($0.path) }) else { return .builtIn }
        return try NotificationTemplates(directory: found.path)
    }
}
