import Foundation

/// The file parsers that the fuzz harness (`Sources/DragonnFuzz`, `scripts/fuzz.sh`) drives and
/// that the corpus replay test runs, one case per seed-corpus folder `testdata/fuzz/<rawValue>/`.
/// Each reads a whole file the way a tool does; a malformed file must end in a thrown
/// `DragonnError`, never in a trap, a sanitizer report or an unbounded allocation.
public enum FuzzParser: String, CaseIterable, Sendable {
    /// FASTA/FASTQ through the batch reader (SequenceReader underneath, `labels=` tags).
    case fasta
    /// BED3+ and narrowPeak regions.
    case bed
    /// BED regions cut from a small genome (`fuzzGenome`), as given and recentred to 20 bp.
    case regions
    /// The `--labels` TSV.
    case labels
    /// Motif files: format detection, then the detected format's reader.
    case motifs
    /// Each motif reader on its own, whatever the detection would say.
    case encode, homer, meme, jaspar
    /// `.npy`: header, float conversion, and the one-hot batch reader for `[N,4,L]`/`[N,L,4]` shapes.
    case npy
    /// safetensors container.
    case safetensors
    /// A model file as the tools load it (`SequenceDNN.load`).
    case model
    /// A `dragonn-train` checkpoint as `--resume` reads it.
    case checkpoint
    /// A VCF/BCF as `dragonn-predict --vcf` reads it: every record's alleles (multi-allelic,
    /// symbolic, indels) scored with a tiny model against `fuzzGenome`, written as VCF and TSV.
    case vcf
    /// A peaks file (BED or narrowPeak with the summit column) as `dragonn-encode --peaks` reads
    /// it: summit windows, labels and negatives cut from `fuzzGenome`.
    case peaks
    /// A bigWig as `dragonn-predict --merge-tracks` and `--score-track` read it: every
    /// chromosome's intervals through `BigWigReader`, then merged into a bedGraph.
    case bigwig
    /// A genome FASTA, BGZF or not, read whole chromosome by chromosome through the block reader
    /// (`Genome.chromosomeBuffer`, as `dragonn-encode --peaks` holds it) and through faidx, with a
    /// `.fai` that says it holds `fuzzGenomeChromosomes` on one line each (what the seed is) and
    /// an empty `.gzi` (blocks read from the first on).
    case genome

    /// Suffix of the temporary file the harness writes (readers detect formats from content; the
    /// suffix only makes a saved crash input easy to open).
    public var fileSuffix: String {
        switch self {
        case .fasta: return ".fa"
        case .bed, .regions: return ".bed"
        case .vcf: return ".vcf"
        case .peaks: return ".narrowPeak"
        case .labels: return ".tsv"
        case .motifs, .encode, .homer, .meme, .jaspar: return ".motifs"
        case .npy: return ".npy"
        case .safetensors, .model, .checkpoint: return ".safetensors"
        case .bigwig: return ".bw"
        case .genome: return ".fa.gz"
        }
    }

    /// Parses the file at `path` completely with this parser. Returns normally when the file is
    /// valid; throws what the parser throws otherwise.
    public func run(path: String) throws {
        switch self {
        case .fasta:
            // Small batches so batch boundaries (length and task checks across batches) are
            // crossed; trimmed and padded first, which takes sequences of any length.
            let padded = try SequenceBatchReader(fasta: path, fixedLength: FixedLength(length: 7, trim: .center, pad: true))
            while try padded.next(maxCount: 2) != nil {}
            let reader = try SequenceBatchReader(fasta: path)
            while try reader.next(maxCount: 3) != nil {}
        case .bed:
            _ = try BEDReader(path: path).readAll()
        case .regions:
            let genome = try Self.fuzzGenome()
            // Recentred first: it takes regions of any length.
            let centred = try SequenceBatchReader(regions: path, genome: genome, length: 20)
            while try centred.next(maxCount: 3) != nil {}
            let plain = try SequenceBatchReader(regions: path, genome: genome)
            while try plain.next(maxCount: 3) != nil {}
        case .labels:
            _ = try LabelTable(path: path)
        case .motifs:
            _ = try MotifReader.read(path: path)
        case .encode, .homer, .meme, .jaspar:
            let parser = MotifParser(text: try TextLines(path: path), pseudocount: PWM.defaultPseudocount)
            switch self {
            case .encode: _ = try parser.encode()
            case .homer: _ = try parser.homer()
            case .meme: _ = try parser.meme()
            default: _ = try parser.jaspar()
            }
        case .npy:
            let (shape, _) = try readNpyFloat(path: path)
            // One-hot shaped arrays also go through the batch reader, as dragonn-encode's and
            // dragonn-predict's inputs do.
            if shape.count == 3 && (shape[1] == 4 || shape[2] == 4) {
                let reader = try SequenceBatchReader(npy: path)
                while try reader.next(maxCount: 2) != nil {}
            }
        case .safetensors:
            _ = try SafetensorsFile.read(path: path)
        case .model:
            _ = try SequenceDNN.load(path: path)
        case .checkpoint:
            _ = try RunCheckpoint.read(path: path, threads: 1)
        case .vcf:
            // Batches of 3 records, so records cross batch boundaries (undeclared tags first used
            // in a later batch, windows grouped into stretches per batch).
            var job = VariantJob(modelPath: try Self.fuzzModel(), genomePath: try Self.fuzzGenome(), vcfPath: path)
            job.batchSize = 3
            job.output = Self.fuzzGenomeFolder + "/scored.vcf"
            try job.run(note: { _ in })
            job.tsv = true
            job.dropUnscored = true
            job.output = Self.fuzzGenomeFolder + "/scored.tsv"
            try job.run(note: { _ in })
        case .peaks:
            // Windows of 8 bp: the fuzz genome has N-free stretches of 10, so negatives exist.
            var spec = TrainingSetSpec(genome: try Self.fuzzGenome(), peaks: ["fuzz=" + path], prefix: Self.fuzzGenomeFolder + "/set")
            spec.length = 8
            spec.centerBP = 4
            spec.validChroms = ["chr2"]
            spec.npy = true
            try TrainingSetJob.run(spec, quiet: true)
            // Peaks on other chromosomes skipped; flank negatives and dinucleotide shuffles.
            spec.skipMissing = true
            spec.npy = false
            for kind in [NegativeKind.flank, .shuffle] {
                spec.negatives = kind
                try TrainingSetJob.run(spec, quiet: true)
            }
        case .bigwig:
            let reader = try BigWigReader(path: path)
            for c in reader.chromosomes {
                let cursor = try reader.cursor(on: c.name, length: c.length)
                while cursor.current != nil { try cursor.advance() }
            }
            try FileManager.default.createDirectory(atPath: Self.fuzzGenomeFolder, withIntermediateDirectories: true)
            _ = try mergeTracks([path], output: Self.fuzzGenomeFolder + "/merged.bedGraph")
        case .genome:
            // The index files beside the input, written after it (an older index would be rebuilt).
            var fai = "", offset = 0
            for (name, length) in Self.fuzzGenomeChromosomes {
                offset += name.utf8.count + 2
                fai += "\(name)\t\(length)\t\(offset)\t\(length)\t\(length + 1)\n"
                offset += length + 1
            }
            defer { for suffix in [".fai", ".gzi"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            try fai.write(toFile: path + ".fai", atomically: false, encoding: .utf8)
            try Data(count: 8).write(to: URL(fileURLWithPath: path + ".gzi"))
            let genome = try Genome(path: path)
            for (name, _) in Self.fuzzGenomeChromosomes {
                _ = try genome.chromosomeBuffer(name)
                _ = try genome.chromosome(name)
            }
        }
    }

    /// Chromosomes of the genome the `regions` parser cuts from (the names of `testdata/encode/mini.fa`).
    public static let fuzzGenomeChromosomes = [("chr1", 300), ("chr2", 130), ("chrM", 40)]

    /// Folder of the genome (and model) the `regions`, `vcf` and `peaks` parsers use: one per process, in the temporary folder.
    public static let fuzzGenomeFolder = NSTemporaryDirectory() + "/dragonn-fuzz-genome-\(getpid())"

    /// Path of a small FASTA genome of `fuzzGenomeChromosomes`, written when missing (its faidx
    /// index is built beside it on first use). `removeFuzzGenome` cleans up.
    public static func fuzzGenome() throws -> String {
        let path = Self.fuzzGenomeFolder + "/genome.fa"
        if FileManager.default.fileExists(atPath: path) { return path }
        try FileManager.default.createDirectory(atPath: fuzzGenomeFolder, withIntermediateDirectories: true)
        let bases = Array("ACGTTGCANNACGGTCAAGT".utf8)
        var text = ""
        for (name, length) in fuzzGenomeChromosomes {
            text += ">\(name)\n" + String(decoding: (0..<length).map { bases[$0 % bases.count] }, as: UTF8.self) + "\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Path of a tiny model (seq_length 20, one filter of width 3, pool 4, one task) in the fuzz
    /// genome's folder, written when missing: what the `vcf` parser scores with.
    public static func fuzzModel() throws -> String {
        let path = Self.fuzzGenomeFolder + "/model.safetensors"
        if FileManager.default.fileExists(atPath: path) { return path }
        try FileManager.default.createDirectory(atPath: fuzzGenomeFolder, withIntermediateDirectories: true)
        let arch = Architecture(seqLength: 20, numFilters: [1], convWidth: [3], poolWidth: 4, numTasks: 1, taskNames: ["fuzz"])
        try SequenceDNN(architecture: arch, seed: 1).save(path: path)
        return path
    }

    /// Removes the fuzz genome folder (it is written again when needed).
    public static func removeFuzzGenome() {
        try? FileManager.default.removeItem(atPath: fuzzGenomeFolder)
    }

    /// Runs the parser on `path` and checks how it ended: nil when it accepted the file or threw a
    /// one-line `DragonnError` naming the file; otherwise what was wrong (another error type, a
    /// multi-line message, or a message that does not name the file).
    public func check(path: String) -> String? {
        do {
            try run(path: path)
            return nil
        } catch let e as DragonnError {
            if e.description.contains("\n") { return "error message spans lines: \(e.description)" }
            if !e.description.contains(path) { return "error message does not name the file: \(e.description)" }
            return nil
        } catch {
            return "error of type \(type(of: error)) instead of DragonnError: \(error)"
        }
    }
}
