function __dragonn-encode_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dragonn-encode_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __dragonn-encode_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dragonn-encode_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __dragonn-encode_parse_tokens -S
    set -l unparsed_tokens (__dragonn-encode_tokens -pc)
    switch $unparsed_tokens[1]
    case 'dragonn-encode'
        __dragonn-encode_parse_subcommand 1 'labels=' 'regions=' 'genome=' 'vcf=' 'pos-sequences=' 'neg-sequences=' 'length=' 'trim=' 'pad' 'o/output=' 'peaks=+' 'split-prefix=' 'negatives=' 'neg-ratio=' 'center-bp=' 'exclude=' 'valid-chroms=+' 'test-chroms=+' 'skip-missing' 'npy' 's/seed=' 'q/quiet' 'layout=' 'dtype=' 'labels-out=' 'names-out=' 'reverse-complement' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __dragonn-encode_parse_subcommand -r 1 'version'
        end
    end
end

function __dragonn-encode_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __dragonn-encode_parse_subcommand -S -a positional_count
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

function __dragonn-encode_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __dragonn-encode_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__dragonn-encode_tokens -p)
    if test -z "$(__dragonn-encode_tokens -t)"
        set -l index (count (__dragonn-encode_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'dragonn-encode' -f
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_positional "dragonn-encode" -eq 1' -F
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" labels' -l 'labels' -d 'Labels table: TSV with a header row \'name<TAB>task...\' and one 0/1 row per sequence (default: the labels= header tags).' -rF
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" regions' -l 'regions' -d 'BED file of regions to read from --genome (names become chrom:start-end, 0-based start as in BED and bedtools getfasta; samtools and IGV regions are 1-based).' -rF
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" genome' -l 'genome' -d 'Reference genome FASTA (plain or bgzip); its .fai index is built when missing.' -rF
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" vcf' -l 'vcf' -d 'VCF/BCF of variants (plain, bgzip, BCF; \'-\' = stdin) to score in windows of --genome.' -rfka ''
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" pos-sequences' -l 'pos-sequences' -d 'FASTA of positive sequences (DragoNN\'s form, one task; with --neg-sequences).' -rF
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" neg-sequences' -l 'neg-sequences' -d 'FASTA of negative sequences.' -rF
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" length' -l 'length' -d 'Fixed sequence length: longer sequences are trimmed (see --trim), regions are recentred on their midpoint.' -rfka ''
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" trim' -l 'trim' -d 'Which bases a longer sequence keeps: center (default) or left (the first L).' -rfka 'center left'
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" pad' -l 'pad' -d 'Pad sequences shorter than --length with all-zero columns (placed as --trim says) instead of failing.'
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode"' -l 'peaks' -d 'Peaks of one task: [TASK=]FILE, BED or narrowPeak (summit column 10), plain or gzip; repeat for more tasks. Needs --genome and --split-prefix.' -rF
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" split-prefix' -l 'split-prefix' -d 'With --peaks: write PREFIX.train.fa.gz, PREFIX.valid.fa.gz, PREFIX.test.fa.gz (BGZF, labelled FASTA).' -rF
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" negatives' -l 'negatives' -d 'With --peaks: gc-matched (random windows outside every peak, N-free, GC histogram matched to the positives), flank (windows 1-4 lengths beside the positives), or shuffle (dinucleotide shuffles of the positives).' -rfka 'gc-matched flank shuffle'
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" neg-ratio' -l 'neg-ratio' -d 'With --peaks: negatives per positive, per split.' -rfka ''
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" center-bp' -l 'center-bp' -d 'With --peaks: a window is positive for a task when one of its summits lies in the central bp of the window.' -rfka ''
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" exclude' -l 'exclude' -d 'With --peaks: blacklist BED; no window touches it (positives that do are dropped).' -rF
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode"' -l 'valid-chroms' -d 'With --peaks: chromosomes of the validation split (comma-separated or repeated).' -rfka ''
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode"' -l 'test-chroms' -d 'With --peaks: chromosomes of the test split (comma-separated or repeated).' -rfka ''
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" skip-missing' -l 'skip-missing' -d 'With --peaks: skip (and count) peaks on chromosomes the genome lacks instead of failing.'
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" npy' -l 'npy' -d 'With --peaks: also write PREFIX.SPLIT.npy (uint8 [N, 4, L]) and PREFIX.SPLIT.labels.npy (float32 [N, T]).'
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" s seed' -s 's' -l 'seed' -d 'Random seed; the same seed gives the same output.' -rfka ''
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" q quiet' -s 'q' -l 'quiet' -d 'With --peaks: do not print the summary line to stderr.'
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" layout' -l 'layout' -d 'Tensor layout: ncl = [N, 4, L], nlc = [N, L, 4].' -rfka 'ncl nlc'
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" dtype' -l 'dtype' -d 'Element type: uint8 (default) or float32 (PyTorch\'s Conv1d refuses uint8 input: --dtype float32).' -rfka 'uint8 float32'
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" labels-out' -l 'labels-out' -d 'Write the labels as a float32 [N, T] .npy.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'npy\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" names-out' -l 'names-out' -d 'Write the sequence names, one a line, in tensor order.' -rF
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" reverse-complement' -l 'reverse-complement' -d 'Append the reverse complement of every sequence after all forward ones (names get _rc).'
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_positional "dragonn-encode" -eq 2' -fa 'help' -d 'Show subcommand help information.'
complete -c 'dragonn-encode' -n '__dragonn-encode_should_offer_completions_for_flags_or_options "dragonn-encode help" version' -l 'version' -d 'Show the version.'
