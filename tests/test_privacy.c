/* test_privacy.c - secret files never enter a prompt; secret-looking
 * strings are redacted from anything sent. */
#include "context/privacy.h"
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
