/* test_privacy.c - secret files never enter a prompt; secret-looking
 * strings are redacted from anything sent. */
#include "context/privacy.h"
#include "context/secrets.h"
#include "lang/lang.h"
#include "test.h"
#include "util/buf.h"
#include "util/status.h"

#include <stdlib.h>
#include <string.h>

TC_TEST(privacy_secret_file_patterns)
{
    tc_privacy *p = NULL;
    TC_CHECK_EQ_INT(tc_privacy_new(&p), TC_OK);
    TC_CHECK(tc_privacy_path_is_secret(p, ".env"));
    TC_CHECK(tc_privacy_path_is_secret(p, "app/.env.production"));
    TC_CHECK(tc_privacy_path_is_secret(p, "deploy/server.pem"));
    TC_CHECK(tc_privacy_path_is_secret(p, "home/.ssh/id_rsa"));
    TC_CHECK(tc_privacy_path_is_secret(p, "home/.ssh/id_ed25519.pub"));
    TC_CHECK(tc_privacy_path_is_secret(p, "credentials.json"));
    TC_CHECK(tc_privacy_path_is_secret(p, "x/.aws/credentials"));
    TC_CHECK(tc_privacy_path_is_secret(p, "infra/prod.tfvars"));
    TC_CHECK(tc_privacy_path_is_secret(p, ".npmrc"));
    TC_CHECK(!tc_privacy_path_is_secret(p, "src/env.c"));
    TC_CHECK(!tc_privacy_path_is_secret(p, "src/keyboard.py"));
    TC_CHECK(!tc_privacy_path_is_secret(p, "docs/credentials.md"));
    TC_CHECK(!tc_privacy_path_is_secret(p, "config.ini"));
    /* extendable */
    TC_CHECK(!tc_privacy_path_is_secret(p, "conf/prod.yaml"));
    TC_CHECK_EQ_INT(tc_privacy_add(p, "conf/prod.*, *.vault"), TC_OK);
    TC_CHECK(tc_privacy_path_is_secret(p, "conf/prod.yaml"));
    TC_CHECK(tc_privacy_path_is_secret(p, "a/b/conf/prod.yaml"));
    TC_CHECK(tc_privacy_path_is_secret(p, "team.vault"));
    TC_CHECK(!tc_privacy_path_is_secret(p, "conf/dev.yaml"));
    tc_privacy_free(p);
    tc_privacy_free(NULL);
}

static char *redact(const char *s, size_t *count)
{
    tc_buf b = {0};
    if (tc_redact(s, strlen(s), &b, count)) return NULL;
    if (!b.data) tc_buf_puts(&b, "");
    return b.data;
}

#define CHECK_REDACT(in, want, wantn)                                                                                  \
    do {                                                                                                               \
        size_t n_ = 99;                                                                                                \
        char *got_ = redact(in, &n_);                                                                                  \
        TC_CHECK_STR(got_, want);                                                                                      \
        TC_CHECK_EQ_INT(n_, wantn);                                                                                    \
        free(got_);                                                                                                    \
    } while (0)

TC_TEST(privacy_redaction)
{
    /* known token shapes */
    CHECK_REDACT("aws_id = AKIAIOSFODNN7EXAMPLE\n", "aws_id = <redacted>\n", 1);
    CHECK_REDACT("gh = 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'", "gh = '<redacted>'", 1);
    CHECK_REDACT("client = OpenAI(api_key=\"sk-proj-abcdefghijklmnopqrstuvwx\")",
                 "client = OpenAI(api_key=\"<redacted>\")", 1);
    CHECK_REDACT("slack: xoxb-1234567890-abcdefghij", "slack: <redacted>", 1);
    CHECK_REDACT("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end",
                 "jwt <redacted> end", 1);
    /* private key blocks */
    CHECK_REDACT("k = '''\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----\n'''\n",
                 "k = '''\n<redacted private key>\n'''\n", 1);
    CHECK_REDACT("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n",
                 "<redacted private key>\n", 1);
    /* a public certificate is not a secret */
    CHECK_REDACT("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                 "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", 0);
    /* passwords in URLs */
    CHECK_REDACT("db = 'postgres://admin:s3cretPass@db.local:5432/app'", "db = 'postgres://admin:<redacted>@db.local:5432/app'",
                 1);
    /* assignments to secret-sounding names */
    CHECK_REDACT("PASSWORD = \"hunter2hunter2\"\n", "PASSWORD = \"<redacted>\"\n", 1);
    CHECK_REDACT("export API_KEY=ab12cd34ef56gh78\n", "export API_KEY=<redacted>\n", 1);
    CHECK_REDACT("{\"auth_token\": \"0a1b2c3d4e5f6a7b\"}", "{\"auth_token\": \"<redacted>\"}", 1);
    /* code, not secrets: left alone */
    CHECK_REDACT("token = next_token(lexer)\n", "token = next_token(lexer)\n", 0);
    CHECK_REDACT("tokens = []\nmax_tokens = 64\n", "tokens = []\nmax_tokens = 64\n", 0);
    CHECK_REDACT("password_field = \"PASSWORD\"\n", "password_field = \"PASSWORD\"\n", 0);
    CHECK_REDACT("if (token == NULL) return;\n", "if (token == NULL) return;\n", 0);
    CHECK_REDACT("f->has_tokenizer = f->has_tokenizer && ok;\n", "f->has_tokenizer = f->has_tokenizer && ok;\n", 0);
    CHECK_REDACT("auth_mode = default_mode2\n", "auth_mode = default_mode2\n", 0);
    CHECK_REDACT("task = 'skeleton-of-the-house-plan'", "task = 'skeleton-of-the-house-plan'", 0);
    CHECK_REDACT("", "", 0);
}

/* ---- the detection table: tests/data/secrets.txt ---------------------------------- */

/* Unescape \n and \\ of a table line into b (markers kept). */
static void table_unescape(const char *s, tc_buf *b)
{
    for (; *s && *s != '\n'; s++) {
        if (s[0] == '\\' && s[1] == 'n') {
            tc_buf_append(b, "\n", 1);
            s++;
        } else if (s[0] == '\\' && s[1] == '\\') {
            tc_buf_append(b, "\\", 1);
            s++;
        } else {
            tc_buf_append(b, s, 1);
        }
    }
    tc_buf_puts(b, "");
}

TC_TEST(privacy_secret_table)
{
    FILE *f = fopen("tests/data/secrets.txt", "r");
    char line[1024];
    int npos = 0, nneg = 0, lineno = 0;
    TC_CHECK(f != NULL);
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        tc_buf raw = {0}, in = {0}, want = {0}, got = {0};
        const char *p;
        size_t cnt = 0, nmark = 0;
        int sec = 0;
        lineno++;
        if ((line[0] != '+' && line[0] != '-') || line[1] != ' ') continue;
        table_unescape(line + 2, &raw);
        /* in: markers dropped; want: marked parts replaced */
        for (p = raw.data ? raw.data : ""; *p; p++) {
            if (p[0] == '@' && p[1] == '@') {
                sec = !sec;
                p++;
                if (sec) {
                    nmark++;
                    tc_buf_puts(&want, strncmp(p + 1, "-----BEGIN", 10) == 0 ? "<redacted private key>" : "<redacted>");
                }
                continue;
            }
            tc_buf_append(&in, p, 1);
            if (!sec) tc_buf_append(&want, p, 1);
        }
        tc_buf_puts(&in, "");
        tc_buf_puts(&want, "");
        TC_CHECK_EQ_INT(tc_redact(in.data, in.len, &got, &cnt), TC_OK);
        tc_buf_puts(&got, "");
        if (strcmp(got.data, want.data) != 0 || cnt != nmark) {
            char m[700];
            snprintf(m, sizeof m, "secrets.txt:%d: %.300s -> %.300s", lineno, in.data, got.data);
            tc_test_fail(__FILE__, __LINE__, m);
        }
        {
            /* the index's path (from the lexer's tokens) finds the same */
            tc_toks tk = {0};
            size_t k, nsec = 0;
            const char *t = in.data;
            tc_lang lang = TC_LANG_PYTHON;
            if (t[0] == '#' || strstr(t, "char ") || strstr(t, "String ") || strstr(t, "const ") || strstr(t, "var ") ||
                strstr(t, "let ") || strstr(t, ":="))
                lang = TC_LANG_C;
            else if (!strncmp(t, "export ", 7) || strstr(t, "curl ") || strstr(t, "$PWD") || strstr(t, "PATH="))
                lang = TC_LANG_SHELL;
            if (!strpbrk(t, "\"'`") || t[0] == '$') lang = TC_LANG_TEXT; /* a data file's line: .env, YAML, INI */
            if (strstr(t, "let ") || strstr(t, "const ") || strstr(t, "var ")) lang = TC_LANG_JS;
            TC_CHECK_EQ_INT(tc_lex(lang, in.data, in.len, &tk), TC_OK);
            TC_CHECK_EQ_INT(tc_secrets_mask_tokens(in.data, in.len, lang, &tk), TC_OK);
            for (k = 0; k < tk.n; k++) nsec += tk.v[k].kind == TC_TOK_SECRET;
            if ((nsec > 0) != (nmark > 0)) {
                char m[700];
                snprintf(m, sizeof m, "secrets.txt:%d: tokens (%s) found %zu secrets: %.300s", lineno, tc_lang_name(lang),
                         nsec, in.data);
                tc_test_fail(__FILE__, __LINE__, m);
            }
            tc_toks_free(&tk);
        }
        if (line[0] == '+') {
            npos++;
            TC_CHECK(nmark > 0);
        } else {
            nneg++;
            TC_CHECK(nmark == 0);
        }
        tc_buf_free(&raw);
        tc_buf_free(&in);
        tc_buf_free(&want);
        tc_buf_free(&got);
    }
    fclose(f);
    TC_CHECK(npos >= 100);
    TC_CHECK(nneg >= 100);
}

/* ---- the context: secrets found before the text is cut --------------------------- */

#include "context/context.h"
#include "context/secrets.h"

/* Build the context for "|" in text (the bar removed); *pre / *suf get
 * copies of what would be sent (NULL when nothing was built). */
static int ctx_at(const char *text, uint32_t max_prefix, tc_ctx_info *info, char **pre, char **suf)
{
    tc_tokcount *tc = NULL;
    tc_ctx *c = NULL;
    tc_ctx_opts o;
    tc_fim_input in;
    const char *bar = strchr(text, '|');
    char *buf = strdup(text);
    size_t cur = (size_t)(bar - text);
    int rc;
    memmove(buf + cur, buf + cur + 1, strlen(buf + cur + 1) + 1);
    memset(&o, 0, sizeof o);
    o.max_tokens = 2048;
    o.max_prefix_tokens = max_prefix;
    o.max_suffix_tokens = 200;
    o.n_retrieved = -1;
    o.n_recent = -1;
    *pre = *suf = NULL;
    rc = tc_tokcount_new(NULL, 0, &tc);
    if (!rc) rc = tc_ctx_new(&o, NULL, &c);
    if (!rc) rc = tc_ctx_build(c, NULL, tc, "r", "app/settings.py", buf, strlen(buf), cur, &in, info);
    if (!rc && (in.nprefix || in.nsuffix || !info->secret_file)) {
        *pre = strndup(in.prefix ? in.prefix : "", in.nprefix);
        *suf = strndup(in.suffix ? in.suffix : "", in.nsuffix);
    }
    tc_ctx_free(c);
    tc_tokcount_free(tc);
    free(buf);
    return rc;
}

#define CHECK_WITHHELD(text)                                                                                           \
    do {                                                                                                               \
        tc_ctx_info i_;                                                                                                \
        char *p_, *s_;                                                                                                 \
        TC_CHECK_EQ_INT(ctx_at(text, 400, &i_, &p_, &s_), TC_OK);                                                      \
        TC_CHECK(i_.secret_cursor &&i_.secret_file);                                                                   \
        TC_CHECK(p_ == NULL && s_ == NULL);                                                                            \
        if (p_ || s_) fprintf(stderr, "  sent for %s: [%s|%s]\n", text, p_ ? p_ : "", s_ ? s_ : "");                  \
        free(p_);                                                                                                      \
        free(s_);                                                                                                      \
    } while (0)

#define CHECK_SENT(text)                                                                                               \
    do {                                                                                                               \
        tc_ctx_info i_;                                                                                                \
        char *p_, *s_;                                                                                                 \
        TC_CHECK_EQ_INT(ctx_at(text, 400, &i_, &p_, &s_), TC_OK);                                                      \
        TC_CHECK(!i_.secret_cursor && !i_.secret_file && p_ != NULL);                                                  \
        free(p_);                                                                                                      \
        free(s_);                                                                                                      \
    } while (0)

/* Issue 9, item 4: a cursor inside a secret sent both halves of it. */
TC_TEST(privacy_cursor_inside_secret_sends_nothing)
{
    CHECK_WITHHELD("import os\npassword = \"Tr0ub4|dorAndThreeX9\"\nprint(password)\n");
    CHECK_WITHHELD("aws = \"AKIAIOSF|ODNN7EXAMPLE\"\n");
    CHECK_WITHHELD("H = {\"Authorization\": \"Bearer a1b2c3d4|e5f6g7h8i9j0\"}\n");
    CHECK_WITHHELD("#define API_TOKEN \"a9f3k2j5|h7g8d6s4\"\nint x;\n");
    /* a cursor before or after a secret is fine: the secret is redacted whole */
    {
        tc_ctx_info i;
        char *p, *s;
        TC_CHECK_EQ_INT(ctx_at("password = \"Tr0ub4dorAndThreeX9\"\n|x = 1\n", 400, &i, &p, &s), TC_OK);
        TC_CHECK(p && s && !i.secret_cursor);
        TC_CHECK(p && strstr(p, "password = \"<redacted>\"") != NULL);
        TC_CHECK(p && !strstr(p, "Tr0ub4"));
        free(p);
        free(s);
    }
}

/* Issue 9, item 4: typing a password sent every partial value. */
TC_TEST(privacy_typing_a_password_sends_nothing)
{
    CHECK_WITHHELD("db_password = \"hun|\n");
    CHECK_WITHHELD("db_password = \"hun|\"\n");
    CHECK_WITHHELD("password = '|'\n");
    CHECK_WITHHELD("export DB_PASS=hun|\n");
    CHECK_WITHHELD("DB_PASS=l3tm|\n");
    CHECK_WITHHELD("  password: hun|\n");
    CHECK_WITHHELD("static const char password[] = \"corr|\";\n");
    CHECK_WITHHELD("#define API_TOKEN \"a9f|\"\n");
    CHECK_WITHHELD("cfg = {\"api_key\": \"sk-ab|\"}\n");
    CHECK_WITHHELD("conn = connect(user=\"app\", password=\"Qw|\")\n");
    CHECK_WITHHELD("ENCRYPTION_KEY=k9Q|\n");
    CHECK_WITHHELD("passphrase = \"correct horse |\"\n");
    /* code is not a password being typed */
    CHECK_SENT("token = next_tok|\n");
    CHECK_SENT("password = get_pass|\n");
    CHECK_SENT("password_hash(|\n");
    CHECK_SENT("key = \"na|\"\n");
    CHECK_SENT("print(\"password: |\")\n");
    CHECK_SENT("for key, value in items.items():\n    pass|\n");
    CHECK_SENT("password = |\n");
    CHECK_SENT("password = None|\n");
    CHECK_SENT("x = 1  # password = \"ab|\n");
    TC_CHECK(!tc_secrets_typing("", 0, 0));
}

/* Issue 9, item 4: a cursor inside a PEM block sent the rest of the key. */
TC_TEST(privacy_cursor_in_key_block_sends_nothing)
{
    CHECK_WITHHELD("KEY = \"\"\"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA|7f3s\nabcdEFGH\n"
                   "-----END RSA PRIVATE KEY-----\"\"\"\n");
    /* unterminated (being pasted) */
    CHECK_WITHHELD("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz|aC1rZXktdjEA\nAAAABG5vbmU=\n");
}

/* Issue 9, item 4: redacting a key block in a Python string dropped the
 * closing quotes; a block that began before the window leaked its body. */
TC_TEST(privacy_key_block_keeps_delimiters_and_window_start)
{
    tc_ctx_info i;
    char *p = NULL, *s = NULL;
    tc_buf t = {0};
    int k;
    TC_CHECK_EQ_INT(ctx_at("KEY = \"\"\"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabcdEFGH\n"
                           "-----END RSA PRIVATE KEY-----\"\"\"\nx = |1\n",
                           400, &i, &p, &s),
                    TC_OK);
    TC_CHECK(p && strcmp(p, "KEY = \"\"\"<redacted private key>\"\"\"\nx = ") == 0);
    TC_CHECK_EQ_INT(i.redactions, 1);
    free(p);
    free(s);
    /* a 60-line key, the window starting in its middle */
    tc_buf_puts(&t, "def f():\n    return 1\nKEY = '''-----BEGIN PRIVATE KEY-----\n");
    for (k = 0; k < 60; k++) tc_buf_puts(&t, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n");
    tc_buf_puts(&t, "-----END PRIVATE KEY-----'''\nprint(KEY)\n|\n");
    TC_CHECK_EQ_INT(ctx_at(t.data, 60, &i, &p, &s), TC_OK);
    TC_CHECK(p != NULL && !i.secret_cursor);
    TC_CHECK(p && !strstr(p, "MIIEvQ"));
    TC_CHECK(p && strstr(p, "'''\nprint(KEY)\n") != NULL);
    free(p);
    free(s);
    tc_buf_free(&t);
}

/* Secret values never reach the index's token stream. */
#include "workspace/tokens.h"

TC_TEST(privacy_secret_values_not_learned)
{
    tc_vocab *v = NULL;
    tc_items it = {0};
    const char *src = "SECRET_KEY = \"a8f5f167f44f4964e6c998dee827110c\"\nDEBUG = True\n",
               *env = "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ7kWp9sTa\n";
    size_t i, unk = 0;
    v = tc_vocab_new();
    TC_CHECK(v != NULL);
    TC_CHECK_EQ_INT(tc_tokens_from_source(v, TC_LANG_PYTHON, src, strlen(src), &it, NULL, NULL), TC_OK);
    TC_CHECK_EQ_INT(tc_tokens_from_source(v, TC_LANG_SHELL, env, strlen(env), &it, NULL, NULL), TC_OK);
    for (i = 0; i < it.n; i++) unk += TC_ITEM_ID(it.v[i]) == TC_VOCAB_UNK;
    TC_CHECK_EQ_INT(unk, 2);
    TC_CHECK(tc_vocab_lookup(v, TC_TOK_STRING, "\"a8f5f167f44f4964e6c998dee827110c\"", 34) < 0);
    TC_CHECK(tc_vocab_lookup(v, TC_TOK_IDENT, "wJalrXUtnFEMI", 13) < 0);
    TC_CHECK(tc_vocab_lookup(v, TC_TOK_IDENT, "DEBUG", 5) >= 0);
    tc_items_free(&it);
    tc_vocab_free(v);
}

/* Issue 9, item 5: secret files are never indexed (skip reason "secret",
 * the settings' patterns added), editor buffers of them are not learned,
 * and secret values of ordinary files are in the index only as UNK. */
#include "workspace/index.h"

#include <stdlib.h>

TC_TEST(privacy_index_skips_secret_files)
{
    char root[512], cache[512];
    tc_index_opts o;
    tc_index *ix = NULL;
    tc_index_stats st;
    tc_items it = {0};
    const char *secret_paths[] = {".env", "home/.ssh/id_rsa", "credentials.json", "keys/server.pem", "conf/prod.yaml"};
    size_t i, unk = 0;
    long f;
    snprintf(root, sizeof root, "%s/ws", tc_test_tmpdir());
    snprintf(cache, sizeof cache, "%s/cache", tc_test_tmpdir());
    tc_test_put(root, "app/settings.py", "DEBUG = True\nSECRET_KEY = \"a8f5f167f44f4964e6c998dee827110c\"\n");
    tc_test_put(root, ".env", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ7kWp9sTa\n");
    tc_test_put(root, "home/.ssh/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz\n-----END OPENSSH PRIVATE KEY-----\n");
    tc_test_put(root, "credentials.json", "{\"token\": \"zz9Yq8Xr7Ws6Vt5Uu4\"}\n");
    tc_test_put(root, "keys/server.pem", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");
    tc_test_put(root, "conf/prod.yaml", "db_host: prod.internal\n");
    memset(&o, 0, sizeof o);
    o.root = root;
    o.cache_dir = cache;
    o.threads = 1;
    o.secret_files = "conf/prod.*"; /* privacy.secret_files */
    TC_CHECK_EQ_INT(tc_index_open(&o, &ix), TC_OK);
    if (!ix) return;
    TC_CHECK_EQ_INT(tc_index_update(ix, &st), TC_OK);
    TC_CHECK_EQ_INT(st.skipped[TC_SKIP_SECRET], 5);
    TC_CHECK_STR(tc_skip_name(TC_SKIP_SECRET), "secret");
    for (i = 0; i < sizeof secret_paths / sizeof *secret_paths; i++) {
        const tc_file_info *fi = (f = tc_index_find(ix, secret_paths[i])) >= 0 ? tc_index_file(ix, (size_t)f) : NULL;
        TC_CHECK(fi && fi->skip == TC_SKIP_SECRET && fi->ntok == 0 && fi->hash == 0);
    }
    /* the value in settings.py is one UNK item; its text is not in the vocabulary */
    f = tc_index_find(ix, "app/settings.py");
    TC_CHECK(f >= 0);
    if (f >= 0) {
        TC_CHECK_EQ_INT(tc_index_file_items(ix, (size_t)f, &it), TC_OK);
        for (i = 0; i < it.n; i++) unk += TC_ITEM_ID(it.v[i]) == TC_VOCAB_UNK;
        TC_CHECK_EQ_INT(unk, 1);
    }
    TC_CHECK(tc_vocab_lookup(tc_index_vocab(ix), TC_TOK_STRING, "\"a8f5f167f44f4964e6c998dee827110c\"", 34) < 0);
    /* an editor buffer of a secret file is not learned */
    TC_CHECK_EQ_INT(tc_index_set_buffer(ix, ".env.local", "DB_PASS=hunter2hunter2\nX=1\n", 26, &f), TC_OK);
    TC_CHECK(f >= 0 && tc_index_file(ix, (size_t)f)->ntok == 0);
    TC_CHECK(tc_vocab_lookup(tc_index_vocab(ix), TC_TOK_IDENT, "hunter2hunter2", 14) < 0);
    tc_items_free(&it);
    tc_index_free(ix);
}

/* Secret tokens of a line, alone in a buffer (nsec) and at the end of and
 * among long runs of tokens that cannot start a secret (comments, line
 * breaks, short strings, words, operators): scan_tokens skips those in a
 * loop of its own, which must stop at a secret wherever it lies, the last
 * token included. */
static size_t secret_tokens(tc_lang lang, const char *s, size_t n)
{
    tc_toks tk = {0};
    size_t k, nsec = 0;
    if (tc_lex(lang, s, n, &tk) == TC_OK && tc_secrets_mask_tokens(s, n, lang, &tk) == TC_OK)
        for (k = 0; k < tk.n; k++) nsec += tk.v[k].kind == TC_TOK_SECRET;
    tc_toks_free(&tk);
    return nsec;
}

TC_TEST(privacy_mask_skips_runs_to_the_secret)
{
    static const struct {
        tc_lang lang;
        const char *pad, *line;
    } c[] = {
        {TC_LANG_JS, "// note\nf(a, 'ab', b => b + 1);\n", "const apiPassword = \"Xk3Zp0q9LmN2vB7c\";"},
        {TC_LANG_JS, "x.y = [1, 2]; /* c */\n", "let AUTH_TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'"},
        {TC_LANG_GO, "\tv := m[k] // c\n", "\tdbPasswd := \"hunter2hunter2hunter2\""},
        {TC_LANG_PYTHON, "    if x:  # c\n        y = 'ab'\n", "SECRET_KEY = \"a8f5f167f44f4964e6c998dee827110c\""},
        {TC_LANG_SHELL, "echo \"$x\" | tr a b\n", "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ7kWp9sTa"},
        {TC_LANG_C, "#define N 4\nint a[N]; // c\n", "static const char *licenseKey = \"Zq8Wn4Lk2Xp9Rt6Vb3Mc\";"},
        {TC_LANG_JS, "a = b ? c : d;\n", "const userName = \"abcdefghijklmnopqrstuv\";"}, /* no secret */
    };
    size_t i;
    for (i = 0; i < sizeof c / sizeof *c; i++) {
        tc_buf b = {0};
        size_t alone = secret_tokens(c[i].lang, c[i].line, strlen(c[i].line)), r;
        TC_CHECK_EQ_INT(alone > 0, i + 1 < sizeof c / sizeof *c);
        for (r = 0; r < 300; r++) TC_CHECK_EQ_INT(tc_buf_puts(&b, c[i].pad), TC_OK);
        TC_CHECK_EQ_INT(tc_buf_puts(&b, c[i].line), TC_OK); /* the secret last */
        TC_CHECK_EQ_INT(secret_tokens(c[i].lang, b.data, b.len), alone);
        TC_CHECK_EQ_INT(tc_buf_puts(&b, "\n"), TC_OK);
        for (r = 0; r < 300; r++) TC_CHECK_EQ_INT(tc_buf_puts(&b, c[i].pad), TC_OK);
        TC_CHECK_EQ_INT(tc_buf_puts(&b, c[i].line), TC_OK); /* twice, runs between */
        TC_CHECK_EQ_INT(tc_buf_puts(&b, "\n"), TC_OK);
        TC_CHECK_EQ_INT(secret_tokens(c[i].lang, b.data, b.len), 2 * alone);
        tc_buf_free(&b);
    }
}
