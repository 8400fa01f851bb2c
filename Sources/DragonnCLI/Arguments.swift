import ArgumentParser
import DragonnKit

// DragonnKit's option values as command-line arguments (DragonnKit itself knows no ArgumentParser).

extension OneHotLayout: ExpressibleByArgument {}
extension TrimMode: ExpressibleByArgument {}

extension NpyDType: ExpressibleByArgument {
    /// One-hot arrays are written as uint8 or float32 only.
    public static var allValueStrings: [String] { ["uint8", "float32"] }
}
