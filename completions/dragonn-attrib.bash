#!/bin/bash

__dragonn-attrib_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__dragonn-attrib_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__dragonn-attrib_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__dragonn-attrib_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_dragonn-attrib() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __dragonn-attrib_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    ism|deeplift|grad|filters|figure|motifs|help)
        # Offer subcommand argument completions
        "_dragonn-attrib_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'ism deeplift grad filters figure motifs help' -- "${cur}"))
        ;;
    esac
}

_dragonn-attrib_ism() {
    repeating_flags=()
    non_repeating_flags=(--pad --track-line --version -h --help)
    repeating_options=()
    non_repeating_options=(-m --model --regions --genome --vcf --length --trim --task -o --output --npy --top-windows --window --pos-threshold --plot --plot-max --truth --top -s --seed -@ --threads)
    __dragonn-attrib_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-m'|'--model')
        __dragonn-attrib_add_completions -o plusdirs -fX '!*.@(safetensors)'
        return
        ;;
    '--regions')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--genome')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--vcf')
        return
        ;;
    '--length')
        return
        ;;
    '--trim')
        __dragonn-attrib_add_completions -W 'center'$'\n''left'
        return
        ;;
    '--task')
        return
        ;;
    '-o'|'--output')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--npy')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--top-windows')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--window')
        return
        ;;
    '--pos-threshold')
        return
        ;;
    '--plot')
        __dragonn-attrib_add_completions -d
        return
        ;;
    '--plot-max')
        return
        ;;
    '--truth')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--top')
        return
        ;;
    '-s'|'--seed')
        return
        ;;
    '-@'|'--threads')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dragonn-attrib_add_completions -f
        return
        ;;
    esac
}

_dragonn-attrib_deeplift() {
    repeating_flags=()
    non_repeating_flags=(--pad --track-line --version -h --help)
    repeating_options=()
    non_repeating_options=(-m --model --regions --genome --vcf --length --trim --task -o --output --npy --top-windows --window --pos-threshold --plot --plot-max --truth --top -s --seed -@ --threads --reference)
    __dragonn-attrib_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-m'|'--model')
        __dragonn-attrib_add_completions -o plusdirs -fX '!*.@(safetensors)'
        return
        ;;
    '--regions')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--genome')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--vcf')
        return
        ;;
    '--length')
        return
        ;;
    '--trim')
        __dragonn-attrib_add_completions -W 'center'$'\n''left'
        return
        ;;
    '--task')
        return
        ;;
    '-o'|'--output')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--npy')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--top-windows')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--window')
        return
        ;;
    '--pos-threshold')
        return
        ;;
    '--plot')
        __dragonn-attrib_add_completions -d
        return
        ;;
    '--plot-max')
        return
        ;;
    '--truth')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--top')
        return
        ;;
    '-s'|'--seed')
        return
        ;;
    '-@'|'--threads')
        return
        ;;
    '--reference')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dragonn-attrib_add_completions -f
        return
        ;;
    esac
}

_dragonn-attrib_grad() {
    repeating_flags=()
    non_repeating_flags=(--pad --track-line --version -h --help)
    repeating_options=()
    non_repeating_options=(-m --model --regions --genome --vcf --length --trim --task -o --output --npy --top-windows --window --pos-threshold --plot --plot-max --truth --top -s --seed -@ --threads)
    __dragonn-attrib_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-m'|'--model')
        __dragonn-attrib_add_completions -o plusdirs -fX '!*.@(safetensors)'
        return
        ;;
    '--regions')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--genome')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--vcf')
        return
        ;;
    '--length')
        return
        ;;
    '--trim')
        __dragonn-attrib_add_completions -W 'center'$'\n''left'
        return
        ;;
    '--task')
        return
        ;;
    '-o'|'--output')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--npy')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--top-windows')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--window')
        return
        ;;
    '--pos-threshold')
        return
        ;;
    '--plot')
        __dragonn-attrib_add_completions -d
        return
        ;;
    '--plot-max')
        return
        ;;
    '--truth')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--top')
        return
        ;;
    '-s'|'--seed')
        return
        ;;
    '-@'|'--threads')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dragonn-attrib_add_completions -f
        return
        ;;
    esac
}

_dragonn-attrib_filters() {
    repeating_flags=()
    non_repeating_flags=(--no-bundled-motifs --version -h --help)
    repeating_options=(--compare --motifs)
    non_repeating_options=(-m --model -o --output --meme --sequences)
    __dragonn-attrib_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-m'|'--model')
        __dragonn-attrib_add_completions -o plusdirs -fX '!*.@(safetensors)'
        return
        ;;
    '-o'|'--output')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--meme')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--sequences')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--compare')
        __dragonn-attrib_add_completions -W "$(eval 'dragonn-sim motifs 2>/dev/null | cut -f1')"
        return
        ;;
    '--motifs')
        __dragonn-attrib_add_completions -f
        return
        ;;
    esac
}

_dragonn-attrib_figure() {
    repeating_flags=()
    non_repeating_flags=(--pad --version -h --help)
    repeating_options=(--motif-names --motifs)
    non_repeating_options=(-m --model --regions --genome --vcf --length --trim -o --output --task --positive --negative --truth --gc-fraction --reference --logo-window -s --seed -@ --threads)
    __dragonn-attrib_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '-m'|'--model')
        __dragonn-attrib_add_completions -o plusdirs -fX '!*.@(safetensors)'
        return
        ;;
    '--regions')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--genome')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--vcf')
        return
        ;;
    '--length')
        return
        ;;
    '--trim')
        __dragonn-attrib_add_completions -W 'center'$'\n''left'
        return
        ;;
    '-o'|'--output')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--task')
        return
        ;;
    '--positive')
        return
        ;;
    '--negative')
        return
        ;;
    '--truth')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--motif-names')
        return
        ;;
    '--motifs')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--gc-fraction')
        return
        ;;
    '--reference')
        return
        ;;
    '--logo-window')
        return
        ;;
    '-s'|'--seed')
        return
        ;;
    '-@'|'--threads')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dragonn-attrib_add_completions -f
        return
        ;;
    esac
}

_dragonn-attrib_motifs() {
    repeating_flags=()
    non_repeating_flags=(--pad --track-line --no-bundled-motifs --version -h --help)
    repeating_options=(--motif --motifs)
    non_repeating_options=(--regions --genome --vcf --length --trim -o --output --npy --hits --threshold --gc-fraction --truth -@ --threads)
    __dragonn-attrib_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--motif')
        __dragonn-attrib_add_completions -W "$(eval 'dragonn-sim motifs 2>/dev/null | cut -f1')"
        return
        ;;
    '--regions')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--genome')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--vcf')
        return
        ;;
    '--length')
        return
        ;;
    '--trim')
        __dragonn-attrib_add_completions -W 'center'$'\n''left'
        return
        ;;
    '-o'|'--output')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--npy')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--hits')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--threshold')
        return
        ;;
    '--gc-fraction')
        return
        ;;
    '--truth')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '--motifs')
        __dragonn-attrib_add_completions -f
        return
        ;;
    '-@'|'--threads')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dragonn-attrib_add_completions -f
        return
        ;;
    esac
}

_dragonn-attrib_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __dragonn-attrib_offer_flags_options -1
}

complete -o filenames -F _dragonn-attrib dragonn-attrib
