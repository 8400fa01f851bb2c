import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `dragonn-attrib motifs`: motif-score tracks and motif hits of named PWMs over sequences.
///
/// Tracks are the best-strand log2-odds score at each base (the score of the window starting
/// there, see `MotifScan`), written like the attribution tracks (bedGraph, BGZF + tabix, genomic
/// coordinates when the sequences came from a genome). Hits are windows with an exact p-value at
/// most `threshold` (`MotifHits`), as BED6+.
public struct MotifScanJob {
    /// Motif names of the collection; `all` scans every motif.
    public var motifNames: [String] = []
    public var motifFiles: [String] = []
    public var noBundledMotifs = false
    public var input = SequenceInput(.file("-"))
    /// GC fraction of the background; nil estimates it from the input's ACGT bases.
    public var gcFraction: Double? = 0.4
    /// The tracks: one file per motif (`NAME.MOTIF.bedGraph`) when several; nil = no track.
    public var output: String? = "-"
    public var trackLine = false
    /// float32 `[sequence][motif][position]` scores.
    public var npy: String?
    /// BED6+ hits: `chrom start end motif score strand p q`.
    public var hits: String?
    public var threshold = 1e-4
    public var truth: String?
    public var threads = 1

    public init() {}

    /// Runs the scan; `note` receives stderr notes. All outputs appear together at the end, or none.
    public func run(note: (String) -> Void) throws {
        guard !motifNames.isEmpty else { throw DragonnError("name at least one motif (or 'all')") }
        guard threshold > 0, threshold <= 1 else { throw DragonnError("--threshold must be a p-value in (0, 1]") }
        let collection = try MotifCollection.load(files: motifFiles, replaceBundled: noBundledMotifs)
        var pwms: [PWM] = []
        for name in motifNames {
            if name == "all" { pwms += collection.motifs } else { pwms.append(try collection.motif(named: name)) }
        }
        let stdoutUsers = [output, hits, npy, truth != nil ? "-" : nil].compactMap { $0 }.filter { $0 == "-" }.count
        guard stdoutUsers <= 1 else {
            throw DragonnError("only one output can go to stdout: give the track (-o), --hits or --npy a file")
        }
        if let output, output == "-", pwms.count > 1 {
            throw DragonnError("\(pwms.count) motifs make \(pwms.count) tracks: give -o FILE (one file per motif, NAME.MOTIF.bedGraph), or --hits/--npy alone")
        }
        let trackPaths = output.map { out in
            pwms.map { pwms.count == 1 ? out : AttributionJob.insert($0.name, into: out) }
        } ?? []
        var declared = trackPaths + [npy, hits].compactMap { $0 } + (truth != nil ? ["-"] : [])
        declared = declared.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        guard declared.count == trackPaths.count + [npy, hits].compactMap({ $0 }).count + (truth != nil ? 1 : 0) else {
            throw DragonnError("two outputs share one path")
        }
        let outputs = try OutputTransaction(inputs: input.paths + motifFiles + [truth].compactMap { $0 }, outputs: declared)
        let source = input.name
        let reader = try input.reader()
        let sequences = try reader.readAll()
        guard sequences.count > 0 else { throw DragonnError(file: source, "no sequences") }
        let n = sequences.count, length = sequences.length
        let gc = gcFraction ?? MotifScan.gcFraction(of: sequences.codes)
        if gcFraction == nil { note("background GC fraction estimated from the input: \(String(format: "%.4f", gc))") }
        let background = MotifScan.background(gcFraction: gc)
        let truthInstances = try truth.map {
            // The attribution job's reader: BED6 whose chrom names a sequence of the input.
            try TruthBED.instances(path: $0, names: sequences.names)
        }

        if !trackPaths.isEmpty || npy != nil || truth != nil {
            let npyWriter = try npy.map { try outputs.openNpy($0, dtype: .float32, rowShape: [pwms.count, length]) }
            // [motif][sequence][position]; the .npy wants [sequence][motif][position].
            var all: [Float] = npy != nil ? [Float](repeating: 0, count: pwms.count * n * length) : []
            var tsv = "method\ttask\tmotif\tauPRC\twindows\n"
            let intervals = (0..<n).map { TrackInterval.placing(sequences, $0, valueIndex: $0 * length) }
            for (m, pwm) in pwms.enumerated() {
                let scores = MotifScan.scoreTracks(pwm: pwm, codes: sequences.codes, count: n, length: length, background: background)
                if m < trackPaths.count {
                    let track = "track type=bedGraph name=\"\(pwm.name) score\" description=\"dragonn-attrib motifs: \(pwm.name) best-strand log2 odds\" visibility=full autoScale=on"
                    try writeBedGraph(path: trackPaths[m], in: outputs, intervals: intervals, values: scores,
                                      chromosomeOrder: reader.chromosomeOrder, trackLine: trackLine ? track : nil)
                }
                if npy != nil { all.replaceSubrange((m * n * length)..<((m + 1) * n * length), with: scores) }
                if let truthInstances {
                    // The task column holds the scanned motif, so that these rows line up with
                    // the attribution methods' rows of the same truth.
                    // Scored on the positive part: the large negative log odds of every
                    // non-matching window would otherwise swamp the window sums.
                    let positive = scores.map { max($0, 0) }
                    for r in try positionalPRC(scores: positive, names: sequences.names, length: length, truth: truthInstances) {
                        tsv += "motif-score\t\(pwm.name)\t\(r.motif)\t\(String(format: "%.4f", r.auPRC))\t\(r.windows)\n"
                    }
                }
            }
            if let npyWriter {
                var row = [Float](repeating: 0, count: pwms.count * length)
                for s in 0..<n {
                    for m in 0..<pwms.count {
                        for p in 0..<length { row[m * length + p] = all[(m * n + s) * length + p] }
                    }
                    try row.withUnsafeBytes { try npyWriter.append($0) }
                    npyWriter.addRows(1)
                }
            }
            if truth != nil { try outputs.open("-").write(tsv) }
        }

        if let hits {
            let scanInput = MotifScanInput(codes: sequences.codes, count: n, length: length)
            var perMotif = [[MotifHit]](repeating: [], count: pwms.count)
            perMotif.withUnsafeMutableBufferPointer { slots in
                parallelChunks(count: pwms.count, threads: threads) { _, range in
                    for m in range {
                        slots[m] = MotifHits.find(pwm: pwms[m], motifIndex: m, in: scanInput,
                                                  background: background, threshold: threshold)
                    }
                }
            }
            try writeHits(perMotif.flatMap { $0 }, to: try outputs.open(hits), sequences: sequences,
                          chromosomeOrder: reader.chromosomeOrder, names: pwms.map(\.name))
        }
        try outputs.commit()
    }

    /// BED6+ rows `chrom start end motif score strand p q`, sorted by the reference's chromosome
    /// order (else the input's), start, end, motif, strand.
    func writeHits(_ hits: [MotifHit], to out: OutputFile, sequences: SequenceSet, chromosomeOrder: [String]?,
                   names: [String]) throws {
        let places = (0..<sequences.count).map { TrackInterval.placing(sequences, $0, valueIndex: 0) }
        var rank: [String: Int] = [:]
        for c in chromosomeOrder ?? [] where rank[c] == nil { rank[c] = rank.count }
        for p in places where rank[p.chrom] == nil { rank[p.chrom] = rank.count }
        let keyed = hits.map { h -> (Int, Int, MotifHit) in
            let place = places[h.sequence]
            return (rank[place.chrom]!, place.start + h.start, h)
        }
        let sorted = keyed.sorted { a, b in
            if a.0 != b.0 { return a.0 < b.0 }
            if a.1 != b.1 { return a.1 < b.1 }
            if a.2.width != b.2.width { return a.2.width < b.2.width }
            if a.2.motif != b.2.motif { return a.2.motif < b.2.motif }
            return a.2.strand == "+" && b.2.strand == "-"
        }
        // Formatted straight into the output's buffer: C printf conversions (as String(format:)
        // makes them) for the three decimals.
        let chroms = places.map { Array($0.chrom.utf8) }, motifNames = names.map { Array($0.utf8) }
        func put(_ bytes: [UInt8], _ to: UnsafeMutablePointer<UInt8>) -> Int {
            bytes.withUnsafeBufferPointer { to.update(from: $0.baseAddress!, count: $0.count) }
            return bytes.count
        }
        func put(_ format: StaticString, _ value: Double, _ to: UnsafeMutablePointer<UInt8>, _ room: Int) -> Int {
            let n = withVaList([value]) { args in
                format.withUTF8Buffer { f in
                    f.withMemoryRebound(to: CChar.self) { vsnprintf(UnsafeMutableRawPointer(to).assumingMemoryBound(to: CChar.self), room, $0.baseAddress!, args) }
                }
            }
            return Int(n)
        }
        // p- and q-values repeat (one per integer score of a motif): each is formatted once.
        var formatted: [UInt64: [UInt8]] = [:]
        func putG(_ value: Double, _ to: UnsafeMutablePointer<UInt8>) -> Int {
            if let bytes = formatted[value.bitPattern] { return put(bytes, to) }
            let n = put("%.3g", value, to, 32)
            formatted[value.bitPattern] = Array(UnsafeBufferPointer(start: to, count: n))
            return n
        }
        for (_, start, h) in sorted {
            let chrom = chroms[h.sequence], name = motifNames[h.motif]
            try out.withReservedBytes(chrom.count + name.count + 160) { to in
                var n = put(chrom, to)
                to[n] = 9; n += 1
                n += writeDecimal(start, to: to + n); to[n] = 9; n += 1
                n += writeDecimal(start + h.width, to: to + n); to[n] = 9; n += 1
                n += put(name, to + n); to[n] = 9; n += 1
                n += put("%.3f", h.score, to + n, 64); to[n] = 9; n += 1
                to[n] = h.strand == "+" ? 43 : 45; to[n + 1] = 9; n += 2
                n += putG(h.pValue, to + n); to[n] = 9; n += 1
                n += putG(h.qValue, to + n); to[n] = 10; n += 1
                return n
            }
        }
    }
}
