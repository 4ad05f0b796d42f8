/* gguf_gen - write a qwen2-architecture GGUF with random weights and the real
 * Qwen2 tokenizer, for testing against a real llama.cpp server without
 * downloading a model.
 *
 * The tokenizer (every tokenizer.* key) is copied from llama.cpp's
 * models/ggml-vocab-qwen2.gguf (a vocabulary-only file, Qwen1.5/Qwen2's
 * tokenizer: 151936 entries; 151643..151645 are <|endoftext|> <|im_start|>
 * <|im_end|>, every id from 151646 on a "[PAD<id>]" padding slot). Qwen2.5's
 * added tokens go into the padding slots:
 *   151646..151658  <|object_ref_start|> ... <|video_pad|> <tool_call> </tool_call>
 *   151659 <|fim_prefix|>  151660 <|fim_middle|>  151661 <|fim_suffix|>
 *   151662 <|fim_pad|>     151663 <|repo_name|>   151664 <|file_sep|>
 * all CONTROL (3) except <tool_call> </tool_call> (USER_DEFINED, as in
 * Qwen2.5's tokenizer.json). A slot that holds anything but its "[PAD<id>]"
 * is kept (with a warning); --n-vocab larger than the file appends
 * "[PAD<id>]" entries (UNUSED).
 *
 * Weights: uniform random with the standard deviation --std (norm weights
 * 1.0), token_embd and an untied output.weight (tied embeddings make greedy
 * decoding of random weights echo the last token; --tied to mimic the real
 * 0.5B file anyway). 2-D weights in --type (f32, f16, q8_0), 1-D ones (norms,
 * biases) in F32, as llama.cpp's converter does. Deterministic for a seed.
 * Written to PATH.tmp.<pid> and renamed, tensor data streamed row block by
 * row block (memory stays small even for the 0.5B shape).
 *
 * Build: scripts/gguf_gen.sh (compiles against scripts/llama.sh --dev).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ggml.h"
#include "gguf.h"

enum { TT_NORMAL = 1, TT_UNKNOWN = 2, TT_CONTROL = 3, TT_USER_DEFINED = 4, TT_UNUSED = 5 };

struct opts {
    const char *out, *vocab, *name;
    int layers, embd, heads, kv_heads, ffn, ctx, n_vocab;
    float rope_theta, rms_eps, std;
    enum ggml_type type;
    uint64_t seed;
    bool tied, quiet;
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("gguf_gen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void usage(FILE *f) {
    fputs(
        "usage: gguf_gen -o OUT.gguf --vocab ggml-vocab-qwen2.gguf [options]\n"
        "  --layers N      transformer blocks            (2)\n"
        "  --embd N        hidden size                   (64)\n"
        "  --heads N       attention heads               (4)\n"
        "  --kv-heads N    key/value heads (GQA)         (2)\n"
        "  --ffn N         feed-forward size             (128)\n"
        "  --ctx N         qwen2.context_length          (32768)\n"
        "  --n-vocab N     vocabulary rows (>= 151665)   (the file's: 151936)\n"
        "  --type T        f32 | f16 | q8_0 (2-D weights) (q8_0)\n"
        "  --seed N        random seed                   (1)\n"
        "  --std X         weight standard deviation     (0.02)\n"
        "  --rope-theta X  qwen2.rope.freq_base          (1000000)\n"
        "  --rms-eps X     RMS norm epsilon              (1e-6)\n"
        "  --name S        general.name                  (tacit-random-qwen2)\n"
        "  --tied          no output.weight (share token_embd)\n"
        "  -q              quiet\n"
        "Qwen2.5-Coder-0.5B's shape: --layers 24 --embd 896 --heads 14 --kv-heads 2 --ffn 4864\n",
        f);
}

static long parse_int(const char *s, const char *opt, long lo, long hi) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 0);
    if (errno || *end || end == s || v < lo || v > hi) die("bad value for %s: '%s'", opt, s);
    return v;
}

static float parse_float(const char *s, const char *opt) {
    char *end;
    errno = 0;
    float v = strtof(s, &end);
    if (errno || *end || end == s || !isfinite(v)) die("bad value for %s: '%s'", opt, s);
    return v;
}

static void parse_args(int argc, char **argv, struct opts *o) {
    *o = (struct opts){ .name = "tacit-random-qwen2", .layers = 2, .embd = 64, .heads = 4,
                        .kv_heads = 2, .ffn = 128, .ctx = 32768, .n_vocab = 0,
                        .rope_theta = 1000000.0f, .rms_eps = 1e-6f, .std = 0.02f,
                        .type = GGML_TYPE_Q8_0, .seed = 1 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); exit(0); }
        if (!strcmp(a, "--tied")) { o->tied = true; continue; }
        if (!strcmp(a, "-q")) { o->quiet = true; continue; }
        if (i + 1 >= argc) { usage(stderr); die("missing value for %s", a); }
        const char *v = argv[++i];
        if (!strcmp(a, "-o") || !strcmp(a, "--out")) o->out = v;
        else if (!strcmp(a, "--vocab")) o->vocab = v;
        else if (!strcmp(a, "--name")) o->name = v;
        else if (!strcmp(a, "--layers")) o->layers = (int)parse_int(v, a, 1, 1024);
        else if (!strcmp(a, "--embd")) o->embd = (int)parse_int(v, a, 8, 1 << 16);
        else if (!strcmp(a, "--heads")) o->heads = (int)parse_int(v, a, 1, 1024);
        else if (!strcmp(a, "--kv-heads")) o->kv_heads = (int)parse_int(v, a, 1, 1024);
        else if (!strcmp(a, "--ffn")) o->ffn = (int)parse_int(v, a, 8, 1 << 20);
        else if (!strcmp(a, "--ctx")) o->ctx = (int)parse_int(v, a, 16, 1 << 24);
        else if (!strcmp(a, "--n-vocab")) o->n_vocab = (int)parse_int(v, a, 151665, 1 << 24);
        else if (!strcmp(a, "--seed")) o->seed = (uint64_t)parse_int(v, a, 0, LONG_MAX);
        else if (!strcmp(a, "--std")) o->std = parse_float(v, a);
        else if (!strcmp(a, "--rope-theta")) o->rope_theta = parse_float(v, a);
        else if (!strcmp(a, "--rms-eps")) o->rms_eps = parse_float(v, a);
        else if (!strcmp(a, "--type")) {
            if (!strcasecmp(v, "f32")) o->type = GGML_TYPE_F32;
            else if (!strcasecmp(v, "f16")) o->type = GGML_TYPE_F16;
            else if (!strcasecmp(v, "q8_0")) o->type = GGML_TYPE_Q8_0;
            else die("--type must be f32, f16 or q8_0, not '%s'", v);
        } else { usage(stderr); die("unknown option %s", a); }
    }
    if (!o->out || !o->vocab) { usage(stderr); die("-o and --vocab are required"); }
    if (o->embd % o->heads) die("--embd (%d) must be a multiple of --heads (%d)", o->embd, o->heads);
    if (o->heads % o->kv_heads) die("--heads (%d) must be a multiple of --kv-heads (%d)", o->heads, o->kv_heads);
    if ((o->embd / o->heads) % 2) die("head size (%d) must be even (RoPE)", o->embd / o->heads);
    int blk = (int)ggml_blck_size(o->type);
    if (o->embd % blk || o->ffn % blk)
        die("--embd and --ffn must be multiples of %d for %s", blk, ggml_type_name(o->type));
}

/* ---- random numbers: splitmix64, one stream per tensor -------------------- */

static uint64_t splitmix(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t hash_name(const char *s, uint64_t seed) {
    uint64_t h = 1469598103934665603ull ^ seed;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* ---- tokenizer ---------------------------------------------------------------- */

static const struct { int id; const char *text; int type; } added[] = {
    { 151643, "<|endoftext|>", TT_CONTROL },
    { 151644, "<|im_start|>", TT_CONTROL },
    { 151645, "<|im_end|>", TT_CONTROL },
    { 151646, "<|object_ref_start|>", TT_CONTROL },
    { 151647, "<|object_ref_end|>", TT_CONTROL },
    { 151648, "<|box_start|>", TT_CONTROL },
    { 151649, "<|box_end|>", TT_CONTROL },
    { 151650, "<|quad_start|>", TT_CONTROL },
    { 151651, "<|quad_end|>", TT_CONTROL },
    { 151652, "<|vision_start|>", TT_CONTROL },
    { 151653, "<|vision_end|>", TT_CONTROL },
    { 151654, "<|vision_pad|>", TT_CONTROL },
    { 151655, "<|image_pad|>", TT_CONTROL },
    { 151656, "<|video_pad|>", TT_CONTROL },
    { 151657, "<tool_call>", TT_USER_DEFINED },
    { 151658, "</tool_call>", TT_USER_DEFINED },
    { 151659, "<|fim_prefix|>", TT_CONTROL },
    { 151660, "<|fim_middle|>", TT_CONTROL },
    { 151661, "<|fim_suffix|>", TT_CONTROL },
    { 151662, "<|fim_pad|>", TT_CONTROL },
    { 151663, "<|repo_name|>", TT_CONTROL },
    { 151664, "<|file_sep|>", TT_CONTROL },
};

static const char *type_name_gguf(enum gguf_type t) { return gguf_type_name(t); }

/* Copy one KV pair of src into dst (scalars, strings, arrays of either). */
static void copy_kv(struct gguf_context *dst, const struct gguf_context *src, int64_t i) {
    const char *key = gguf_get_key(src, i);
    enum gguf_type t = gguf_get_kv_type(src, i);
    switch (t) {
    case GGUF_TYPE_UINT8: gguf_set_val_u8(dst, key, gguf_get_val_u8(src, i)); break;
    case GGUF_TYPE_INT8: gguf_set_val_i8(dst, key, gguf_get_val_i8(src, i)); break;
    case GGUF_TYPE_UINT16: gguf_set_val_u16(dst, key, gguf_get_val_u16(src, i)); break;
    case GGUF_TYPE_INT16: gguf_set_val_i16(dst, key, gguf_get_val_i16(src, i)); break;
    case GGUF_TYPE_UINT32: gguf_set_val_u32(dst, key, gguf_get_val_u32(src, i)); break;
    case GGUF_TYPE_INT32: gguf_set_val_i32(dst, key, gguf_get_val_i32(src, i)); break;
    case GGUF_TYPE_FLOAT32: gguf_set_val_f32(dst, key, gguf_get_val_f32(src, i)); break;
    case GGUF_TYPE_UINT64: gguf_set_val_u64(dst, key, gguf_get_val_u64(src, i)); break;
    case GGUF_TYPE_INT64: gguf_set_val_i64(dst, key, gguf_get_val_i64(src, i)); break;
    case GGUF_TYPE_FLOAT64: gguf_set_val_f64(dst, key, gguf_get_val_f64(src, i)); break;
    case GGUF_TYPE_BOOL: gguf_set_val_bool(dst, key, gguf_get_val_bool(src, i)); break;
    case GGUF_TYPE_STRING: gguf_set_val_str(dst, key, gguf_get_val_str(src, i)); break;
    case GGUF_TYPE_ARRAY: {
        enum gguf_type at = gguf_get_arr_type(src, i);
        size_t n = gguf_get_arr_n(src, i);
        if (at == GGUF_TYPE_STRING) {
            const char **v = malloc((n ? n : 1) * sizeof *v);
            if (!v) die("out of memory");
            for (size_t k = 0; k < n; k++) v[k] = gguf_get_arr_str(src, i, k);
            gguf_set_arr_str(dst, key, v, n);
            free(v);
        } else if (at == GGUF_TYPE_ARRAY) {
            die("nested array in %s not supported", key);
        } else {
            gguf_set_arr_data(dst, key, at, gguf_get_arr_data(src, i), n);
        }
        break;
    }
    default: die("key %s: unsupported type %s", key, type_name_gguf(t));
    }
}

/* tokenizer.ggml.tokens / token_type (/ scores), extended to n_vocab. */
static int set_vocab(struct gguf_context *dst, const struct gguf_context *src, int n_vocab, bool quiet) {
    int64_t kt = gguf_find_key(src, "tokenizer.ggml.tokens");
    int64_t ky = gguf_find_key(src, "tokenizer.ggml.token_type");
    int64_t ks = gguf_find_key(src, "tokenizer.ggml.scores");
    if (kt < 0 || ky < 0) die("vocabulary file has no tokenizer.ggml.tokens/token_type");
    if (gguf_get_arr_type(src, ky) != GGUF_TYPE_INT32) die("token_type is not int32");
    size_t n = gguf_get_arr_n(src, kt);
    if (gguf_get_arr_n(src, ky) != n) die("tokens and token_type differ in length");
    if (n_vocab == 0) n_vocab = n > 151665 ? (int)n : 151665;
    if (n > (size_t)n_vocab) die("vocabulary file has %zu tokens, more than --n-vocab %d", n, n_vocab);

    const char **text = calloc((size_t)n_vocab, sizeof *text);
    int32_t *type = calloc((size_t)n_vocab, sizeof *type);
    float *score = ks >= 0 ? calloc((size_t)n_vocab, sizeof *score) : NULL;
    char (*pad)[24] = calloc((size_t)n_vocab - n + 1, sizeof *pad);
    if (!text || !type || (ks >= 0 && !score) || !pad) die("out of memory");
    const int32_t *ft = gguf_get_arr_data(src, ky);
    const float *fs = ks >= 0 ? gguf_get_arr_data(src, ks) : NULL;
    for (size_t i = 0; i < n; i++) {
        text[i] = gguf_get_arr_str(src, kt, i);
        type[i] = ft[i];
        if (score) score[i] = fs[i];
    }
    for (int i = (int)n; i < n_vocab; i++) {
        snprintf(pad[i - (int)n], sizeof pad[0], "[PAD%d]", i);
        text[i] = pad[i - (int)n];
        type[i] = TT_UNUSED;
        if (score) score[i] = 0.0f;
    }
    int n_added = 0;
    for (size_t a = 0; a < sizeof added / sizeof added[0]; a++) {
        int id = added[a].id;
        char padname[24];
        snprintf(padname, sizeof padname, "[PAD%d]", id);
        if (id < (int)n && strcmp(text[id], padname)) {
            if (strcmp(text[id], added[a].text))
                fprintf(stderr, "gguf_gen: warning: id %d is '%s' in the vocabulary file, not '%s'; kept\n",
                        id, text[id], added[a].text);
            continue;
        }
        text[id] = added[a].text; /* a padding slot (or past the file's end) */
        type[id] = added[a].type;
        n_added++;
    }
    gguf_set_arr_str(dst, "tokenizer.ggml.tokens", text, (size_t)n_vocab);
    gguf_set_arr_data(dst, "tokenizer.ggml.token_type", GGUF_TYPE_INT32, type, (size_t)n_vocab);
    if (score) gguf_set_arr_data(dst, "tokenizer.ggml.scores", GGUF_TYPE_FLOAT32, score, (size_t)n_vocab);
    if (!quiet)
        fprintf(stderr, "gguf_gen: vocabulary: %zu tokens from the file, %d added tokens set, %d in all\n",
                n, n_added, n_vocab);
    free(text);
    free(type);
    free(score);
    free(pad);
    return n_vocab;
}

/* ---- tensors ---------------------------------------------------------------- */

enum init { INIT_RANDOM, INIT_ONES, INIT_BIAS };

struct tdesc {
    char name[64];
    int64_t ne0, ne1; /* ne1 == 0: 1-D */
    enum ggml_type type;
    enum init init;
};

struct tlist {
    struct tdesc *v;
    int n, cap;
};

static void add_t(struct tlist *l, const char *name, int64_t ne0, int64_t ne1, enum ggml_type type, enum init init) {
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = realloc(l->v, (size_t)l->cap * sizeof *l->v);
        if (!l->v) die("out of memory");
    }
    struct tdesc *t = &l->v[l->n++];
    snprintf(t->name, sizeof t->name, "%s", name);
    t->ne0 = ne0;
    t->ne1 = ne1;
    t->type = ne1 ? type : GGML_TYPE_F32;
    t->init = init;
}

static void build_tensor_list(const struct opts *o, struct tlist *l) {
    const int64_t E = o->embd, V = o->n_vocab, F = o->ffn;
    const int64_t kv = (int64_t)o->kv_heads * (o->embd / o->heads);
    char nm[64];
    add_t(l, "token_embd.weight", E, V, o->type, INIT_RANDOM);
    for (int i = 0; i < o->layers; i++) {
#define T(suffix, a, b, init) (snprintf(nm, sizeof nm, "blk.%d." suffix, i), add_t(l, nm, a, b, o->type, init))
        T("attn_norm.weight", E, 0, INIT_ONES);
        T("attn_q.weight", E, E, INIT_RANDOM);
        T("attn_q.bias", E, 0, INIT_BIAS);
        T("attn_k.weight", E, kv, INIT_RANDOM);
        T("attn_k.bias", kv, 0, INIT_BIAS);
        T("attn_v.weight", E, kv, INIT_RANDOM);
        T("attn_v.bias", kv, 0, INIT_BIAS);
        T("attn_output.weight", E, E, INIT_RANDOM);
        T("ffn_norm.weight", E, 0, INIT_ONES);
        T("ffn_gate.weight", E, F, INIT_RANDOM);
        T("ffn_up.weight", E, F, INIT_RANDOM);
        T("ffn_down.weight", F, E, INIT_RANDOM);
#undef T
    }
    add_t(l, "output_norm.weight", E, 0, o->type, INIT_ONES);
    if (!o->tied) add_t(l, "output.weight", E, V, o->type, INIT_RANDOM);
}

static int ftype_of(enum ggml_type t) {
    switch (t) {
    case GGML_TYPE_F32: return 0;  /* LLAMA_FTYPE_ALL_F32 */
    case GGML_TYPE_F16: return 1;  /* LLAMA_FTYPE_MOSTLY_F16 */
    case GGML_TYPE_Q8_0: return 7; /* LLAMA_FTYPE_MOSTLY_Q8_0 */
    default: return 0;
    }
}

static void fill(float *x, int64_t n, enum init init, float std, uint64_t *rng) {
    /* uniform on [-a, a] has standard deviation a / sqrt(3) */
    const float a = std * 1.7320508f;
    for (int64_t k = 0; k < n; k++) {
        switch (init) {
        case INIT_ONES: x[k] = 1.0f; break;
        case INIT_BIAS:
        case INIT_RANDOM: {
            float u = (float)((splitmix(rng) >> 40) * (1.0 / 16777216.0)); /* [0,1) */
            x[k] = (2.0f * u - 1.0f) * (init == INIT_BIAS ? a * 5.0f : a);
            break;
        }
        }
    }
}

static void write_all(FILE *f, const void *p, size_t n, const char *path) {
    if (n && fwrite(p, 1, n, f) != n) die("writing %s: %s", path, strerror(errno));
}

int main(int argc, char **argv) {
    struct opts o;
    parse_args(argc, argv, &o);

    struct gguf_init_params ip = { .no_alloc = true, .ctx = NULL };
    struct gguf_context *voc = gguf_init_from_file(o.vocab, ip);
    if (!voc) die("cannot read the vocabulary file %s", o.vocab);

    struct gguf_context *g = gguf_init_empty();
    gguf_set_val_str(g, "general.architecture", "qwen2");
    gguf_set_val_str(g, "general.type", "model");
    gguf_set_val_str(g, "general.name", o.name);
    gguf_set_val_str(g, "general.description",
                     "random weights, real Qwen2 tokenizer with Qwen2.5-Coder's FIM tokens (tacit tools/gguf_gen)");
    gguf_set_val_u32(g, "general.file_type", (uint32_t)ftype_of(o.type));
    gguf_set_val_u32(g, "general.quantization_version", 2);
    gguf_set_val_u64(g, "general.seed", o.seed);
    gguf_set_val_u32(g, "qwen2.block_count", (uint32_t)o.layers);
    gguf_set_val_u32(g, "qwen2.context_length", (uint32_t)o.ctx);
    gguf_set_val_u32(g, "qwen2.embedding_length", (uint32_t)o.embd);
    gguf_set_val_u32(g, "qwen2.feed_forward_length", (uint32_t)o.ffn);
    gguf_set_val_u32(g, "qwen2.attention.head_count", (uint32_t)o.heads);
    gguf_set_val_u32(g, "qwen2.attention.head_count_kv", (uint32_t)o.kv_heads);
    gguf_set_val_f32(g, "qwen2.rope.freq_base", o.rope_theta);
    gguf_set_val_f32(g, "qwen2.attention.layer_norm_rms_epsilon", o.rms_eps);

    for (int64_t i = 0; i < gguf_get_n_kv(voc); i++) {
        const char *key = gguf_get_key(voc, i);
        if (strncmp(key, "tokenizer.", 10)) continue;
        if (!strcmp(key, "tokenizer.ggml.tokens") || !strcmp(key, "tokenizer.ggml.token_type") ||
            !strcmp(key, "tokenizer.ggml.scores"))
            continue;
        copy_kv(g, voc, i);
    }
    o.n_vocab = set_vocab(g, voc, o.n_vocab, o.quiet);
    /* Qwen2.5-Coder (base): <|endoftext|> ends and pads, no BOS added. */
    gguf_set_val_u32(g, "tokenizer.ggml.eos_token_id", 151643);
    gguf_set_val_u32(g, "tokenizer.ggml.padding_token_id", 151643);
    gguf_set_val_u32(g, "tokenizer.ggml.bos_token_id", 151643);
    gguf_set_val_bool(g, "tokenizer.ggml.add_bos_token", false);
    gguf_set_val_u32(g, "tokenizer.ggml.fim_pre_token_id", 151659);
    gguf_set_val_u32(g, "tokenizer.ggml.fim_mid_token_id", 151660);
    gguf_set_val_u32(g, "tokenizer.ggml.fim_suf_token_id", 151661);
    gguf_set_val_u32(g, "tokenizer.ggml.fim_pad_token_id", 151662);
    gguf_set_val_u32(g, "tokenizer.ggml.fim_rep_token_id", 151663);
    gguf_set_val_u32(g, "tokenizer.ggml.fim_sep_token_id", 151664);

    /* Tensor infos: a no_alloc ggml context holds their shapes. */
    struct tlist tl = { 0 };
    build_tensor_list(&o, &tl);
    struct ggml_init_params gp = { .mem_size = (size_t)(tl.n + 8) * ggml_tensor_overhead(),
                                   .mem_buffer = NULL, .no_alloc = true };
    struct ggml_context *gctx = ggml_init(gp);
    if (!gctx) die("ggml_init failed");
    for (int i = 0; i < tl.n; i++) {
        struct tdesc *d = &tl.v[i];
        struct ggml_tensor *t = d->ne1 ? ggml_new_tensor_2d(gctx, d->type, d->ne0, d->ne1)
                                       : ggml_new_tensor_1d(gctx, d->type, d->ne0);
        ggml_set_name(t, d->name);
        gguf_add_tensor(g, t);
    }

    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", o.out, (long)getpid()) >= sizeof tmp)
        die("output path too long");
    FILE *f = fopen(tmp, "wb");
    if (!f) die("cannot create %s: %s", tmp, strerror(errno));
    size_t meta = gguf_get_meta_size(g);
    void *mbuf = malloc(meta);
    if (!mbuf) die("out of memory");
    gguf_get_meta_data(g, mbuf);
    write_all(f, mbuf, meta, tmp);
    free(mbuf);

    const size_t align = gguf_get_alignment(g);
    static const char zeros[64];
    size_t written = 0, n_params = 0;
    for (int i = 0; i < tl.n; i++) {
        struct tdesc *d = &tl.v[i];
        int64_t nrows = d->ne1 ? d->ne1 : 1, ncols = d->ne0;
        if ((size_t)gguf_get_tensor_offset(g, i) != written) die("internal: offset mismatch at %s", d->name);
        uint64_t rng = hash_name(d->name, o.seed);
        int64_t block = nrows < 1024 ? nrows : 1024;
        size_t rs = ggml_row_size(d->type, ncols);
        float *src = malloc((size_t)(block * ncols) * sizeof *src);
        void *dst = malloc(rs * (size_t)block);
        if (!src || !dst) die("out of memory");
        for (int64_t r = 0; r < nrows; r += block) {
            int64_t nr = nrows - r < block ? nrows - r : block;
            fill(src, nr * ncols, d->init, o.std, &rng);
            size_t got = ggml_quantize_chunk(d->type, src, dst, 0, nr, ncols, NULL);
            if (got != rs * (size_t)nr) die("internal: quantized size mismatch at %s", d->name);
            write_all(f, dst, got, tmp);
            written += got;
        }
        free(src);
        free(dst);
        n_params += (size_t)(nrows * ncols);
        size_t padn = GGML_PAD(written, align) - written;
        write_all(f, zeros, padn, tmp);
        written += padn;
    }
    if (fflush(f) || fclose(f)) die("writing %s: %s", tmp, strerror(errno));
    if (rename(tmp, o.out)) die("rename %s -> %s: %s", tmp, o.out, strerror(errno));
    if (!o.quiet)
        fprintf(stderr,
                "gguf_gen: wrote %s: qwen2 %d layers, embd %d, heads %d/%d, ffn %d, ctx %d, %s%s, "
                "%d tensors, %.1fM parameters, %.1f MB\n",
                o.out, o.layers, o.embd, o.heads, o.kv_heads, o.ffn, o.ctx, ggml_type_name(o.type),
                o.tied ? " (tied)" : "", tl.n, (double)n_params / 1e6, (double)(meta + written) / 1e6);
    ggml_free(gctx);
    gguf_free(g);
    gguf_free(voc);
    free(tl.v);
    return 0;
}
