/// The motif file formats dragonn reads, told apart by their content.
public enum MotifFormat: String, CaseIterable, Sendable {
    /// ENCODE motifs (Kheradpour & Kellis 2014): `>NAME ...`, then one line per position,
    /// `<consensus letter> pA pC pG pT`.
    case encode
    /// HOMER `.motif`: `>CONSENSUS<TAB>NAME<TAB>threshold...`, then one line per position, `pA pC pG pT`.
    case homer
    /// MEME minimal text: `MEME version N`, `MOTIF id [alt]`, `letter-probability matrix: ...`, rows.
    case meme
    /// JASPAR `.jaspar`/`.pfm`: `>ID NAME`, then four rows (A, C, G, T) of counts, one per position,
    /// optionally written `A [ 1 2 3 ]`.
    case jaspar

    /// Guesses the format of `lines` from the first header and the lines after it.
    static func detect(_ lines: [String]) -> MotifFormat? {
        var i = 0
        while i < lines.count, lines[i].trimmedSpace.isEmpty || lines[i].hasPrefix("#") { i += 1 }
        guard i < lines.count else { return nil }
        let first = lines[i].trimmedSpace
        if first.hasPrefix("MEME version") { return .meme }
        guard first.hasPrefix(">") else { return nil }
        let header = String(first.dropFirst()).fields
        // HOMER headers carry a log-odds threshold as the third field.
        if header.count >= 3, Double(header[2]) != nil { return .homer }
        var j = i + 1
        while j < lines.count, lines[j].trimmedSpace.isEmpty { j += 1 }
        guard j < lines.count else { return nil }
        let row = lines[j].fields
        guard let head = row.first else { return nil }
        if lines[j].contains("[") { return .jaspar }
        let numbers = row.filter { Double($0) != nil }.count
        if Double(head) == nil {
            // A letter then numbers: ENCODE rows have exactly four numbers; JASPAR rows have one
            // per position and are labelled A, C, G, T in order.
            if numbers == 4 && row.count == 5 {
                if head == "A", j + 3 < lines.count,
                   lines[j + 1].fields.first == "C", lines[j + 2].fields.first == "G",
                   lines[j + 3].fields.first == "T",
                   j + 4 >= lines.count || lines[j + 4].trimmedSpace.isEmpty || lines[j + 4].hasPrefix(">") {
                    return .jaspar
                }
                return .encode
            }
            return head == "A" ? .jaspar : .encode
        }
        // Bare numbers: HOMER rows have four per position; raw JASPAR rows have one per position.
        if numbers == 4 {
            // A 4-position JASPAR matrix also has four numbers per row: it has exactly four rows.
            var k = j, rows = 0
            while k < lines.count, !lines[k].hasPrefix(">"), !lines[k].trimmedSpace.isEmpty { rows += 1; k += 1 }
            return rows == 4 && header.count == 2 && header[0].contains(".") ? .jaspar : .homer
        }
        return .jaspar
    }
}
