function __dragonn-sim_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dragonn-sim_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __dragonn-sim_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dragonn-sim_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __dragonn-sim_parse_tokens -S
    set -l unparsed_tokens (__dragonn-sim_tokens -pc)
    switch $unparsed_tokens[1]
    case 'dragonn-sim'
        __dragonn-sim_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'motifs'
            __dragonn-sim_parse_subcommand -r 1 'motifs=+' 'no-bundled-motifs' 'o/output=' 'meme=' 'version' 'h/help'
        case 'genome'
            __dragonn-sim_parse_subcommand 0 'motifs=+' 'no-bundled-motifs' 'chrom-sizes=' 'num-chroms=' 'chrom-length=' 'gc-fraction=' 'num-enhancers=' 'enhancers-per-mbp=' 'motif-names=+' 'enhancer-class=+' 'peak-dropout=' 'false-peaks=' 'summit-jitter=' 's/seed=' 'o/output=' 'peaks=' 'bed=' 'enhancers=' 'q/quiet' 'version' 'h/help'
        case 'single-motif-detection'
            __dragonn-sim_parse_subcommand 0 'motifs=+' 'no-bundled-motifs' 'motif-name=' 'seq-length=' 'num-pos=' 'num-neg=' 'o/output=' 's/seed=' 'bed=' 'labels=' 'gc-fraction=' 'q/quiet' 'version' 'h/help'
        case 'motif-counting'
            __dragonn-sim_parse_subcommand 0 'motifs=+' 'no-bundled-motifs' 'motif-name=' 'seq-length=' 'pos-counts=' 'neg-counts=' 'num-pos=' 'num-neg=' 'o/output=' 's/seed=' 'bed=' 'labels=' 'gc-fraction=' 'q/quiet' 'version' 'h/help'
        case 'motif-density-localization'
            __dragonn-sim_parse_subcommand 0 'motifs=+' 'no-bundled-motifs' 'motif-name=' 'seq-length=' 'center-size=' 'min-motif-counts=' 'max-motif-counts=' 'num-pos=' 'num-neg=' 'o/output=' 's/seed=' 'bed=' 'labels=' 'gc-fraction=' 'q/quiet' 'version' 'h/help'
        case 'multi-motif-embedding'
            __dragonn-sim_parse_subcommand 0 'motifs=+' 'no-bundled-motifs' 'motif-names=+' 'seq-length=' 'min-num-motifs=' 'max-num-motifs=' 'num-seqs=' 'o/output=' 's/seed=' 'bed=' 'labels=' 'gc-fraction=' 'q/quiet' 'version' 'h/help'
        case 'differential-accessibility'
            __dragonn-sim_parse_subcommand 0 'motifs=+' 'no-bundled-motifs' 'pos-motif-names=+' 'neg-motif-names=+' 'seq-length=' 'min-num-motifs=' 'max-num-motifs=' 'num-pos=' 'num-neg=' 'o/output=' 's/seed=' 'bed=' 'labels=' 'gc-fraction=' 'q/quiet' 'version' 'h/help'
        case 'heterodimer-grammar'
            __dragonn-sim_parse_subcommand 0 'motifs=+' 'no-bundled-motifs' 'motif1=' 'motif2=' 'seq-length=' 'min-spacing=' 'max-spacing=' 'num-pos=' 'num-neg=' 'o/output=' 's/seed=' 'bed=' 'labels=' 'gc-fraction=' 'q/quiet' 'version' 'h/help'
        case 'help'
            __dragonn-sim_parse_subcommand -r 1 'version'
        end
    end
end

function __dragonn-sim_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __dragonn-sim_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __dragonn-sim_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __dragonn-sim_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__dragonn-sim_tokens -p)
    if test -z "$(__dragonn-sim_tokens -t)"
        set -l index (count (__dragonn-sim_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'dragonn-sim' -f
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_positional "dragonn-sim" -eq 1' -fa 'motifs' -d 'List the motifs (name, length, consensus; tab-separated) or export them in MEME format.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_positional "dragonn-sim" -eq 1' -fa 'genome' -d 'Simulate a genome with planted enhancers: FASTA (indexed), peaks (narrowPeak) and the true motif instances (BED).'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_positional "dragonn-sim" -eq 1' -fa 'single-motif-detection' -d 'Positives hold one instance of a motif anywhere; negatives are background only.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_positional "dragonn-sim" -eq 1' -fa 'motif-counting' -d 'Positives hold --pos-counts instances of a motif, negatives --neg-counts, anywhere.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_positional "dragonn-sim" -eq 1' -fa 'motif-density-localization' -d 'Positives hold motif instances inside the central --center-size bp; negatives anywhere.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_positional "dragonn-sim" -eq 1' -fa 'multi-motif-embedding' -d 'Each sequence holds a random subset of the motifs; one task per motif says which are present.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_positional "dragonn-sim" -eq 1' -fa 'differential-accessibility' -d 'Positives hold a random subset of --pos-motif-names, negatives of --neg-motif-names.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_positional "dragonn-sim" -eq 1' -fa 'heterodimer-grammar' -d 'Positives hold motif1, a gap, then motif2; negatives hold both placed independently.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_positional "dragonn-sim" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motifs"' -l 'motifs' -d 'Motif file (ENCODE, HOMER, MEME or JASPAR; plain or gzip); adds to the bundled ENCODE motifs, same names replace them. Repeatable.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motifs" no-bundled-motifs' -l 'no-bundled-motifs' -d 'Use only the --motifs files, not the bundled ENCODE collection.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motifs" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motifs" meme' -l 'meme' -d 'Also write the selected motifs in MEME format (\'-\' = stdout, instead of the listing).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_positional "dragonn-sim motifs" -ge 1' -fka '(dragonn-sim motifs 2>/dev/null | cut -f1)'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motifs" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motifs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome"' -l 'motifs' -d 'Motif file (ENCODE, HOMER, MEME or JASPAR; plain or gzip); adds to the bundled ENCODE motifs, same names replace them. Repeatable.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" no-bundled-motifs' -l 'no-bundled-motifs' -d 'Use only the --motifs files, not the bundled ENCODE collection.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" chrom-sizes' -l 'chrom-sizes' -d 'UCSC chrom.sizes file (name<TAB>length).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" num-chroms' -l 'num-chroms' -d 'Number of chromosomes chr1..chrN (without --chrom-sizes).' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" chrom-length' -l 'chrom-length' -d 'Length of each chromosome in bp (without --chrom-sizes).' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" gc-fraction' -l 'gc-fraction' -d 'GC fraction of the background.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" num-enhancers' -l 'num-enhancers' -d 'Number of enhancers in the whole genome.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" enhancers-per-mbp' -l 'enhancers-per-mbp' -d 'Enhancers per million bp (default 10; rounded to the nearest count).' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome"' -l 'motif-names' -d 'One tutorial-style class (2-4 instances within 150 bp) per motif (comma-separated or repeated).' -rfka '(dragonn-sim motifs 2>/dev/null | cut -f1)'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome"' -l 'enhancer-class' -d 'An enhancer class NAME:MOTIF[,MOTIF...]:MIN-MAX:SPAN (repeatable; replaces the default class).' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" peak-dropout' -l 'peak-dropout' -d 'Fraction of enhancers left out of the peaks file.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" false-peaks' -l 'false-peaks' -d 'Number of peaks on plain background (as wide as the first class\'s span).' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" summit-jitter' -l 'summit-jitter' -d 'Summits move by a uniform integer in [-bp, bp].' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" s seed' -s 's' -l 'seed' -d 'Random seed; the same seed gives the same output.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" o output' -s 'o' -l 'output' -d 'Genome FASTA (\'-\' for stdout, unindexed; a .gz path is BGZF with .fai and .gzi, a plain path gets .fai).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" peaks' -l 'peaks' -d 'Write the peaks as narrowPeak (.gz = BGZF).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" bed' -l 'bed' -d 'Write every motif instance as BED6, genome coordinates (.gz = BGZF).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" enhancers' -l 'enhancers' -d 'Write every planted enhancer as BED6+2, those left out of the peaks included.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" q quiet' -s 'q' -l 'quiet' -d 'Do not print the summary line to stderr.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim genome" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection"' -l 'motifs' -d 'Motif file (ENCODE, HOMER, MEME or JASPAR; plain or gzip); adds to the bundled ENCODE motifs, same names replace them. Repeatable.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection" no-bundled-motifs' -l 'no-bundled-motifs' -d 'Use only the --motifs files, not the bundled ENCODE collection.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection" motif motif-name' -l 'motif-name' -l 'motif' -d 'Motif to embed.' -rfka '(dragonn-sim motifs 2>/dev/null | cut -f1)'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection" seq-length' -l 'seq-length' -d 'Sequence length in bp.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection" num-pos' -l 'num-pos' -d 'Number of positive sequences.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection" num-neg' -l 'num-neg' -d 'Number of negative sequences.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection" s seed' -s 's' -l 'seed' -d 'Random seed; the same seed gives the same output.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection" bed' -l 'bed' -d 'Write the embedded motif instances as BED6 (chrom = sequence name; .gz = BGZF).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection" labels' -l 'labels' -d 'Write the labels as TSV: header \'name<TAB>task...\', one row per sequence.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection" gc-fraction' -l 'gc-fraction' -d 'GC fraction of the background.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection" q quiet' -s 'q' -l 'quiet' -d 'Do not print the summary line to stderr.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim single-motif-detection" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting"' -l 'motifs' -d 'Motif file (ENCODE, HOMER, MEME or JASPAR; plain or gzip); adds to the bundled ENCODE motifs, same names replace them. Repeatable.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" no-bundled-motifs' -l 'no-bundled-motifs' -d 'Use only the --motifs files, not the bundled ENCODE collection.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" motif motif-name' -l 'motif-name' -l 'motif' -d 'Motif to embed.' -rfka '(dragonn-sim motifs 2>/dev/null | cut -f1)'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" seq-length' -l 'seq-length' -d 'Sequence length in bp.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" pos-counts' -l 'pos-counts' -d 'Instances per positive: MIN,MAX.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" neg-counts' -l 'neg-counts' -d 'Instances per negative: MIN,MAX.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" num-pos' -l 'num-pos' -d 'Number of positive sequences.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" num-neg' -l 'num-neg' -d 'Number of negative sequences.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" s seed' -s 's' -l 'seed' -d 'Random seed; the same seed gives the same output.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" bed' -l 'bed' -d 'Write the embedded motif instances as BED6 (chrom = sequence name; .gz = BGZF).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" labels' -l 'labels' -d 'Write the labels as TSV: header \'name<TAB>task...\', one row per sequence.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" gc-fraction' -l 'gc-fraction' -d 'GC fraction of the background.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" q quiet' -s 'q' -l 'quiet' -d 'Do not print the summary line to stderr.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-counting" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization"' -l 'motifs' -d 'Motif file (ENCODE, HOMER, MEME or JASPAR; plain or gzip); adds to the bundled ENCODE motifs, same names replace them. Repeatable.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" no-bundled-motifs' -l 'no-bundled-motifs' -d 'Use only the --motifs files, not the bundled ENCODE collection.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" motif motif-name' -l 'motif-name' -l 'motif' -d 'Motif to embed.' -rfka '(dragonn-sim motifs 2>/dev/null | cut -f1)'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" seq-length' -l 'seq-length' -d 'Sequence length in bp.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" center-size' -l 'center-size' -d 'Central region (bp) that holds the positives\' instances.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" min-motif-counts' -l 'min-motif-counts' -d 'Fewest instances per sequence.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" max-motif-counts' -l 'max-motif-counts' -d 'Most instances per sequence.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" num-pos' -l 'num-pos' -d 'Number of positive sequences.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" num-neg' -l 'num-neg' -d 'Number of negative sequences.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" s seed' -s 's' -l 'seed' -d 'Random seed; the same seed gives the same output.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" bed' -l 'bed' -d 'Write the embedded motif instances as BED6 (chrom = sequence name; .gz = BGZF).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" labels' -l 'labels' -d 'Write the labels as TSV: header \'name<TAB>task...\', one row per sequence.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" gc-fraction' -l 'gc-fraction' -d 'GC fraction of the background.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" q quiet' -s 'q' -l 'quiet' -d 'Do not print the summary line to stderr.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim motif-density-localization" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding"' -l 'motifs' -d 'Motif file (ENCODE, HOMER, MEME or JASPAR; plain or gzip); adds to the bundled ENCODE motifs, same names replace them. Repeatable.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding" no-bundled-motifs' -l 'no-bundled-motifs' -d 'Use only the --motifs files, not the bundled ENCODE collection.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding"' -l 'motif-names' -d 'Motifs (comma-separated or repeated).' -rfka '(dragonn-sim motifs 2>/dev/null | cut -f1)'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding" seq-length' -l 'seq-length' -d 'Sequence length in bp.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding" min-num-motifs' -l 'min-num-motifs' -d 'Fewest motifs per sequence.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding" max-num-motifs' -l 'max-num-motifs' -d 'Most motifs per sequence.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding" num-seqs' -l 'num-seqs' -d 'Number of sequences.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding" s seed' -s 's' -l 'seed' -d 'Random seed; the same seed gives the same output.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding" bed' -l 'bed' -d 'Write the embedded motif instances as BED6 (chrom = sequence name; .gz = BGZF).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding" labels' -l 'labels' -d 'Write the labels as TSV: header \'name<TAB>task...\', one row per sequence.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding" gc-fraction' -l 'gc-fraction' -d 'GC fraction of the background.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding" q quiet' -s 'q' -l 'quiet' -d 'Do not print the summary line to stderr.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim multi-motif-embedding" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility"' -l 'motifs' -d 'Motif file (ENCODE, HOMER, MEME or JASPAR; plain or gzip); adds to the bundled ENCODE motifs, same names replace them. Repeatable.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" no-bundled-motifs' -l 'no-bundled-motifs' -d 'Use only the --motifs files, not the bundled ENCODE collection.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility"' -l 'pos-motif-names' -d 'Motifs of the positives (comma-separated or repeated).' -rfka '(dragonn-sim motifs 2>/dev/null | cut -f1)'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility"' -l 'neg-motif-names' -d 'Motifs of the negatives (comma-separated or repeated).' -rfka '(dragonn-sim motifs 2>/dev/null | cut -f1)'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" seq-length' -l 'seq-length' -d 'Sequence length in bp.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" min-num-motifs' -l 'min-num-motifs' -d 'Fewest motifs per sequence.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" max-num-motifs' -l 'max-num-motifs' -d 'Most motifs per sequence.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" num-pos' -l 'num-pos' -d 'Number of positive sequences.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" num-neg' -l 'num-neg' -d 'Number of negative sequences.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" s seed' -s 's' -l 'seed' -d 'Random seed; the same seed gives the same output.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" bed' -l 'bed' -d 'Write the embedded motif instances as BED6 (chrom = sequence name; .gz = BGZF).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" labels' -l 'labels' -d 'Write the labels as TSV: header \'name<TAB>task...\', one row per sequence.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" gc-fraction' -l 'gc-fraction' -d 'GC fraction of the background.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" q quiet' -s 'q' -l 'quiet' -d 'Do not print the summary line to stderr.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim differential-accessibility" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar"' -l 'motifs' -d 'Motif file (ENCODE, HOMER, MEME or JASPAR; plain or gzip); adds to the bundled ENCODE motifs, same names replace them. Repeatable.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" no-bundled-motifs' -l 'no-bundled-motifs' -d 'Use only the --motifs files, not the bundled ENCODE collection.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" motif1' -l 'motif1' -d 'Left motif of the pair.' -rfka '(dragonn-sim motifs 2>/dev/null | cut -f1)'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" motif2' -l 'motif2' -d 'Right motif of the pair.' -rfka '(dragonn-sim motifs 2>/dev/null | cut -f1)'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" seq-length' -l 'seq-length' -d 'Sequence length in bp.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" min-spacing' -l 'min-spacing' -d 'Smallest gap (bp) between the motifs.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" max-spacing' -l 'max-spacing' -d 'Largest gap (bp) between the motifs.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" num-pos' -l 'num-pos' -d 'Number of positive sequences.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" num-neg' -l 'num-neg' -d 'Number of negative sequences.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" s seed' -s 's' -l 'seed' -d 'Random seed; the same seed gives the same output.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" bed' -l 'bed' -d 'Write the embedded motif instances as BED6 (chrom = sequence name; .gz = BGZF).' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" labels' -l 'labels' -d 'Write the labels as TSV: header \'name<TAB>task...\', one row per sequence.' -rF
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" gc-fraction' -l 'gc-fraction' -d 'GC fraction of the background.' -rfka ''
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" q quiet' -s 'q' -l 'quiet' -d 'Do not print the summary line to stderr.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim heterodimer-grammar" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-sim' -n '__dragonn-sim_should_offer_completions_for_flags_or_options "dragonn-sim help" version' -l 'version' -d 'Show the version.'
