import ArgumentParser

/// Where the labels come from when FASTA headers carry no `labels=` tags, and DragoNN's pair of
/// positive and negative files (one task). Shared by dragonn-train and dragonn-predict.
public struct LabelSourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Labels TSV (name<TAB>task..., header row) for inputs whose FASTA headers have no labels= tags.", valueName: "file"))
    public var labels: String?

    @Option(name: .customLong("labels-npy"), help: ArgumentHelp("Labels .npy ([N] or [N, tasks], 0/1) for a .npy input.", valueName: "file"))
    public var labelsNpy: String?

    @Option(name: .customLong("pos-sequences"), help: ArgumentHelp("FASTA of positive sequences (DragoNN's form; with --neg-sequences).", valueName: "file"))
    public var posSequences: String?

    @Option(name: .customLong("neg-sequences"), help: ArgumentHelp("FASTA of negative sequences.", valueName: "file"))
    public var negSequences: String?

    public init() {}
}
