function __dragonn-predict_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dragonn-predict_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __dragonn-predict_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dragonn-predict_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __dragonn-predict_parse_tokens -S
    set -l unparsed_tokens (__dragonn-predict_tokens -pc)
    switch $unparsed_tokens[1]
    case 'dragonn-predict'
        __dragonn-predict_parse_subcommand 1 'm/model=' 'labels=' 'labels-npy=' 'regions=' 'genome=' 'vcf=' 'pos-sequences=' 'neg-sequences=' 'length=' 'trim=' 'pad' 'o/output=' 'logits' 'bedgraph=' 'track=' 'step=' 'task=' 'merge-tracks=+' 'score-track=' 'truth=' 'within=' 'track-line' 'evaluate' 'batch-size=' '@/threads=' 'tsv' 'strict' 'drop-unscored' 'max-n=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __dragonn-predict_parse_subcommand -r 1 'version'
        end
    end
end

function __dragonn-predict_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __dragonn-predict_parse_subcommand -S -a positional_count
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

function __dragonn-predict_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __dragonn-predict_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__dragonn-predict_tokens -p)
    if test -z "$(__dragonn-predict_tokens -t)"
        set -l index (count (__dragonn-predict_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'dragonn-predict' -f
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" m model' -s 'm' -l 'model' -d 'Model file (safetensors) written by dragonn-train.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'safetensors\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_positional "dragonn-predict" -eq 1' -F
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" labels' -l 'labels' -d 'Labels table: TSV with a header row \'name<TAB>task...\' and one 0/1 row per sequence (default: the labels= header tags).' -rF
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" labels-npy' -l 'labels-npy' -d 'Labels .npy ([N] or [N, tasks], 0/1) for a .npy INPUT.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'npy\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" regions' -l 'regions' -d 'BED file of regions to read from --genome (names become chrom:start-end, 0-based start as in BED and bedtools getfasta; samtools and IGV regions are 1-based).' -rF
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" genome' -l 'genome' -d 'Reference genome FASTA (plain or bgzip); its .fai index is built when missing.' -rF
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" vcf' -l 'vcf' -d 'VCF/BCF of variants (plain, bgzip, BCF; \'-\' = stdin) to score in windows of --genome.' -rfka ''
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" pos-sequences' -l 'pos-sequences' -d 'FASTA of positive sequences (DragoNN\'s form, one task; with --neg-sequences).' -rF
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" neg-sequences' -l 'neg-sequences' -d 'FASTA of negative sequences.' -rF
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" length' -l 'length' -d 'Fixed sequence length: longer sequences are trimmed (see --trim), regions are recentred on their midpoint.' -rfka ''
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" trim' -l 'trim' -d 'Which bases a longer sequence keeps: center (default) or left (the first L).' -rfka 'center left'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" pad' -l 'pad' -d 'Pad sequences shorter than --length with all-zero columns (placed as --trim says) instead of failing.'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" logits' -l 'logits' -d 'Write logits (before the sigmoid) instead of probabilities.'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" bedgraph' -l 'bedgraph' -d 'Also write the task-0 probability per region as a bedGraph (genomic coordinates).' -rF
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" track' -l 'track' -d 'Write a whole-genome track of one task over --genome (and --regions): .bw bigWig, else bedGraph.' -rF
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" step' -l 'step' -d 'With --track: score every n-th base (each value covers n bases).' -rfka ''
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" task' -l 'task' -d 'With --track: the task (name or index; default the first).' -rfka ''
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict"' -l 'merge-tracks' -d 'Merge bigWig shard tracks of disjoint regions into one track (-o, .bw or bedGraph).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'bw\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" score-track' -l 'score-track' -d 'Score a bigWig track against --truth BED (auPRC of bases inside vs outside); prints a TSV.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'bw\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" truth' -l 'truth' -d 'With --score-track: the positive bases (e.g. planted enhancers or motif instances).' -rF
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" within' -l 'within' -d 'With --score-track: count only bases inside these regions.' -rF
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" track-line' -l 'track-line' -d 'Start bedGraph tracks with a UCSC \'track type=bedGraph name=...\' line (tabix skips it).'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" evaluate' -l 'evaluate' -d 'Compare predictions with the labels and print DragoNN\'s metrics instead of the predictions.'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" batch-size' -l 'batch-size' -d 'Sequences scored per batch (bounds memory).' -rfka ''
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" @ threads' -s '@' -l 'threads' -d 'Worker threads (default: number of cores).' -rfka ''
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" tsv' -l 'tsv' -d 'With --vcf: write a TSV (chrom, pos, id, ref, alt, per task ref/alt/delta, status; one row per ALT allele) instead of a VCF.'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" strict' -l 'strict' -d 'With --vcf: a REF allele that differs from the genome is an error (default: the allele is left unscored, flagged ref_mismatch).'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" drop-unscored' -l 'drop-unscored' -d 'With --vcf: leave out records with no scored ALT allele (default: passed through, flagged DRAGONN_UNSCORED).'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" max-n' -l 'max-n' -d 'With --vcf: largest fraction of N bases in a REF window that is still scored.' -rfka ''
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_positional "dragonn-predict" -eq 2' -fa 'help' -d 'Show subcommand help information.'
complete -c 'dragonn-predict' -n '__dragonn-predict_should_offer_completions_for_flags_or_options "dragonn-predict help" version' -l 'version' -d 'Show the version.'
