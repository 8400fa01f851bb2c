/// The version of the dragonn tools and engine: printed by every tool's `--version` and written
/// into model files (`__metadata__` key `dragonn_version`).
public enum DragonnVersion {
    public static let string = "0.2.0"
}
