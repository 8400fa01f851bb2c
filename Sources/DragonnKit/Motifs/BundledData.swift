import Foundation

/// Finds data files that ship with dragonn, both in the build tree and after `make install`.
///
/// Search order: `$DRAGONN_DATA` (a folder, or the file itself), `<executable dir>/../share/dragonn/`
/// (the `make install PREFIX=...` layout), then the SwiftPM resource bundle of the build.
public enum BundledData {
    /// The ENCODE motif collection (Kheradpour & Kellis 2014).
    public static let encodeMotifs = "encode_motifs.txt.gz"

    /// The path of the bundled file `name`, or an error listing where it was looked for.
    public static func path(of name: String) throws -> String {
        let fm = FileManager.default
        var tried: [String] = []
        func check(_ p: String) -> String? {
            tried.append(p)
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: p, isDirectory: &isDir) && !isDir.boolValue ? p : nil
        }
        if let env = ProcessInfo.processInfo.environment["DRAGONN_DATA"], !env.isEmpty {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: env, isDirectory: &isDir), !isDir.boolValue, env.hasSuffix(name) { return env }
            if let p = check(env + "/" + name) { return p }
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let candidates = [Bundle.main.executableURL?.resolvingSymlinksInPath(), executable]
        for exe in candidates.compactMap({ $0 }) {
            let dir = exe.deletingLastPathComponent()
            if let p = check(dir.appendingPathComponent("../share/dragonn/\(name)").standardized.path) { return p }
        }
        // The SwiftPM resource bundle beside the executable (the build tree). Not `Bundle.module`:
        // its accessor aborts the process when the bundle is missing, and we want an error instead.
        for exe in candidates.compactMap({ $0 }) {
            let dir = exe.deletingLastPathComponent()
            if let p = check(dir.appendingPathComponent("dragonn_DragonnKit.resources/Resources/\(name)").path) {
                return p
            }
        }
        throw DragonnError("cannot find bundled \(name) (looked in \(tried.joined(separator: ", "))); set DRAGONN_DATA to its folder")
    }
}
