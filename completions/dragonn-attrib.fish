function __dragonn-attrib_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dragonn-attrib_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __dragonn-attrib_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dragonn-attrib_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __dragonn-attrib_parse_tokens -S
    set -l unparsed_tokens (__dragonn-attrib_tokens -pc)
    switch $unparsed_tokens[1]
    case 'dragonn-attrib'
        __dragonn-attrib_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'ism'
            __dragonn-attrib_parse_subcommand 1 'm/model=' 'regions=' 'genome=' 'vcf=' 'length=' 'trim=' 'pad' 'task=' 'o/output=' 'track-line' 'npy=' 'top-windows=' 'window=' 'pos-threshold=' 'plot=' 'plot-max=' 'truth=' 'top=' 's/seed=' '@/threads=' 'version' 'h/help'
        case 'deeplift'
            __dragonn-attrib_parse_subcommand 1 'm/model=' 'regions=' 'genome=' 'vcf=' 'length=' 'trim=' 'pad' 'task=' 'o/output=' 'track-line' 'npy=' 'top-windows=' 'window=' 'pos-threshold=' 'plot=' 'plot-max=' 'truth=' 'top=' 's/seed=' '@/threads=' 'reference=' 'version' 'h/help'
        case 'grad'
            __dragonn-attrib_parse_subcommand 1 'm/model=' 'regions=' 'genome=' 'vcf=' 'length=' 'trim=' 'pad' 'task=' 'o/output=' 'track-line' 'npy=' 'top-windows=' 'window=' 'pos-threshold=' 'plot=' 'plot-max=' 'truth=' 'top=' 's/seed=' '@/threads=' 'version' 'h/help'
        case 'filters'
            __dragonn-attrib_parse_subcommand 0 'm/model=' 'o/output=' 'meme=' 'sequences=' 'compare=+' 'motifs=+' 'no-bundled-motifs' 'version' 'h/help'
        case 'figure'
            __dragonn-attrib_parse_subcommand 1 'm/model=' 'regions=' 'genome=' 'vcf=' 'length=' 'trim=' 'pad' 'o/output=' 'task=' 'positive=' 'negative=' 'truth=' 'motif-names=+' 'motifs=+' 'gc-fraction=' 'reference=' 'logo-window=' 's/seed=' '@/threads=' 'version' 'h/help'
        case 'motifs'
            __dragonn-attrib_parse_subcommand 1 'motif=+' 'regions=' 'genome=' 'vcf=' 'length=' 'trim=' 'pad' 'o/output=' 'track-line' 'npy=' 'hits=' 'threshold=' 'gc-fraction=' 'truth=' 'motifs=+' 'no-bundled-motifs' '@/threads=' 'version' 'h/help'
        case 'help'
            __dragonn-attrib_parse_subcommand -r 1 'version'
        end
    end
end

function __dragonn-attrib_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __dragonn-attrib_parse_subcommand -S -a positional_count
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

function __dragonn-attrib_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __dragonn-attrib_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__dragonn-attrib_tokens -p)
    if test -z "$(__dragonn-attrib_tokens -t)"
        set -l index (count (__dragonn-attrib_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'dragonn-attrib' -f
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_positional "dragonn-attrib" -eq 1' -fa 'ism' -d 'In-silico mutagenesis: logit(mutant) - logit(sequence) for every position and base.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_positional "dragonn-attrib" -eq 1' -fa 'deeplift' -d 'DeepLIFT (rescale rule) contributions, averaged over references.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_positional "dragonn-attrib" -eq 1' -fa 'grad' -d 'Gradient x input (the --npy attributions are the gradients).'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_positional "dragonn-attrib" -eq 1' -fa 'filters' -d 'First-layer filters as motifs: SVG sheet, MEME PWMs, Tomtom-like comparison with known motifs.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_positional "dragonn-attrib" -eq 1' -fa 'figure' -d 'One SVG comparing a positive and a negative sequence: motif scores, ISM, DeepLIFT, gradient x input.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_positional "dragonn-attrib" -eq 1' -fa 'motifs' -d 'Motif scores and motif hits: PWM log-odds scan of named motifs, both strands (FIMO-style).'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_positional "dragonn-attrib" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" m model' -s 'm' -l 'model' -d 'Model file (safetensors, from dragonn-train; not the .checkpoint.safetensors).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'safetensors\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_positional "dragonn-attrib ism" -eq 1' -F
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" regions' -l 'regions' -d 'BED file of regions to read from --genome (names become chrom:start-end, 0-based start as in BED and bedtools getfasta; samtools and IGV regions are 1-based).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" genome' -l 'genome' -d 'Reference genome FASTA (plain or bgzip); its .fai index is built when missing.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" vcf' -l 'vcf' -d 'VCF/BCF of variants (plain, bgzip, BCF; \'-\' = stdin) to score in windows of --genome.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" length' -l 'length' -d 'Fixed sequence length: longer sequences are trimmed (see --trim), regions are recentred on their midpoint.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" trim' -l 'trim' -d 'Which bases a longer sequence keeps: center (default) or left (the first L).' -rfka 'center left'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" pad' -l 'pad' -d 'Pad sequences shorter than --length with all-zero columns (placed as --trim says) instead of failing.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" task' -l 'task' -d 'Task name or 0-based index (default: all tasks).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" track-line' -l 'track-line' -d 'Start bedGraph tracks with a UCSC \'track type=bedGraph name=...\' line (tabix skips it).'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" npy' -l 'npy' -d 'Also write PREFIX.ohe.npy and PREFIX.attr.npy (float32 [N,4,L], hypothetical contributions; PREFIX.TASK.attr.npy for several tasks) for TF-MoDISco.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" top-windows' -l 'top-windows' -d 'Write the most important --window of each sequence (TSV: sequence, task, chrom, start, end, score, bases).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" window' -l 'window' -d 'Window length for --top-windows and the plots\' logo.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" pos-threshold' -l 'pos-threshold' -d '--top-windows skips sequences whose predicted probability is below this.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" plot' -l 'plot' -d 'Write one SVG per sequence (track, truth boxes, logo of the top window) into this folder.' -rfa '(__dragonn-attrib_complete_directories)'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" plot-max' -l 'plot-max' -d 'Plot at most this many sequences.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" truth' -l 'truth' -d 'Embedded motifs BED (dragonn-sim --bed): print positional auPRC per motif as TSV (method, task, motif, auPRC, windows) on stdout; the bedGraph is then only written to an -o file.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" top' -l 'top' -d 'With --vcf: explain the N ALT alleles with the largest |logit(ALT) - logit(REF)| of --task (default: the first task). -o X.bedGraph writes X.ref, X.alt and X.delta (ALT - REF) tracks in genomic coordinates (-o X.bw: the three as bigWig, X.ref.bw etc.; a base in overlapping windows takes the higher-ranked variant\'s value; inserted bases have none); --plot draws one SVG per variant (REF and ALT rows, the variant marked, logos of the bases around it).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" s seed' -s 's' -l 'seed' -d 'Random seed; the same seed gives the same output.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" @ threads' -s '@' -l 'threads' -d 'Worker threads (default: number of cores).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib ism" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" m model' -s 'm' -l 'model' -d 'Model file (safetensors, from dragonn-train; not the .checkpoint.safetensors).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'safetensors\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_positional "dragonn-attrib deeplift" -eq 1' -F
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" regions' -l 'regions' -d 'BED file of regions to read from --genome (names become chrom:start-end, 0-based start as in BED and bedtools getfasta; samtools and IGV regions are 1-based).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" genome' -l 'genome' -d 'Reference genome FASTA (plain or bgzip); its .fai index is built when missing.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" vcf' -l 'vcf' -d 'VCF/BCF of variants (plain, bgzip, BCF; \'-\' = stdin) to score in windows of --genome.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" length' -l 'length' -d 'Fixed sequence length: longer sequences are trimmed (see --trim), regions are recentred on their midpoint.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" trim' -l 'trim' -d 'Which bases a longer sequence keeps: center (default) or left (the first L).' -rfka 'center left'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" pad' -l 'pad' -d 'Pad sequences shorter than --length with all-zero columns (placed as --trim says) instead of failing.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" task' -l 'task' -d 'Task name or 0-based index (default: all tasks).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" track-line' -l 'track-line' -d 'Start bedGraph tracks with a UCSC \'track type=bedGraph name=...\' line (tabix skips it).'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" npy' -l 'npy' -d 'Also write PREFIX.ohe.npy and PREFIX.attr.npy (float32 [N,4,L], hypothetical contributions; PREFIX.TASK.attr.npy for several tasks) for TF-MoDISco.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" top-windows' -l 'top-windows' -d 'Write the most important --window of each sequence (TSV: sequence, task, chrom, start, end, score, bases).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" window' -l 'window' -d 'Window length for --top-windows and the plots\' logo.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" pos-threshold' -l 'pos-threshold' -d '--top-windows skips sequences whose predicted probability is below this.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" plot' -l 'plot' -d 'Write one SVG per sequence (track, truth boxes, logo of the top window) into this folder.' -rfa '(__dragonn-attrib_complete_directories)'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" plot-max' -l 'plot-max' -d 'Plot at most this many sequences.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" truth' -l 'truth' -d 'Embedded motifs BED (dragonn-sim --bed): print positional auPRC per motif as TSV (method, task, motif, auPRC, windows) on stdout; the bedGraph is then only written to an -o file.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" top' -l 'top' -d 'With --vcf: explain the N ALT alleles with the largest |logit(ALT) - logit(REF)| of --task (default: the first task). -o X.bedGraph writes X.ref, X.alt and X.delta (ALT - REF) tracks in genomic coordinates (-o X.bw: the three as bigWig, X.ref.bw etc.; a base in overlapping windows takes the higher-ranked variant\'s value; inserted bases have none); --plot draws one SVG per variant (REF and ALT rows, the variant marked, logos of the bases around it).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" s seed' -s 's' -l 'seed' -d 'Random seed; the same seed gives the same output.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" @ threads' -s '@' -l 'threads' -d 'Worker threads (default: number of cores).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" reference' -l 'reference' -d 'shuffle:N (N seeded dinucleotide shuffles of each sequence), zeros, or gc:F (background expectation with GC fraction F).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib deeplift" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" m model' -s 'm' -l 'model' -d 'Model file (safetensors, from dragonn-train; not the .checkpoint.safetensors).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'safetensors\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_positional "dragonn-attrib grad" -eq 1' -F
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" regions' -l 'regions' -d 'BED file of regions to read from --genome (names become chrom:start-end, 0-based start as in BED and bedtools getfasta; samtools and IGV regions are 1-based).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" genome' -l 'genome' -d 'Reference genome FASTA (plain or bgzip); its .fai index is built when missing.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" vcf' -l 'vcf' -d 'VCF/BCF of variants (plain, bgzip, BCF; \'-\' = stdin) to score in windows of --genome.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" length' -l 'length' -d 'Fixed sequence length: longer sequences are trimmed (see --trim), regions are recentred on their midpoint.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" trim' -l 'trim' -d 'Which bases a longer sequence keeps: center (default) or left (the first L).' -rfka 'center left'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" pad' -l 'pad' -d 'Pad sequences shorter than --length with all-zero columns (placed as --trim says) instead of failing.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" task' -l 'task' -d 'Task name or 0-based index (default: all tasks).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" track-line' -l 'track-line' -d 'Start bedGraph tracks with a UCSC \'track type=bedGraph name=...\' line (tabix skips it).'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" npy' -l 'npy' -d 'Also write PREFIX.ohe.npy and PREFIX.attr.npy (float32 [N,4,L], hypothetical contributions; PREFIX.TASK.attr.npy for several tasks) for TF-MoDISco.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" top-windows' -l 'top-windows' -d 'Write the most important --window of each sequence (TSV: sequence, task, chrom, start, end, score, bases).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" window' -l 'window' -d 'Window length for --top-windows and the plots\' logo.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" pos-threshold' -l 'pos-threshold' -d '--top-windows skips sequences whose predicted probability is below this.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" plot' -l 'plot' -d 'Write one SVG per sequence (track, truth boxes, logo of the top window) into this folder.' -rfa '(__dragonn-attrib_complete_directories)'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" plot-max' -l 'plot-max' -d 'Plot at most this many sequences.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" truth' -l 'truth' -d 'Embedded motifs BED (dragonn-sim --bed): print positional auPRC per motif as TSV (method, task, motif, auPRC, windows) on stdout; the bedGraph is then only written to an -o file.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" top' -l 'top' -d 'With --vcf: explain the N ALT alleles with the largest |logit(ALT) - logit(REF)| of --task (default: the first task). -o X.bedGraph writes X.ref, X.alt and X.delta (ALT - REF) tracks in genomic coordinates (-o X.bw: the three as bigWig, X.ref.bw etc.; a base in overlapping windows takes the higher-ranked variant\'s value; inserted bases have none); --plot draws one SVG per variant (REF and ALT rows, the variant marked, logos of the bases around it).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" s seed' -s 's' -l 'seed' -d 'Random seed; the same seed gives the same output.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" @ threads' -s '@' -l 'threads' -d 'Worker threads (default: number of cores).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib grad" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib filters" m model' -s 'm' -l 'model' -d 'Model file.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'safetensors\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib filters" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib filters" meme' -l 'meme' -d 'Write the filters as MEME minimal-format PWMs.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib filters" sequences' -l 'sequences' -d 'Build the filter PWMs from the windows of these sequences (FASTA) that activate each filter strongly.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib filters"' -l 'compare' -d 'Compare the filters with these motifs (comma-separated or repeated; \'all\' = the whole collection).' -rfka '(dragonn-sim motifs 2>/dev/null | cut -f1)'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib filters"' -l 'motifs' -d 'Extra motif file (ENCODE, HOMER, MEME or JASPAR); repeatable.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib filters" no-bundled-motifs' -l 'no-bundled-motifs' -d 'Use only the --motifs files, not the bundled ENCODE collection.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib filters" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib filters" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" m model' -s 'm' -l 'model' -d 'Model file (safetensors, from dragonn-train).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'safetensors\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_positional "dragonn-attrib figure" -eq 1' -F
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" regions' -l 'regions' -d 'BED file of regions to read from --genome (names become chrom:start-end, 0-based start as in BED and bedtools getfasta; samtools and IGV regions are 1-based).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" genome' -l 'genome' -d 'Reference genome FASTA (plain or bgzip); its .fai index is built when missing.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" vcf' -l 'vcf' -d 'VCF/BCF of variants (plain, bgzip, BCF; \'-\' = stdin) to score in windows of --genome.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" length' -l 'length' -d 'Fixed sequence length: longer sequences are trimmed (see --trim), regions are recentred on their midpoint.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" trim' -l 'trim' -d 'Which bases a longer sequence keeps: center (default) or left (the first L).' -rfka 'center left'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" pad' -l 'pad' -d 'Pad sequences shorter than --length with all-zero columns (placed as --trim says) instead of failing.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" o output' -s 'o' -l 'output' -d 'Output file (\'-\' for stdout; a path ending in .gz is written BGZF-compressed).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" task' -l 'task' -d 'Task name or 0-based index (default: the first task).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" positive' -l 'positive' -d 'Name of the positive sequence (default: the most confident positive).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" negative' -l 'negative' -d 'Name of the negative sequence (default: the most confident negative).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" truth' -l 'truth' -d 'Embedded motifs BED (dragonn-sim --bed), boxed on every row.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure"' -l 'motif-names' -d 'Motifs of the score row (default: those of --truth, else TAL1_known4).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure"' -l 'motifs' -d 'Extra motif file (ENCODE, HOMER, MEME or JASPAR); repeatable.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" gc-fraction' -l 'gc-fraction' -d 'GC fraction of the background for the motif log-odds.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" reference' -l 'reference' -d 'DeepLIFT reference: shuffle:N, zeros, or gc:F (as in deeplift).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" logo-window' -l 'logo-window' -d 'Bases of the DeepLIFT logo when the sequence is longer.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" s seed' -s 's' -l 'seed' -d 'Random seed; the same seed gives the same output.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" @ threads' -s '@' -l 'threads' -d 'Worker threads (default: number of cores).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib figure" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs"' -l 'motif' -d 'Motif to scan (comma-separated or repeated); \'all\' scans every motif of the collection.' -rfka '(dragonn-sim motifs 2>/dev/null | cut -f1)'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_positional "dragonn-attrib motifs" -eq 1' -F
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" regions' -l 'regions' -d 'BED file of regions to read from --genome (names become chrom:start-end, 0-based start as in BED and bedtools getfasta; samtools and IGV regions are 1-based).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" genome' -l 'genome' -d 'Reference genome FASTA (plain or bgzip); its .fai index is built when missing.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" vcf' -l 'vcf' -d 'VCF/BCF of variants (plain, bgzip, BCF; \'-\' = stdin) to score in windows of --genome.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" length' -l 'length' -d 'Fixed sequence length: longer sequences are trimmed (see --trim), regions are recentred on their midpoint.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" trim' -l 'trim' -d 'Which bases a longer sequence keeps: center (default) or left (the first L).' -rfka 'center left'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" pad' -l 'pad' -d 'Pad sequences shorter than --length with all-zero columns (placed as --trim says) instead of failing.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" o output' -s 'o' -l 'output' -d 'Motif-score track(s): bedGraph, .gz = BGZF + tabix, \'-\' = stdout (one motif).' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" track-line' -l 'track-line' -d 'Start bedGraph tracks with a UCSC \'track type=bedGraph name=...\' line (tabix skips it).'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" npy' -l 'npy' -d 'Write the scores as float32 .npy [sequences, motifs, length].' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" hits' -l 'hits' -d 'Write the hits as BED6+ (chrom start end motif score strand p q); \'-\' = stdout.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" threshold' -l 'threshold' -d 'Largest p-value of a hit.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" gc-fraction' -l 'gc-fraction' -d 'GC fraction of the background, or \'auto\' to estimate it from the input.' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" truth' -l 'truth' -d 'Embedded motifs BED (dragonn-sim --bed): print the positional auPRC of each track as TSV on stdout.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs"' -l 'motifs' -d 'Extra motif file (ENCODE, HOMER, MEME or JASPAR); repeatable.' -rF
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" no-bundled-motifs' -l 'no-bundled-motifs' -d 'Use only the --motifs files, not the bundled ENCODE collection.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" @ threads' -s '@' -l 'threads' -d 'Worker threads (default: number of cores).' -rfka ''
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" version' -l 'version' -d 'Show the version.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib motifs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dragonn-attrib' -n '__dragonn-attrib_should_offer_completions_for_flags_or_options "dragonn-attrib help" version' -l 'version' -d 'Show the version.'
