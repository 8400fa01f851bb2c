import ArgumentParser
import DragonnKit
#if canImport(Glibc)
import Glibc
#endif

/// The root command of a dragonn tool. Its `main` parses the arguments, runs the command and
/// reports failures as samtools and seqkit do: one line, `TOOL: FILE: line N: problem`, exit 1;
/// usage errors as `TOOL: problem` followed by ArgumentParser's usage hint (exit 64).
public protocol DragonnTool: ParsableCommand {}

extension DragonnTool {
    /// The tool's name (the root command's name).
    public static var toolName: String { configuration.commandName ?? String(describing: self) }

    /// ArgumentParser prefixes its messages with this: the tool's name instead of `Error:`.
    public static var _errorPrefix: String { "\(toolName): " }

    /// Prepares the process (`ToolEnvironment.prepare`), parses the arguments, runs the command
    /// and exits with the status its outcome calls for.
    public static func main() {
        ToolEnvironment.prepare()
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let error as DragonnError {
            // (Temporaries are gone already: the run's transaction was released as the error unwound.)
            ToolEnvironment.printError("\(toolName): \(error.description)\n")
            Glibc.exit(1)
        } catch is OutputClosed {
            // The reader of stdout went away: end quietly, as a process killed by SIGPIPE does.
            Glibc.exit(128 + SIGPIPE)
        } catch {
            exit(withError: error)
        }
    }
}
