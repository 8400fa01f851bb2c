#!/usr/bin/env python3
"""Tidies an mdoc page written by swift-argument-parser's generate-manual, in place, so that it
renders well and lints clean (`groff -man -ww -z`, `mandoc -Tlint`). Usage: mdoc-tidy.py PAGE...

- Help text lines that start with two spaces (the examples in the tools' discussions) become
  `.Bd -literal` displays: no filling, so each command stays one copyable line.
- Blank lines (groff: "Empty input line") become `.Pp`; a `.Pp` right before `.It`, a section
  or another paragraph macro is dropped (mandoc: "skipping paragraph macro").
- Text is broken after each sentence (mdoc wants a new sentence on a new line) and wrapped at
  80 bytes; a line that would start with `.` or `'` is guarded with `\\&`; words holding an
  option (`--regions/--genome`) get `\\%` so groff never hyphenates them.
- The one-line `.Nd` description loses its trailing full stop (a trailing delimiter).
"""
import re
import sys

WIDTH = 80
# A sentence ends at . ! or ? (after a closing bracket or quote, perhaps) followed by a space and
# the next word; abbreviations such as "e.g." and "i.e." do not end one.
SENTENCE_END = re.compile(r'[.!?](["\')\]]*) +(?=\S)')
PARAGRAPH_BREAKERS = ('.It', '.Sh', '.Ss', '.Pp', '.El', '.Bl', '.Ed', '.Bd')


def guard(line):
    """A text line that troff would take for a request gets the zero-width `\\&` first."""
    return '\\&' + line if line[:1] in ('.', "'") else line


def sentences(text):
    """Splits a text line after each full stop, question or exclamation mark that ends a
    sentence (not inside "e.g." or "i.e.", not before a lower-case word such as a file suffix)."""
    parts, start = [], 0
    for m in SENTENCE_END.finditer(text):
        following = text[m.end():m.end() + 1]
        before = text[max(0, m.start() - 3):m.start() + 1]
        if before.endswith(('e.g.', 'i.e.', 'etc.', 'vs.')) or not following[:1].isupper() and following[:1] not in '(-"\'':
            continue
        parts.append(text[start:m.start() + 1] + m.group(1))
        start = m.end()
    parts.append(text[start:])
    return [p for p in parts if p]


def wrap(text):
    """Breaks `text` at spaces into lines of at most WIDTH bytes (a longer word stays whole)."""
    lines, current = [], ''
    for word in text.split(' '):
        if not word:
            continue
        if not word.startswith('\\%') and (re.match(r'^[(\[\'"]*--?[A-Za-z]', word) or '/--' in word):
            word = '\\%' + word
        candidate = word if not current else current + ' ' + word
        if len(candidate.encode()) > WIDTH and current:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def tidy(lines):
    out = []
    in_example = False
    pending_paragraph = False

    def close_example():
        nonlocal in_example
        if in_example:
            out.append('.Ed')
            in_example = False

    def flush_paragraph(next_line):
        nonlocal pending_paragraph
        if pending_paragraph and not next_line.startswith(PARAGRAPH_BREAKERS) and out and not out[-1].startswith(PARAGRAPH_BREAKERS[:4]):
            out.append('.Pp')
        pending_paragraph = False

    in_display = False   # inside a display the page already has (a page tidied before)
    for raw in lines:
        line = raw.rstrip('\n')
        if in_display or line.startswith('.Bd'):
            in_display = line != '.Ed'
            flush_paragraph(line)
            out.append(line)
            continue
        if line.startswith('.Nd '):
            line = re.sub(r'\.(")?$', r'\1', line)
        if line.startswith('.') or line.startswith("'"):
            close_example()
            if line == '.Pp':
                pending_paragraph = True
                continue
            flush_paragraph(line)
            out.append(line)
        elif line.strip() == '':
            close_example()
            pending_paragraph = True
        elif line.startswith('  '):
            if not in_example:
                flush_paragraph('')
                out.append('.Bd -literal -offset indent')
                in_example = True
            out.append(guard(line[2:]))
        else:
            close_example()
            flush_paragraph('')
            for sentence in sentences(line):
                out.extend(guard(l) for l in wrap(sentence))
    close_example()
    return out


def main():
    for path in sys.argv[1:]:
        with open(path, encoding='utf-8') as f:
            lines = f.readlines()
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(tidy(lines)) + '\n')


if __name__ == '__main__':
    main()
