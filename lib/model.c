/*
 * lib/model.c - the model in memory and on disk (sift/model.h,
 * sift-model(5)).
 *
 * File: a 40-byte header, then a zlib stream (compress2, level 6):
 *
 *   0  8  magic "SIFTMODL"
 *   8  4  format version (1, or 2 for a calibrated model), little-endian
 *         like every integer here
 *  12  4  flags (0)
 *  16  8  payload length, uncompressed
 *  24  8  payload length, compressed (the bytes after the header)
 *  32  4  CRC-32 of the compressed payload
 *  36  4  CRC-32 of header bytes 0..35
 *
 * Version 2 adds the calibration after the options: kind (u32, 1 platt,
 * 2 isotonic, 3 temperature), temperature (f64), positive class (u32),
 * the number of maps (u32), and per map a, b (f64) and its isotonic
 * points (u32 count, then x, y as f64 pairs).
 *
 * The payload is a sequence of fields (u32, u64, f64 as IEEE-754 bits,
 * strings as u32 length + bytes, floats as IEEE-754 bits), decoded by a
 * cursor that refuses to read past the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "sift/linear.h"
#include "sift/mem.h"
#include "sift/mlp.h"
#include "sift/model.h"
#include "sift/writer.h"

enum { HEADER = 40 };
/* zlib expands at most about 1032:1; a larger claim is a forgery. */
#define MAX_RATIO 1100u
/* crc32 takes a 32-bit length: a model file stays below 4 GiB. */
#define MAX_FILE UINT64_C(0xFFFFFFFF)
#define MAX_RAW  (UINT64_C(1) << 38)

void sift_model_init(struct sift_model *m)
{
	memset(m, 0, sizeof *m);
	sift_feat_spec_init(&m->spec);
	m->threshold = 0.5;
}

static void free_strs(char **s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		free(s[i]);
	free(s);
}

void sift_model_free(struct sift_model *m)
{
	if (!m)
		return;
	sift_feat_spec_free(&m->spec);
	free(m->label);
	free_strs(m->classes, m->n_classes);
	free_strs(m->opt_name, m->n_opts);
	free_strs(m->opt_value, m->n_opts);
	free(m->w);
	sift_calibration_free(&m->cal);
	sift_model_init(m);
}

int sift_model_add_class(struct sift_model *m, const char *name,
			 struct sift_error *err)
{
	if (sift_resize(&m->classes, m->n_classes + 1, sizeof *m->classes) ||
	    !(m->classes[m->n_classes] = strdup(name)))
		return sift_error_nomem(err);
	m->n_classes++;
	return 0;
}

int sift_model_set_option(struct sift_model *m, const char *name,
			  const char *value, struct sift_error *err)
{
	char *v = strdup(value), *n;

	if (!v)
		return sift_error_nomem(err);
	for (size_t i = 0; i < m->n_opts; i++)
		if (strcmp(m->opt_name[i], name) == 0) {
			free(m->opt_value[i]);
			m->opt_value[i] = v;
			return 0;
		}
	if (!(n = strdup(name)))
		goto nomem;
	if (sift_resize(&m->opt_name, m->n_opts + 1, sizeof *m->opt_name) ||
	    sift_resize(&m->opt_value, m->n_opts + 1, sizeof *m->opt_value)) {
		free(n);
		goto nomem;
	}
	m->opt_name[m->n_opts] = n;
	m->opt_value[m->n_opts] = v;
	m->n_opts++;
	return 0;
nomem:
	free(v);
	return sift_error_nomem(err);
}

size_t sift_model_param_count(const struct sift_model *m)
{
	size_t dim = sift_feat_dim(&m->spec), k = m->n_classes;

	if (m->kind == SIFT_MODEL_MLP)
		return sift_mlp_param_count((uint32_t)dim, m->hidden, k);
	if (k == 0 || dim + 1 > SIZE_MAX / 4 / k)
		return 0;
	return (dim + 1) * k;
}

int sift_model_alloc(struct sift_model *m, struct sift_error *err)
{
	m->dim = sift_feat_dim(&m->spec);
	m->n_w = sift_model_param_count(m);
	free(m->w);
	m->w = m->n_w ? calloc(m->n_w, sizeof *m->w) : NULL;
	if (!m->w)
		return sift_error_nomem(err);
	return 0;
}

size_t sift_model_scratch(const struct sift_model *m)
{
	return m->kind == SIFT_MODEL_MLP ? m->hidden : 0;
}

void sift_model_proba(const struct sift_model *m, const uint32_t *idx,
		      const float *val, size_t n, double *scratch,
		      double *proba)
{
	sift_model_proba_raw(m, idx, val, n, scratch, proba);
	sift_calibration_apply(&m->cal, proba, m->n_classes);
}

void sift_model_proba_raw(const struct sift_model *m, const uint32_t *idx,
			  const float *val, size_t n, double *scratch,
			  double *proba)
{
	if (m->kind == SIFT_MODEL_MLP)
		sift_mlp_forward(m->w, m->dim, m->hidden, m->n_classes, idx,
				 val, n, scratch, proba);
	else
		sift_linear_forward(m->w, m->dim, m->n_classes, idx, val, n,
				    proba);
}

uint32_t sift_model_decide(const struct sift_model *m, const double *proba,
			   double threshold)
{
	uint32_t best = 0;

	if (threshold < 0 && m->has_threshold)
		threshold = m->threshold;
	if (m->n_classes == 2 && threshold >= 0)
		return proba[m->positive] >= threshold ? m->positive
						       : 1 - m->positive;
	for (uint32_t c = 1; c < m->n_classes; c++)
		if (proba[c] > proba[best])
			best = c;
	return best;
}

/* ---- encoding ---- */

struct buf {
	unsigned char *p;
	size_t n, cap;
	int failed;
};

static void put(struct buf *b, const void *src, size_t n)
{
	if (b->failed)
		return;
	if (sift_grow(&b->p, &b->cap, b->n + n, 1, 4096)) {
		b->failed = 1;
		return;
	}
	memcpy(b->p + b->n, src, n);
	b->n += n;
}

static void le(unsigned char *o, uint64_t x, int bytes)
{
	for (int i = 0; i < bytes; i++)
		o[i] = (unsigned char)(x >> (8 * i));
}

static void put_u32(struct buf *b, uint32_t x)
{
	unsigned char o[4];

	le(o, x, 4);
	put(b, o, 4);
}

static void put_u64(struct buf *b, uint64_t x)
{
	unsigned char o[8];

	le(o, x, 8);
	put(b, o, 8);
}

static void put_f64(struct buf *b, double x)
{
	uint64_t u;

	memcpy(&u, &x, 8);
	put_u64(b, u);
}

static void put_str(struct buf *b, const char *s)
{
	put_u32(b, (uint32_t)strlen(s));
	put(b, s, strlen(s));
}

static void put_strs(struct buf *b, char **s, size_t n)
{
	put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		put_str(b, s[i]);
}

static void put_calibration(struct buf *b, const struct sift_calibration *c)
{
	put_u32(b, (uint32_t)c->kind);
	put_f64(b, c->temperature);
	put_u32(b, c->positive);
	put_u32(b, (uint32_t)c->n_maps);
	for (size_t i = 0; i < c->n_maps; i++) {
		put_f64(b, c->map[i].a);
		put_f64(b, c->map[i].b);
		put_u32(b, (uint32_t)c->map[i].n);
		for (size_t j = 0; j < c->map[i].n; j++) {
			put_f64(b, c->map[i].x[j]);
			put_f64(b, c->map[i].y[j]);
		}
	}
}

/* The format version m needs: 2 for a calibration, else 1. */
static uint32_t version_of(const struct sift_model *m)
{
	return m->cal.kind != SIFT_CAL_NONE ? 2 : 1;
}

static void encode(const struct sift_model *m, struct buf *b)
{
	const struct sift_feat_spec *s = &m->spec;

	put_u32(b, m->kind);
	put_u32(b, m->hidden);
	put_u32(b, s->bits);
	put_u32(b, s->ngrams);
	put_u32(b, s->char_min);
	put_u32(b, s->char_max);
	put_u64(b, SIFT_FEATURE_SEED);
	put_str(b, m->label ? m->label : "");
	put_strs(b, s->text, s->n_text);
	put_u32(b, (uint32_t)s->n_num);
	for (size_t i = 0; i < s->n_num; i++) {
		put_str(b, s->num[i]);
		put_f64(b, s->mean[i]);
		put_f64(b, s->sd[i]);
	}
	put_strs(b, s->cat, s->n_cat);
	put_strs(b, m->classes, m->n_classes);
	put_u32(b, (uint32_t)m->has_threshold);
	put_f64(b, m->threshold);
	put_u32(b, m->positive);
	put_u32(b, (uint32_t)m->n_opts);
	for (size_t i = 0; i < m->n_opts; i++) {
		put_str(b, m->opt_name[i]);
		put_str(b, m->opt_value[i]);
	}
	if (m->cal.kind != SIFT_CAL_NONE)
		put_calibration(b, &m->cal);
	put_u64(b, m->n_w);
	for (size_t i = 0; i < m->n_w; i++) {
		uint32_t u;

		memcpy(&u, &m->w[i], 4);
		put_u32(b, u);
	}
}

/* Through the project's writer: a temporary file renamed into place (or
 * a device written in place), so a failed save leaves no half model. */
static int save_bytes(const char *path, const unsigned char *hdr,
		      const unsigned char *z, size_t nz, struct sift_error *err)
{
	struct sift_writer *w;
	size_t len = strlen(path);
	int rc;

	/* The model is compressed already; the writer would gzip a ".gz"
	 * name again, which no load could read. */
	if (len > 3 && strcmp(path + len - 3, ".gz") == 0)
		return sift_error_set(err, SIFT_EUSAGE,
				      "%s: a model file is compressed "
				      "already; name it without .gz",
				      path);
	w = sift_writer_open(path, err);
	if (!w)
		return err->code;
	rc = sift_writer_write(w, hdr, HEADER, err);
	if (!rc)
		rc = sift_writer_write(w, z, nz, err);
	if (rc) {
		sift_writer_discard(w);
		return rc;
	}
	return sift_writer_close(w, err);
}

int sift_model_save(const struct sift_model *m, const char *path,
		    struct sift_error *err)
{
	struct buf b = { 0 };
	unsigned char hdr[HEADER], *z = NULL;
	uLongf nz;
	int rc;

	encode(m, &b);
	if (b.failed)
		return free(b.p), sift_error_nomem(err);
	if (b.n > MAX_RAW) {
		free(b.p);
		return sift_error_set(err, SIFT_EDATA,
				      "%s: the model is too large for a model "
				      "file (%zu bytes of fields; at most "
				      "%llu)",
				      path, b.n, (unsigned long long)MAX_RAW);
	}
	nz = compressBound((uLong)b.n);
	if (!(z = malloc(nz))) {
		free(b.p);
		return sift_error_nomem(err);
	}
	/* With a buffer of compressBound, only memory can run out. */
	if (compress2(z, &nz, b.p, (uLong)b.n, 6) != Z_OK) {
		rc = sift_error_nomem(err);
		goto out;
	}
	if ((uint64_t)nz > MAX_FILE - HEADER) {
		rc = sift_error_set(err, SIFT_EDATA,
				    "%s: the model is too large for a model "
				    "file (%llu bytes compressed; at most "
				    "4 GiB)",
				    path, (unsigned long long)nz);
		goto out;
	}
	memcpy(hdr, SIFT_MODEL_MAGIC, 8);
	le(hdr + 8, version_of(m), 4);
	le(hdr + 12, 0, 4);
	le(hdr + 16, b.n, 8);
	le(hdr + 24, nz, 8);
	le(hdr + 32, crc32(crc32(0, NULL, 0), z, (uInt)nz), 4);
	le(hdr + 36, crc32(crc32(0, NULL, 0), hdr, 36), 4);
	rc = save_bytes(path, hdr, z, nz, err);
out:
	free(z);
	free(b.p);
	return rc;
}

/* ---- decoding ---- */

struct cursor {
	const unsigned char *p;
	size_t n, off;
	const char *bad; /* the first field that did not fit */
};

static uint64_t rd(const unsigned char *p, int bytes)
{
	uint64_t x = 0;

	for (int i = bytes - 1; i >= 0; i--)
		x = x << 8 | p[i];
	return x;
}

static uint64_t get(struct cursor *c, int bytes, const char *what)
{
	if (c->bad || c->n - c->off < (size_t)bytes) {
		if (!c->bad)
			c->bad = what;
		return 0;
	}
	c->off += (size_t)bytes;
	return rd(c->p + c->off - bytes, bytes);
}

static double get_f64(struct cursor *c, const char *what)
{
	uint64_t u = get(c, 8, what);
	double x;

	memcpy(&x, &u, 8);
	return x;
}

/* A string; NULL (and c->bad) when it does not fit or memory fails. */
static char *get_str(struct cursor *c, const char *what)
{
	uint32_t len = (uint32_t)get(c, 4, what);
	char *s;

	if (c->bad || len > c->n - c->off || memchr(c->p + c->off, 0, len)) {
		if (!c->bad)
			c->bad = what;
		return NULL;
	}
	if (!(s = sift_memdup_nul((const char *)c->p + c->off, len))) {
		c->bad = "memory";
		return NULL;
	}
	c->off += len;
	return s;
}

/* A count of items each at least min_bytes long: bounded by what is
 * left, so a forged count cannot make us allocate. */
static size_t get_count(struct cursor *c, size_t min_bytes, size_t max,
			const char *what)
{
	uint32_t n = (uint32_t)get(c, 4, what);

	if (c->bad)
		return 0;
	if (n > max || (size_t)n > (c->n - c->off) / min_bytes) {
		c->bad = what;
		return 0;
	}
	return n;
}

static void get_strs(struct cursor *c, char ***out, size_t *n, size_t max,
		     const char *what)
{
	size_t k = get_count(c, 4, max, what);

	*n = 0;
	if (c->bad || k == 0)
		return;
	if (!(*out = calloc(k, sizeof **out))) {
		c->bad = "memory";
		return;
	}
	for (; *n < k; (*n)++)
		if (!((*out)[*n] = get_str(c, what)))
			return;
}

static void decode_spec(struct cursor *c, struct sift_model *m)
{
	struct sift_feat_spec *s = &m->spec;
	size_t n;

	s->bits = (unsigned)get(c, 4, "bits");
	s->ngrams = (unsigned)get(c, 4, "ngrams");
	s->char_min = (unsigned)get(c, 4, "char n-grams");
	s->char_max = (unsigned)get(c, 4, "char n-grams");
	if (!c->bad &&
	    (s->bits < 1 || s->bits > SIFT_FEATURES_MAX_BITS || s->ngrams < 1 ||
	     s->ngrams > SIFT_FEATURES_MAX_NGRAMS ||
	     s->char_max > SIFT_FEATURES_MAX_CHAR ||
	     s->char_min > s->char_max || (s->char_max && !s->char_min)))
		c->bad = "tokenizer settings";
	if (get(c, 8, "hash seed") != SIFT_FEATURE_SEED && !c->bad)
		c->bad = "hash seed";
	m->label = get_str(c, "label column");
	get_strs(c, &s->text, &s->n_text, SIFT_FEATURES_MAX_TEXT,
		 "text columns");
	n = get_count(c, 20, SIFT_FEATURES_MAX_COLUMNS, "numeric columns");
	if (n && !c->bad) {
		s->num = calloc(n, sizeof *s->num);
		s->mean = calloc(n, sizeof *s->mean);
		s->sd = calloc(n, sizeof *s->sd);
		if (!s->num || !s->mean || !s->sd)
			c->bad = "memory";
	}
	for (; !c->bad && s->n_num < n; s->n_num++) {
		s->num[s->n_num] = get_str(c, "numeric columns");
		s->mean[s->n_num] = get_f64(c, "standardization");
		s->sd[s->n_num] = get_f64(c, "standardization");
		if (!c->bad &&
		    !(isfinite(s->mean[s->n_num]) &&
		      isfinite(s->sd[s->n_num]) && s->sd[s->n_num] > 0))
			c->bad = "standardization";
	}
	get_strs(c, &s->cat, &s->n_cat, SIFT_FEATURES_MAX_COLUMNS,
		 "categorical columns");
}

/* One map's isotonic points: x strictly increasing, y non-decreasing
 * in [0, 1], all finite. */
static void get_points(struct cursor *c, struct sift_cal_map *map)
{
	map->n = get_count(c, 16, SIFT_CAL_MAX_POINTS, "calibration");
	if (c->bad || !map->n)
		return;
	map->x = malloc(map->n * sizeof *map->x);
	map->y = malloc(map->n * sizeof *map->y);
	if (!map->x || !map->y) {
		c->bad = "memory";
		return;
	}
	for (size_t j = 0; !c->bad && j < map->n; j++) {
		map->x[j] = get_f64(c, "calibration");
		map->y[j] = get_f64(c, "calibration");
		if (!c->bad && (!isfinite(map->x[j]) || !(map->y[j] >= 0) ||
				!(map->y[j] <= 1) ||
				(j && !(map->x[j] > map->x[j - 1] &&
					map->y[j] >= map->y[j - 1]))))
			c->bad = "calibration";
	}
}

static void get_calibration(struct cursor *c, struct sift_model *m)
{
	struct sift_calibration *cal = &m->cal;
	uint32_t kind = (uint32_t)get(c, 4, "calibration");
	size_t want;

	cal->temperature = get_f64(c, "calibration");
	cal->positive = (uint32_t)get(c, 4, "calibration");
	cal->n_maps = get_count(c, 20, SIFT_MODEL_MAX_CLASSES, "calibration");
	want = kind == SIFT_CAL_TEMPERATURE ? 0
	       : m->n_classes == 2          ? 1
					    : m->n_classes;
	if (c->bad)
		return;
	if (kind < SIFT_CAL_PLATT || kind > SIFT_CAL_TEMPERATURE ||
	    cal->n_maps != want || cal->positive >= m->n_classes ||
	    !(cal->temperature > 0) || !isfinite(cal->temperature)) {
		c->bad = "calibration";
		cal->n_maps = 0;
		return;
	}
	cal->kind = (enum sift_cal_kind)kind;
	if (cal->n_maps &&
	    !(cal->map = calloc(cal->n_maps, sizeof *cal->map))) {
		cal->n_maps = 0;
		c->bad = "memory";
		return;
	}
	for (size_t i = 0; !c->bad && i < cal->n_maps; i++) {
		struct sift_cal_map *map = &cal->map[i];

		map->a = get_f64(c, "calibration");
		map->b = get_f64(c, "calibration");
		get_points(c, map);
		if (!c->bad && (!isfinite(map->a) || !isfinite(map->b) ||
				(kind == SIFT_CAL_ISOTONIC) != (map->n > 0)))
			c->bad = "calibration";
	}
}

static void decode(struct cursor *c, struct sift_model *m, uint32_t version)
{
	uint64_t nw;

	m->kind = (enum sift_model_kind)get(c, 4, "kind");
	m->hidden = (uint32_t)get(c, 4, "hidden");
	if (!c->bad && (m->kind > SIFT_MODEL_MLP ||
			(m->kind == SIFT_MODEL_MLP) != (m->hidden > 0) ||
			m->hidden > SIFT_MODEL_MAX_HIDDEN))
		c->bad = "model kind";
	decode_spec(c, m);
	get_strs(c, &m->classes, &m->n_classes, SIFT_MODEL_MAX_CLASSES,
		 "class names");
	if (!c->bad && m->n_classes < 2)
		c->bad = "class names";
	m->has_threshold = (int)get(c, 4, "threshold");
	m->threshold = get_f64(c, "threshold");
	m->positive = (uint32_t)get(c, 4, "positive class");
	if (!c->bad && (m->has_threshold > 1 ||
			!(m->threshold >= 0 && m->threshold <= 1) ||
			m->positive >= m->n_classes))
		c->bad = "threshold";
	m->n_opts = get_count(c, 8, 4096, "options");
	if (m->n_opts && !c->bad) {
		m->opt_name = calloc(m->n_opts, sizeof *m->opt_name);
		m->opt_value = calloc(m->n_opts, sizeof *m->opt_value);
		if (!m->opt_name || !m->opt_value)
			c->bad = "memory";
	}
	for (size_t i = 0; !c->bad && i < m->n_opts; i++) {
		m->opt_name[i] = get_str(c, "options");
		m->opt_value[i] = get_str(c, "options");
	}
	if (version >= 2 && !c->bad)
		get_calibration(c, m);
	nw = get(c, 8, "weights");
	if (c->bad)
		return;
	m->dim = sift_feat_dim(&m->spec);
	m->n_w = sift_model_param_count(m);
	if (m->n_w == 0 || nw != m->n_w || (c->n - c->off) / 4 != nw ||
	    (c->n - c->off) % 4) {
		c->bad = "weights";
		return;
	}
	if (!(m->w = malloc(m->n_w * sizeof *m->w))) {
		c->bad = "memory";
		return;
	}
	for (size_t i = 0; i < m->n_w; i++) {
		uint32_t u = (uint32_t)get(c, 4, "weights");

		memcpy(&m->w[i], &u, 4);
		if (!isfinite(m->w[i])) {
			c->bad = "weights";
			return;
		}
	}
}

static int read_file(const char *path, unsigned char **out, size_t *len,
		     struct sift_error *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	unsigned char *p;
	size_t got = 0;

	if (fd < 0)
		return sift_error_set(err, SIFT_EIO, "%s: cannot open: %s",
				      path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > MAX_FILE) {
		close(fd);
		return sift_error_set(err, SIFT_EDATA,
				      "%s: not a sift model (not a regular "
				      "file of a plausible size)",
				      path);
	}
	if (!(p = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return sift_error_nomem(err);
	}
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, p + got, (size_t)st.st_size - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	*out = p;
	*len = got;
	return 0;
}

static int check_header(const char *path, const unsigned char *p, size_t n,
			uint32_t *version_out, uint64_t *raw, uint64_t *nz,
			struct sift_error *err)
{
	uint32_t version;

	if (n < 8 || memcmp(p, SIFT_MODEL_MAGIC, 8))
		return sift_error_set(err, SIFT_EDATA,
				      "%s: not a sift model (no SIFTMODL "
				      "magic at its start)",
				      path);
	if (n < HEADER)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: truncated model (%zu bytes, the "
				      "header alone has %d)",
				      path, n, HEADER);
	/* The version first: a newer format may lay its header out anew,
	 * its checksum included. */
	version = (uint32_t)rd(p + 8, 4);
	if (version > SIFT_MODEL_VERSION)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: model format version %u is newer "
				      "than this sift reads (%d): upgrade "
				      "sift (or the file is damaged)",
				      path, version, SIFT_MODEL_VERSION);
	if (rd(p + 36, 4) != crc32(crc32(0, NULL, 0), p, 36))
		return sift_error_set(err, SIFT_EDATA,
				      "%s: corrupted model (header checksum "
				      "mismatch; format version %u)",
				      path, version);
	if (version == 0 || rd(p + 12, 4) != 0)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: corrupted model (bad version or "
				      "flags)",
				      path);
	*version_out = version;
	*raw = rd(p + 16, 8);
	*nz = rd(p + 24, 8);
	if (*nz > n - HEADER)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: truncated model (%zu bytes of %llu)",
				      path, n,
				      (unsigned long long)(*nz + HEADER));
	if (*nz < n - HEADER)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: corrupted model (trailing bytes "
				      "after its end)",
				      path);
	if (rd(p + 32, 4) != crc32(crc32(0, NULL, 0), p + HEADER, (uInt)*nz))
		return sift_error_set(err, SIFT_EDATA,
				      "%s: corrupted model (checksum "
				      "mismatch)",
				      path);
	if (*raw == 0 || *raw > *nz * MAX_RATIO + 4096 || *raw > MAX_RAW)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: corrupted model (implausible "
				      "payload size)",
				      path);
	return 0;
}

int sift_model_load(const char *path, struct sift_model *m,
		    struct sift_error *err)
{
	unsigned char *file = NULL, *raw = NULL;
	size_t n = 0;
	uint64_t nraw = 0, nz = 0;
	uint32_t version = 0;
	uLongf got;
	struct cursor c = { 0 };
	int rc;

	sift_model_init(m);
	if ((rc = read_file(path, &file, &n, err)))
		return rc;
	if ((rc = check_header(path, file, n, &version, &nraw, &nz, err)))
		goto out;
	if (!(raw = malloc(nraw))) {
		rc = sift_error_nomem(err);
		goto out;
	}
	got = (uLongf)nraw;
	if (uncompress(raw, &got, file + HEADER, (uLong)nz) != Z_OK ||
	    got != nraw) {
		rc = sift_error_set(err, SIFT_EDATA,
				    "%s: corrupted model (the compressed "
				    "payload does not decode)",
				    path);
		goto out;
	}
	c.p = raw;
	c.n = (size_t)nraw;
	decode(&c, m, version);
	if (!c.bad && c.off != c.n)
		c.bad = "trailing fields";
	if (c.bad) {
		rc = strcmp(c.bad, "memory") == 0
			     ? sift_error_nomem(err)
			     : sift_error_set(err, SIFT_EDATA,
					      "%s: corrupted model (bad %s)",
					      path, c.bad);
	}
out:
	if (rc)
		sift_model_free(m);
	free(file);
	free(raw);
	return rc;
}
