/* test_lex.c - lexers: golden token streams per language, nasty inputs,
 * detection, and a property test of the tc_lex contract on random bytes. */
#include "test.h"

#include "lang/lang.h"
#include "lang/lex_int.h"
#include "util/status.h"

#include <stdint.h>
#include <stdlib.h>

static const char *lex_kind_code(int k)
{
    static const char *const c[] = {"i", "k", "n", "s", "c", "p", "nl", ">", "<", "o"};
    return k >= 0 && k < TC_TOK_KIND_COUNT ? c[k] : "?";
}

/* Render src's tokens as "code:text" separated by spaces (codes: i ident,
 * k keyword, n number, s string, c comment, p punct, o other; NEWLINE as
 * nl / crlf / cr, INDENT ">" and DEDENT "<"), escaping \n \r \t and other
 * bytes outside printable ASCII as \xHH. Returns a static buffer, or
 * "INVALID" if the tokens break the contract (tc_toks_check). */
static const char *lex_render_n(tc_lang lang, const char *src, size_t len)
{
    static char out[16384];
    tc_toks t = {0};
    size_t o = 0, i, j;
    if (tc_lex(lang, src, len, &t) != TC_OK) return "LEXFAIL";
    if (tc_toks_check(&t, src, len) != TC_OK) {
        tc_toks_free(&t);
        return "INVALID";
    }
    out[0] = 0;
    for (i = 0; i < t.n && o + 64 < sizeof out; i++) {
        const tc_token *k = &t.v[i];
        if (i) out[o++] = ' ';
        if (k->kind == TC_TOK_NEWLINE) {
            o += (size_t)snprintf(out + o, sizeof out - o, "%s",
                                  k->len == 2 ? "crlf" : src[k->off] == '\r' ? "cr" : "nl");
            continue;
        }
        if (k->kind == TC_TOK_INDENT || k->kind == TC_TOK_DEDENT) {
            out[o++] = k->kind == TC_TOK_INDENT ? '>' : '<';
            continue;
        }
        o += (size_t)snprintf(out + o, sizeof out - o, "%s:", lex_kind_code(k->kind));
        for (j = 0; j < k->len && o + 8 < sizeof out; j++) {
            unsigned char c = (unsigned char)src[k->off + j];
            if (c == '\n') o += (size_t)snprintf(out + o, sizeof out - o, "\\n");
            else if (c == '\r') o += (size_t)snprintf(out + o, sizeof out - o, "\\r");
            else if (c == '\t') o += (size_t)snprintf(out + o, sizeof out - o, "\\t");
            else if (c < 0x20 || c >= 0x7f) o += (size_t)snprintf(out + o, sizeof out - o, "\\x%02x", c);
            else out[o++] = (char)c;
        }
    }
    out[o] = 0;
    tc_toks_free(&t);
    return out;
}

static const char *lex_render(tc_lang lang, const char *src)
{
    return lex_render_n(lang, src, strlen(src));
}

#define LEX_EQ(lang, src, want)                                                  \
    do {                                                                         \
        const char *got = lex_render((lang), (src)), *want_ = (want);            \
        if (strcmp(got, want_) != 0)                                             \
            fprintf(stderr, "  got:  %s\n  want: %s\n", got, want_);             \
        TC_CHECK(strcmp(got, want_) == 0);                                       \
    } while (0)

TC_TEST(lex_c_basics)
{
    LEX_EQ(TC_LANG_C, "int main(void) { return x->y <<= 1.5e+3f + 0x1p-2 + 07; }\n",
           "k:int i:main p:( k:void p:) p:{ k:return i:x p:-> i:y p:<<= n:1.5e+3f p:+ n:0x1p-2 "
           "p:+ n:07 p:; p:} nl");
    LEX_EQ(TC_LANG_C, "a&&b||!c...d##e", "i:a p:&& i:b p:|| p:! i:c p:... i:d p:## i:e");
    LEX_EQ(TC_LANG_C, "char *s = u8\"x\\\"y\"; c = L'\\n'; d = '\\'';",
           "k:char p:* i:s p:= s:u8\"x\\\"y\" p:; i:c p:= s:L'\\n' p:; i:d p:= s:'\\'' p:;");
    /* a string broken by a backslash-newline continues */
    LEX_EQ(TC_LANG_C, "\"a\\\nb\" x", "s:\"a\\\\nb\" i:x");
    LEX_EQ(TC_LANG_C, "/* c\n */ x // y \\\n z\nw",
           "c:/* c\\n */ i:x c:// y \\\\n z nl i:w");
}

TC_TEST(lex_c_preprocessor)
{
    LEX_EQ(TC_LANG_C, "#include <stdio.h>\n  #  include_next <a/b.h> // x\n#include \"q.h\"\n",
           "p:# o:include s:<stdio.h> nl p:# o:include_next s:<a/b.h> c:// x nl "
           "p:# o:include s:\"q.h\" nl");
    LEX_EQ(TC_LANG_C, "#define X(a) \\\n  #a ## b\n#if 0\n#endif\n",
           "p:# o:define i:X p:( i:a p:) p:\\ nl p:# i:a p:## i:b nl p:# o:if n:0 nl p:# o:endif nl");
    /* '#' after a comment at line start is still a directive; elsewhere not */
    LEX_EQ(TC_LANG_C, "/**/ #pragma once\nx # y", "c:/**/ p:# o:pragma i:once nl i:x p:# i:y");
    LEX_EQ(TC_LANG_C, "#include <unterminated\n", "p:# o:include p:< i:unterminated nl");
}

TC_TEST(lex_cpp)
{
    LEX_EQ(TC_LANG_CPP, "auto r = R\"d(a)\"b\n)d\"; std::vector<int> v; a <=> b; p->*m; 1'000'000;",
           "k:auto i:r p:= s:R\"d(a)\"b\\n)d\" p:; i:std p::: i:vector p:< k:int p:> i:v p:; "
           "i:a p:<=> i:b p:; i:p p:->* i:m p:; n:1'000'000 p:;");
    LEX_EQ(TC_LANG_CPP, "u8R\"(x)\" LR\"-(y)-\" class template",
           "s:u8R\"(x)\" s:LR\"-(y)-\" k:class k:template");
    /* unterminated raw string runs to the end; a bad delimiter is no raw string */
    LEX_EQ(TC_LANG_CPP, "R\"x(abc\ndef", "s:R\"x(abc\\ndef");
    LEX_EQ(TC_LANG_CPP, "R\"a b(\"", "i:R s:\"a b(\"");
    /* in C, R"..." is an identifier and a string */
    LEX_EQ(TC_LANG_C, "R\"(x)\"", "i:R s:\"(x)\"");
}

TC_TEST(lex_python_indent)
{
    LEX_EQ(TC_LANG_PYTHON,
           "def f(x):\n    if x:\n\n        # c\n        return [1,\n  2]\n"
           "    y = 1 + \\\n  2\nclass A: pass\n",
           "k:def i:f p:( i:x p:) p:: nl > k:if i:x p:: nl nl c:# c nl > k:return p:[ n:1 p:, nl "
           "n:2 p:] nl < i:y p:= n:1 p:+ p:\\ nl n:2 nl < k:class i:A p:: k:pass nl");
    /* tab = next multiple of 8; dedent to an unknown column pops to the next level */
    LEX_EQ(TC_LANG_PYTHON, "if a:\n\tb\n        c\n  d\ne\n",
           "k:if i:a p:: nl > i:b nl i:c nl < i:d nl i:e nl");
    /* end of input closes every level; blank and comment lines do not count */
    LEX_EQ(TC_LANG_PYTHON, "a:\n  b:\n    c\n  \n# x\n", "i:a p:: nl > i:b p:: nl > i:c nl nl c:# x nl < <");
    LEX_EQ(TC_LANG_PYTHON, "x = (1,\n     2)\nif a: \\\n    b\n",
           "i:x p:= p:( n:1 p:, nl n:2 p:) nl k:if i:a p:: p:\\ nl i:b nl");
    LEX_EQ(TC_LANG_PYTHON, "if a:\r\n    b\r\nc", "k:if i:a p:: crlf > i:b crlf < i:c");
}

TC_TEST(lex_python_strings)
{
    LEX_EQ(TC_LANG_PYTHON, "f\"{x!r:>{w}} {d[\"k\"]}\" + rb'\\x' + \"\"\"a\n\"b\"\n\"\"\" + Rb\"\\\"\"",
           "s:f\"{x!r:>{w}} {d[\"k\"]}\" p:+ s:rb'\\x' p:+ s:\"\"\"a\\n\"b\"\\n\"\"\" p:+ s:Rb\"\\\"\"");
    LEX_EQ(TC_LANG_PYTHON, "x = f\"{a:%H:%M}\" + f'{x'\ny = \"abc\nz",
           "i:x p:= s:f\"{a:%H:%M}\" p:+ s:f'{x' nl i:y p:= s:\"abc nl i:z");
    LEX_EQ(TC_LANG_PYTHON, "f'{{x}}' f'''{\n1}''' u'a' ur'b'",
           "s:f'{{x}}' s:f'''{\\n1}''' s:u'a' i:ur s:'b'");
    LEX_EQ(TC_LANG_PYTHON, "x = '''abc\n", "i:x p:= s:'''abc\\n");
    LEX_EQ(TC_LANG_PYTHON, "a **= b //= c := d -> e ... @= 1_000.5e-3j 0x_ff .5",
           "i:a p:**= i:b p://= i:c p::= i:d p:-> i:e p:... p:@= n:1_000.5e-3j n:0x_ff n:.5");
}

TC_TEST(lex_js)
{
    LEX_EQ(TC_LANG_JS, "#!/usr/bin/env node\nconst re = /a[/]b\\//gi, d = a / b / c;\n",
           "c:#!/usr/bin/env node nl k:const i:re p:= s:/a[/]b\\//gi p:, i:d p:= i:a p:/ i:b p:/ i:c p:; nl");
    LEX_EQ(TC_LANG_JS, "let t = `x ${ {a:1}.a + `in ${y}` } z`;",
           "k:let i:t p:= s:`x ${ {a:1}.a + `in ${y}` } z` p:;");
    LEX_EQ(TC_LANG_JS, "x = y++ / 2; return /x/\na?.b ?? c; x ?\?= 1 >>>= 2; x = a ? .5 : 1;",
           "i:x p:= i:y p:++ p:/ n:2 p:; k:return s:/x/ nl i:a p:?. i:b p:?? i:c p:; i:x p:?\?= n:1 "
           "p:>>>= n:2 p:; i:x p:= i:a p:? n:.5 p:: n:1 p:;");
    LEX_EQ(TC_LANG_JS, "if (f(x)) /re/.test(s); (a) / b / c",
           "k:if p:( i:f p:( i:x p:) p:) s:/re/ p:. i:test p:( i:s p:) p:; p:( i:a p:) p:/ i:b p:/ i:c");
    /* a regex that does not close on its line is a division */
    LEX_EQ(TC_LANG_JS, "x = / 2\n", "i:x p:= p:/ n:2 nl");
    LEX_EQ(TC_LANG_JS, "let $x = `unterminated ${ x\n", "k:let i:$x p:= s:`unterminated ${ x\\n");
    LEX_EQ(TC_LANG_JS, "x => 1 === 2 !== 3 ** 4", "i:x p:=> n:1 p:=== n:2 p:!== n:3 p:** n:4");
}

TC_TEST(lex_ts)
{
    LEX_EQ(TC_LANG_TS, "interface A { readonly x: number }\ntype T = keyof A;",
           "k:interface i:A p:{ k:readonly i:x p:: k:number p:} nl k:type i:T p:= k:keyof i:A p:;");
    LEX_EQ(TC_LANG_JS, "interface type", "k:interface i:type");
}

TC_TEST(lex_go)
{
    LEX_EQ(TC_LANG_GO,
           "package main\nfunc f() { s := `a\nb` + \"x\\\"\" + '\\n'; ch <- x &^ y; x &^= 1; f(a...) }\n",
           "k:package i:main nl k:func i:f p:( p:) p:{ i:s p::= s:`a\\nb` p:+ s:\"x\\\"\" p:+ s:'\\n' p:; "
           "i:ch p:<- i:x p:&^ i:y p:; i:x p:&^= n:1 p:; i:f p:( i:a p:... p:) p:} nl");
    LEX_EQ(TC_LANG_GO, "x := `raw", "i:x p::= s:`raw");
    LEX_EQ(TC_LANG_GO, "0x1p-2 1_000i 0o17", "n:0x1p-2 n:1_000i n:0o17");
}

TC_TEST(lex_rust)
{
    LEX_EQ(TC_LANG_RUST,
           "fn f<'a>(x: &'a str) -> char { let c = 'x'; let e = '\xc3\xa9'; let u = '\\u{1F600}'; }",
           "k:fn i:f p:< i:'a p:> p:( i:x p:: p:& i:'a i:str p:) p:-> i:char p:{ k:let i:c p:= s:'x' p:; "
           "k:let i:e p:= s:'\\xc3\\xa9' p:; k:let i:u p:= s:'\\u{1F600}' p:; p:}");
    LEX_EQ(TC_LANG_RUST, "'outer: loop {} r#\"a\"b\"# br##\"x\"#y\"## b'q' r#type 1..2 1.0f32 x.0",
           "i:'outer p:: k:loop p:{ p:} s:r#\"a\"b\"# s:br##\"x\"#y\"## s:b'q' i:r#type n:1 p:.. n:2 "
           "n:1.0f32 i:x p:. n:0");
    LEX_EQ(TC_LANG_RUST, "/* a /* b */ c */ x /* d /* e */", "c:/* a /* b */ c */ i:x c:/* d /* e */");
    LEX_EQ(TC_LANG_RUST, "#![allow(x)]\n\"multi\nline\" c\"z\" a::b => ..=",
           "p:# p:! p:[ i:allow p:( i:x p:) p:] nl s:\"multi\\nline\" s:c\"z\" i:a p::: i:b p:=> p:..=");
    LEX_EQ(TC_LANG_RUST, "#!/usr/bin/env run\nfn", "c:#!/usr/bin/env run nl k:fn");
    LEX_EQ(TC_LANG_RUST, "r##\"unterminated\"#", "s:r##\"unterminated\"#");
}

TC_TEST(lex_java)
{
    LEX_EQ(TC_LANG_JAVA,
           "@Override public String s = \"\"\"\n  a \"\" b\n  \"\"\"; char c = '\\''; x >>>= 2; a::b; x -> y; 1_000L;\n",
           "p:@ i:Override k:public i:String i:s p:= s:\"\"\"\\n  a \"\" b\\n  \"\"\" p:; k:char i:c p:= "
           "s:'\\'' p:; i:x p:>>>= n:2 p:; i:a p::: i:b p:; i:x p:-> i:y p:; n:1_000L p:; nl");
    LEX_EQ(TC_LANG_JAVA, "String $a = \"\"\"\nopen", "i:String i:$a p:= s:\"\"\"\\nopen");
}

TC_TEST(lex_shell)
{
    LEX_EQ(TC_LANG_SHELL,
           "#!/bin/sh\necho \"a $(echo \"b c\") ${x:-d}\" 'e' $'f\\'g' a#b $# ${#arr[@]} ${x} $1 \\\" done.txt\n",
           "c:#!/bin/sh nl i:echo s:\"a $(echo \"b c\") ${x:-d}\" s:'e' s:$'f\\'g' i:a p:# i:b i:$# "
           "i:${#arr[@]} i:${x} i:$1 s:\\\" i:done p:. i:txt nl");
    LEX_EQ(TC_LANG_SHELL, "cat <<EOF >out; cat <<-'END'\nbody $x\nEOF\n\ttabbed\n\tEND\necho",
           "i:cat p:<< i:EOF p:> i:out p:; i:cat p:<<- s:'END' nl s:body $x\\nEOF nl "
           "s:\\ttabbed\\n\\tEND nl i:echo");
    LEX_EQ(TC_LANG_SHELL, "x=$((1 << 2)); if [ -n \"$x\" ]; then echo ok; fi 2>&1",
           "i:x p:= p:$(( n:1 p:<< n:2 p:)) p:; k:if p:[ p:- i:n s:\"$x\" p:] p:; k:then i:echo i:ok "
           "p:; k:fi n:2 p:>& n:1");
    LEX_EQ(TC_LANG_SHELL, "cat <<< \"here\" | grep -v x && echo \\\n  next",
           "i:cat p:<<< s:\"here\" p:| i:grep p:- i:v i:x p:&& i:echo p:\\ nl i:next");
    LEX_EQ(TC_LANG_SHELL, "cat <<A <<\"B\"\na\nA\nb\nB\necho\n",
           "i:cat p:<< i:A p:<< s:\"B\" nl s:a\\nA nl s:b\\nB nl i:echo nl");
    /* unterminated heredoc and quotes run to the end */
    LEX_EQ(TC_LANG_SHELL, "cat <<EOF\nunterminated\r\nline", "i:cat p:<< i:EOF nl s:unterminated\\r\\nline");
    LEX_EQ(TC_LANG_SHELL, "echo 'abc\ndef", "i:echo s:'abc\\ndef");
    LEX_EQ(TC_LANG_SHELL, "cat <<E\r\nx\r\nE\r\ny", "i:cat p:<< i:E crlf s:x\\r\\nE crlf i:y");
}

TC_TEST(lex_text)
{
    LEX_EQ(TC_LANG_TEXT, "Hello, world! 3.14 foo_bar\n", "i:Hello p:, i:world p:! n:3.14 i:foo_bar nl");
    LEX_EQ(TC_LANG_TEXT, "\"a'b\"", "p:\" i:a p:' i:b p:\"");
}

TC_TEST(lex_nasty)
{
    /* NUL, invalid UTF-8, lone CR in every language */
    static const char bytes[] = "a\0b\xff\xfe\rc\r";
    int l;
    for (l = 0; l < TC_LANG_COUNT; l++) {
        const char *got = lex_render_n((tc_lang)l, bytes, sizeof bytes - 1);
        TC_CHECK_STR(got, "i:a o:\\x00 i:b\\xff\\xfe cr i:c cr");
    }
    LEX_EQ(TC_LANG_C, "\"abc\r\n/* x\n", "s:\"abc crlf c:/* x\\n");
    LEX_EQ(TC_LANG_PYTHON, "\"abc\r\n/* x\n", "s:\"abc crlf p:/ p:* i:x nl");
    LEX_EQ(TC_LANG_GO, "'\n", "s:' nl");
    LEX_EQ(TC_LANG_C, "x \\", "i:x p:\\");
    LEX_EQ(TC_LANG_C, "'", "s:'");
    LEX_EQ(TC_LANG_RUST, "'", "p:'");
    LEX_EQ(TC_LANG_PYTHON, "\\", "p:\\");
    LEX_EQ(TC_LANG_SHELL, "\\", "p:\\");
    LEX_EQ(TC_LANG_SHELL, "$", "p:$");
    LEX_EQ(TC_LANG_JS, "`${", "s:`${");
    LEX_EQ(TC_LANG_PYTHON, "f'{", "s:f'{");
    LEX_EQ(TC_LANG_C, "\xe4\xb8\xad\xe6\x96\x87 = 1;", "i:\\xe4\\xb8\\xad\\xe6\\x96\\x87 p:= n:1 p:;");
    LEX_EQ(TC_LANG_PYTHON, "", "");
    LEX_EQ(TC_LANG_PYTHON, "\n\n", "nl nl");
}

TC_TEST(lex_appends)
{
    tc_toks t = {0};
    TC_CHECK_EQ_INT(tc_lex(TC_LANG_C, "a b", 3, &t), TC_OK);
    TC_CHECK_EQ_INT(tc_lex(TC_LANG_C, "c", 1, &t), TC_OK);
    TC_CHECK_EQ_INT(t.n, 3);
    TC_CHECK_EQ_INT(t.v[2].off, 0);
    TC_CHECK_EQ_INT(tc_lex(TC_LANG_C, NULL, 0, &t), TC_OK);
    TC_CHECK_EQ_INT(t.n, 3);
    tc_toks_free(&t);
    tc_toks_free(&t);
    tc_toks_free(NULL);
    TC_CHECK(t.v == NULL && t.n == 0);
}

TC_TEST(lex_detect)
{
    TC_CHECK_EQ_INT(tc_lang_detect("src/a.c", NULL, 0), TC_LANG_C);
    TC_CHECK_EQ_INT(tc_lang_detect("a.h", NULL, 0), TC_LANG_C);
    TC_CHECK_EQ_INT(tc_lang_detect("x/y.HPP", NULL, 0), TC_LANG_CPP);
    TC_CHECK_EQ_INT(tc_lang_detect("a.C", NULL, 0), TC_LANG_CPP);
    TC_CHECK_EQ_INT(tc_lang_detect("a.cc", NULL, 0), TC_LANG_CPP);
    TC_CHECK_EQ_INT(tc_lang_detect("a.py", NULL, 0), TC_LANG_PYTHON);
    TC_CHECK_EQ_INT(tc_lang_detect("a.mjs", NULL, 0), TC_LANG_JS);
    TC_CHECK_EQ_INT(tc_lang_detect("a.tsx", NULL, 0), TC_LANG_TS);
    TC_CHECK_EQ_INT(tc_lang_detect("a.go", NULL, 0), TC_LANG_GO);
    TC_CHECK_EQ_INT(tc_lang_detect("a.rs", NULL, 0), TC_LANG_RUST);
    TC_CHECK_EQ_INT(tc_lang_detect("A.java", NULL, 0), TC_LANG_JAVA);
    TC_CHECK_EQ_INT(tc_lang_detect("x.bash", NULL, 0), TC_LANG_SHELL);
    TC_CHECK_EQ_INT(tc_lang_detect("/home/u/.bashrc", NULL, 0), TC_LANG_SHELL);
    TC_CHECK_EQ_INT(tc_lang_detect("Makefile", NULL, 0), TC_LANG_TEXT);
    TC_CHECK_EQ_INT(tc_lang_detect("README.md", NULL, 0), TC_LANG_TEXT);
    TC_CHECK_EQ_INT(tc_lang_detect(".c", NULL, 0), TC_LANG_TEXT);
    TC_CHECK_EQ_INT(tc_lang_detect("a.", NULL, 0), TC_LANG_TEXT);
    TC_CHECK_EQ_INT(tc_lang_detect(NULL, NULL, 0), TC_LANG_TEXT);
#define HEAD(s) (s), sizeof(s) - 1
    TC_CHECK_EQ_INT(tc_lang_detect("bin/tool", HEAD("#!/usr/bin/env python3\nx")), TC_LANG_PYTHON);
    TC_CHECK_EQ_INT(tc_lang_detect("tool", HEAD("#!/usr/bin/python3.11 -u\n")), TC_LANG_PYTHON);
    TC_CHECK_EQ_INT(tc_lang_detect("tool", HEAD("#!/bin/bash\n")), TC_LANG_SHELL);
    TC_CHECK_EQ_INT(tc_lang_detect("tool", HEAD("#! /bin/sh")), TC_LANG_SHELL);
    TC_CHECK_EQ_INT(tc_lang_detect("tool", HEAD("#!/usr/bin/env -S node --x\n")), TC_LANG_JS);
    TC_CHECK_EQ_INT(tc_lang_detect("tool", HEAD("#!/usr/bin/env A=1 deno run\n")), TC_LANG_TS);
    TC_CHECK_EQ_INT(tc_lang_detect("tool", HEAD("#!/usr/bin/perl\n")), TC_LANG_TEXT);
    TC_CHECK_EQ_INT(tc_lang_detect("tool", HEAD("#!")), TC_LANG_TEXT);
    TC_CHECK_EQ_INT(tc_lang_detect("tool", HEAD("#!/usr/bin/env\n")), TC_LANG_TEXT);
    TC_CHECK_EQ_INT(tc_lang_detect("a.py", HEAD("#!/bin/sh\n")), TC_LANG_PYTHON);
#undef HEAD
    TC_CHECK_STR(tc_lang_name(TC_LANG_CPP), "cpp");
    TC_CHECK_STR(tc_lang_name(TC_LANG_SHELL), "shell");
    TC_CHECK_STR(tc_lang_name((tc_lang)99), "text");
    TC_CHECK_STR(tc_tok_kind_name(TC_TOK_DEDENT), "dedent");
    TC_CHECK_STR(tc_tok_kind_name((tc_tok_kind)99), "?");
}

/* xorshift64*: deterministic random bytes for the property test. */
static uint64_t lex_rng(uint64_t *st)
{
    uint64_t x = *st;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *st = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Random inputs over an alphabet heavy in the bytes lexers branch on. */
TC_TEST(lex_property_random)
{
    static const char alpha[] = "\"'`\\/*#$({[]})<>-=!?.:;,@ \t\n\r\n\r\n  \f\v\0aRrbfuxE0_9+" "\xc3\xa9\xff";
    static char buf[4096];
    uint64_t st = 0x9E3779B97F4A7C15ULL;
    int iter, l, bad = 0;
    for (iter = 0; iter < 3000 && !bad; iter++) {
        size_t len = (size_t)(lex_rng(&st) % (iter < 2900 ? 96 : sizeof buf)), j;
        for (j = 0; j < len; j++) {
            uint64_t r = lex_rng(&st);
            buf[j] = (r & 7) == 0 ? (char)(r >> 8) : alpha[(r >> 8) % (sizeof alpha - 1)];
        }
        for (l = 0; l < TC_LANG_COUNT; l++) {
            tc_toks t = {0};
            size_t i, ind = 0, ded = 0;
            int rc = tc_lex((tc_lang)l, buf, len, &t);
            if (rc != TC_OK || tc_toks_check(&t, buf, len) != TC_OK) bad = 1;
            for (i = 0; i < t.n; i++) {
                ind += t.v[i].kind == TC_TOK_INDENT;
                ded += t.v[i].kind == TC_TOK_DEDENT;
            }
            if (ind != ded || (l != TC_LANG_PYTHON && ind)) bad = 1;
            if (bad) {
                fprintf(stderr, "  lang %s, input of %zu bytes:", tc_lang_name((tc_lang)l), len);
                for (j = 0; j < len; j++) fprintf(stderr, "\\x%02x", (unsigned char)buf[j]);
                fprintf(stderr, "\n");
            }
            tc_toks_free(&t);
            if (bad) break;
        }
    }
    TC_CHECK(!bad);
}

/* Deep nesting and long runs stay linear and within the stack. */
TC_TEST(lex_deep_nesting)
{
    size_t n = 200000, i;
    char *buf = malloc(n);
    static const char *const pats[] = {"f\"{", "`${", "\"$(", "((", "/*", "{", "    ", "r#", "'"};
    size_t p;
    int l;
    TC_CHECK(buf != NULL);
    if (!buf) return;
    for (p = 0; p < sizeof pats / sizeof pats[0]; p++) {
        size_t pl = strlen(pats[p]);
        for (i = 0; i < n; i++) buf[i] = pats[p][i % pl];
        for (l = 0; l < TC_LANG_COUNT; l++) {
            tc_toks t = {0};
            TC_CHECK_EQ_INT(tc_lex((tc_lang)l, buf, n, &t), TC_OK);
            TC_CHECK_EQ_INT(tc_toks_check(&t, buf, n), TC_OK);
            tc_toks_free(&t);
        }
    }
    /* Python: 300 nested indentation levels, past the stack's limit */
    for (i = 0, p = 0; p < 300 && i + 400 < n; p++) {
        memset(buf + i, ' ', p);
        i += p;
        memcpy(buf + i, "x:\n", 3);
        i += 3;
    }
    {
        tc_toks t = {0};
        size_t k, ind = 0, ded = 0;
        TC_CHECK_EQ_INT(tc_lex(TC_LANG_PYTHON, buf, i, &t), TC_OK);
        TC_CHECK_EQ_INT(tc_toks_check(&t, buf, i), TC_OK);
        for (k = 0; k < t.n; k++) {
            ind += t.v[k].kind == TC_TOK_INDENT;
            ded += t.v[k].kind == TC_TOK_DEDENT;
        }
        TC_CHECK_EQ_INT(ind, ded);
        TC_CHECK(ind > 100);
        tc_toks_free(&t);
    }
    free(buf);
}

/* The byte loop tc_lx_quoted was before it scanned 16 bytes a step: the
 * reference the new one must equal. */
static size_t quoted_bytewise(const uint8_t *s, size_t n, size_t i, uint8_t q, int multiline)
{
    while (i < n) {
        uint8_t c = s[i];
        if (c == q) return i + 1;
        if (c == '\\') {
            if (i + 1 >= n) return n;
            i += (s[i + 1] == '\n' || s[i + 1] == '\r') ? 1 + ((s[i + 1] == '\r' && i + 2 < n && s[i + 2] == '\n') ? 2 : 1) : 2;
            continue;
        }
        if (!multiline && (c == '\n' || c == '\r')) return i;
        i++;
    }
    return n;
}

/* Lex once, so the lexers' byte-class table that tc_lx_quoted and
 * lx_line_end read is filled. */
static void lex_classes_ready(void)
{
    tc_toks t = {0};
    TC_CHECK_EQ_INT(tc_lex(TC_LANG_C, "x", 1, &t), TC_OK);
    tc_toks_free(&t);
}

/* Strings end where they did byte by byte: quotes, escapes (of quotes, of
 * line breaks, CRLF, at the end of input), line breaks in and out of
 * multi-line literals, invalid UTF-8, runs longer than 16 bytes and ends
 * at every distance from a 16-byte step. */
TC_TEST(lex_quoted_equals_bytewise)
{
    static const char alpha[] = "\"'`\\\n\raaaaaaaaaaaaaaaaaaaa  \t$({" "\xc3\xa9\xff\x80";
    static uint8_t buf[200];
    static const uint8_t qs[] = {'"', '\'', '`'};
    uint64_t st = 0x2545F4914F6CDD1DULL;
    int iter, bad = 0;
    lex_classes_ready();
    for (iter = 0; iter < 4000 && !bad; iter++) {
        size_t n = (size_t)(lex_rng(&st) % sizeof buf), j, i;
        unsigned dense = (unsigned)(lex_rng(&st) % 4); /* 0: long plain runs */
        for (j = 0; j < n; j++) {
            uint64_t r = lex_rng(&st);
            buf[j] = (r & 15) == 0 && dense ? (uint8_t)(r >> 8)
                     : dense || (r & 31) == 1 ? (uint8_t)alpha[(r >> 8) % (sizeof alpha - 1)]
                                              : (uint8_t)('a' + (r >> 8) % 26);
        }
        for (i = 0; i <= n && !bad; i++) {
            size_t k, m;
            for (k = 0; k < sizeof qs; k++)
                for (m = 0; m < 2; m++)
                    if (tc_lx_quoted(buf, n, i, qs[k], (int)m) != quoted_bytewise(buf, n, i, qs[k], (int)m)) {
                        fprintf(stderr, "  from %zu of %zu, quote %c, multiline %zu\n", i, n, qs[k], m);
                        bad = 1;
                    }
        }
    }
    TC_CHECK(!bad);
}

/* lx_line_end (a line comment's end, 16 bytes a step) against the byte
 * loop, from every start of random buffers: \n, \r, CRLF, bytes of 0x80
 * and more, NUL, long runs without a line break. */
TC_TEST(lex_line_end_equals_bytewise)
{
    static const char alpha[] = "\n\r\t /*\"\\aaaaaaaaaaaaaaaaaaaaaaaaa\x80\xff";
    static uint8_t buf[200];
    uint64_t st = 0x9E3779B97F4A7C15ULL;
    int iter, bad = 0;
    lex_classes_ready();
    for (iter = 0; iter < 4000 && !bad; iter++) {
        size_t n = (size_t)(lex_rng(&st) % sizeof buf), j, i;
        unsigned sparse = (unsigned)(lex_rng(&st) % 3); /* 0: line breaks are rare */
        for (j = 0; j < n; j++) {
            uint64_t r = lex_rng(&st);
            buf[j] = !sparse && (r & 63) ? (uint8_t)('a' + (r >> 8) % 26)
                     : (r & 15) == 0     ? (uint8_t)(r >> 8)
                                         : (uint8_t)alpha[(r >> 8) % (sizeof alpha - 1)];
        }
        for (i = 0; i <= n && !bad; i++) {
            size_t want = i;
            while (want < n && buf[want] != '\n' && buf[want] != '\r') want++;
            if (lx_line_end(buf, n, i) != want) {
                fprintf(stderr, "  from %zu of %zu\n", i, n);
                bad = 1;
            }
        }
    }
    TC_CHECK(!bad);
}
