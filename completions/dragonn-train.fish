function __dragonn-train_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dragonn-train_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __dragonn-train_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dragonn-train_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __dragonn-train_parse_tokens -S
    set -l unparsed_tokens (__dragonn-train_tokens -pc)
    switch $unparsed_tokens[1]
    case 'dragonn-train'
        __dragonn-train_parse_subcommand 1 'labels=' 'labels-npy=' 'regions=' 'genome=' 'pos-sequences=' 'neg-sequences=' 'length=' 'trim=' 'pad' 'o/output=' 'valid=' 'valid-labels-npy=' 'valid-fraction=' 'test=' 'test-labels-npy=' 'num-filters=+' 'conv-width=+' 'pool-width=' 'dropout=' 'L1=' 'epochs=' 'patience=' 'dense-init=' 'batch-size=' 'learning-rate=' 'stop-on=' 'resume' 'init=' 'q/quiet' 's/seed=' '@/threads=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __dragonn-train_parse_subcommand -r 1 'version'
        end
    end
end

function __dragonn-train_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __dragonn-train_parse_subcommand -S -a positional_count
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

function __dragonn-train_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __dragonn-train_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__dragonn-train_tokens -p)
    if test -z "$(__dragonn-train_tokens -t)"
        set -l index (count (__dragonn-train_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'dragonn-train' -f
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_positional "dragonn-train" -eq 1' -F
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" labels' -l 'labels' -d 'Labels table: TSV with a header row \'name<TAB>task...\' and one 0/1 row per sequence (default: the labels= header tags).' -rF
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" labels-npy' -l 'labels-npy' -d 'Labels .npy ([N] or [N, tasks], 0/1) for a .npy INPUT.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'npy\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" regions' -l 'regions' -d 'BED file of regions to read from --genome (names become chrom:start-end, 0-based start as in BED and bedtools getfasta; samtools and IGV regions are 1-based).' -rF
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" genome' -l 'genome' -d 'Reference genome FASTA (plain or bgzip); its .fai index is built when missing.' -rF
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" pos-sequences' -l 'pos-sequences' -d 'FASTA of positive sequences (DragoNN\'s form, one task; with --neg-sequences).' -rF
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" neg-sequences' -l 'neg-sequences' -d 'FASTA of negative sequences.' -rF
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" length' -l 'length' -d 'Fixed sequence length: longer sequences are trimmed (see --trim), regions are recentred on their midpoint.' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" trim' -l 'trim' -d 'Which bases a longer sequence keeps: center (default) or left (the first L).' -rfka 'center left'
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" pad' -l 'pad' -d 'Pad sequences shorter than --length with all-zero columns (placed as --trim says) instead of failing.'
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" o output prefix' -s 'o' -l 'output' -l 'prefix' -d 'Prefix of the output files (PREFIX.safetensors, .metrics.tsv, .learning-curve.svg, .checkpoint.safetensors).' -rF
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" valid' -l 'valid' -d 'Validation sequences (same forms as INPUT); otherwise --valid-fraction of INPUT is held out.' -rF
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" valid-labels-npy' -l 'valid-labels-npy' -d 'Labels .npy for a .npy --valid file.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'npy\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" valid-fraction' -l 'valid-fraction' -d 'Fraction of INPUT held out for validation when --valid is not given (seeded).' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" test' -l 'test' -d 'Test sequences: the best model\'s metrics on them are printed and added to the metrics TSV.' -rF
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" test-labels-npy' -l 'test-labels-npy' -d 'Labels .npy for a .npy --test file.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'npy\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train"' -l 'num-filters' -d 'Filters of each convolution layer, one number per layer (default: 15, one layer).' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train"' -l 'conv-width' -d 'Width of each convolution layer\'s filters (default: 15 for every layer).' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" pool-width' -l 'pool-width' -d 'Max-pool window (= stride) after the last convolution (default: 35).' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" dropout' -l 'dropout' -d 'Dropout rate after each convolution, training only (default: 0).' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" L1' -l 'L1' -d 'L1 penalty on the convolution weights and biases (default: 0).' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" epochs' -l 'epochs' -d 'Maximum number of epochs.' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" patience' -l 'patience' -d 'Stop after this many epochs without a lower validation loss.' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" dense-init' -l 'dense-init' -d 'Dense-layer weights at the start: pytorch (uniform ±1/√inputs, the default: reaches a given validation auROC in fewer epochs) or he (He-normal, DragoNN\'s scale).' -rfka 'he pytorch'
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" batch-size' -l 'batch-size' -d 'Sequences per Adam step.' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" learning-rate' -l 'learning-rate' -d 'Adam learning rate.' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" stop-on' -l 'stop-on' -d 'Validation metric early stopping watches: loss (lower is better), auroc or auprc (higher is better).' -rfka 'loss auroc auprc'
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" resume' -l 'resume' -d 'Continue the run whose checkpoint is PREFIX.checkpoint.safetensors (same data and settings; --epochs may grow).'
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" init' -l 'init' -d 'Start from this model\'s parameters and architecture (fine tuning), not a random initialisation.' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" q quiet' -s 'q' -l 'quiet' -d 'Print only the first and last lines, not each epoch\'s metrics nor the progress line.'
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" s seed' -s 's' -l 'seed' -d 'Random seed; the same seed gives the same output.' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" @ threads' -s '@' -l 'threads' -d 'Worker threads (default: number of cores).' -rfka ''
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_positional "dragonn-train" -eq 2' -fa 'help' -d 'Show subcommand help information.'
complete -c 'dragonn-train' -n '__dragonn-train_should_offer_completions_for_flags_or_options "dragonn-train help" version' -l 'version' -d 'Show the version.'
