# help.awk - the text of `tacit help [COMMAND]`, from the man page's source.
#
#   awk -f man/help.awk man/tacit.1.scd > build/gen/help.c
#
# Each "## NAME" under "# COMMANDS" becomes the page NAME: its text with
# scdoc's markup removed (*bold*, _underline_, \ escapes), tabs as four
# spaces, long lines wrapped; index, complete and eval get the COMMON OPTIONS
# section too. The page "tacit" lists every command's synopsis. The C array
# ends with {NULL, NULL}; src/main.c declares it.

# scdoc markup to plain text; an underscore inside a word stays.
function plain(s,   out, i, n, c, p, q) {
    out = ""
    n = length(s)
    for (i = 1; i <= n; i++) {
        c = substr(s, i, 1)
        if (c == "\\") { i++; out = out substr(s, i, 1); continue }
        if (c == "*") continue
        if (c == "_") {
            p = substr(s, i - 1, 1); q = substr(s, i + 1, 1)
            if (!(p ~ /[A-Za-z0-9]/ && q ~ /[A-Za-z0-9]/)) continue
        }
        out = out c
    }
    return out
}

# Wrap at 79 columns; continuation lines indented 6 more than the first.
function wrap(s,   ind, out, cut) {
    match(s, /^ */)
    ind = sprintf("%*s", RLENGTH + 6, "")
    out = ""
    while (length(s) > 79) {
        cut = 79
        while (cut > RLENGTH + 8 && substr(s, cut, 1) != " ") cut--
        if (cut <= RLENGTH + 8) break
        out = out substr(s, 1, cut - 1) "\n"
        s = ind substr(s, cut + 1)
    }
    return out s "\n"
}

function cstr(s) {
    gsub(/\\/, "\\\\", s)
    gsub(/"/, "\\\"", s)
    gsub(/\n/, "\\n\"\n    \"", s)
    return "\"" s "\""
}

function add(line) {
    gsub(/\t/, "    ", line)
    line = plain(line)
    if (sec == "COMMANDS" && sub_ != "") {
        text[sub_] = text[sub_] wrap(line)
        if (line ~ /^tacit /) synopsis = synopsis wrap("  " line)
    } else if (sec == "COMMON OPTIONS") {
        common = common wrap(line)
    }
}

/^# / { sec = substr($0, 3); sub_ = ""; next }
/^## / {
    if (sec == "COMMANDS") { sub_ = substr($0, 4); order[++n] = sub_; text[sub_] = "" }
    next
}
/^```/ { next }
{ add($0) }

function trim(s) {
    sub(/^\n+/, "", s)
    sub(/\n+$/, "\n", s)
    return s
}

END {
    print "/* Generated from man/tacit.1.scd by man/help.awk; do not edit. */"
    print "#include <stddef.h>"
    print "typedef struct tc_help_page {\n    const char *name, *text;\n} tc_help_page;"
    print "const tc_help_page tc_help_pages[] = {"
    over = "usage: tacit COMMAND [OPTION]... [ARGUMENT]...\n\ncommands:\n" synopsis \
           "\ncommon options:\n" trim(common) \
           "\n'tacit help COMMAND' or 'tacit COMMAND --help' for one command; 'man tacit' for all.\n"
    print "    {\"tacit\", " cstr(over) "},"
    for (i = 1; i <= n; i++) {
        t = trim(text[order[i]])
        if (order[i] ~ /^(index|complete|eval)$/) t = t "\ncommon options:\n" trim(common)
        print "    {\"" order[i] "\", " cstr(t) "},"
    }
    print "    {NULL, NULL},\n};"
}
