import CHTSlib

/// Runs `body` with htslib's own log off, restoring the previous level after: the tools report
/// a damaged or foreign file in one line of their own, and htslib would print its line first.
func withHTSLogSilenced<T>(_ body: () throws -> T) rethrows -> T {
    let level = hts_get_log_level()
    hts_set_log_level(HTS_LOG_OFF)
    defer { hts_set_log_level(level) }
    return try body()
}
