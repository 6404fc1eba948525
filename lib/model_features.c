/*
 * lib/model_features.c - the hashing trick over tokens, n-grams, categories
 * and standardized numbers (the layout is in sift/features.h).
 *
 * Nothing is allocated per token or per record: the vector, the token
 * buffer, the token hashes and the scratch bytes all grow to the largest
 * record seen and are reused.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "sift/features.h"
#include "sift/mem.h"
#include "sift/parse.h"

void sift_feat_spec_init(struct sift_feat_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->bits = 18;
	spec->ngrams = 1;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void sift_feat_spec_free(struct sift_feat_spec *spec)
{
	if (!spec)
		return;
	free_names(spec->text, spec->n_text);
	free_names(spec->num, spec->n_num);
	free_names(spec->cat, spec->n_cat);
	free(spec->mean);
	free(spec->sd);
	sift_feat_spec_init(spec);
}

static int add_name(char ***names, size_t *n, const char *name)
{
	if (sift_resize(names, *n + 1, sizeof **names))
		return -1;
	(*names)[*n] = strdup(name);
	if (!(*names)[*n])
		return -1;
	(*n)++;
	return 0;
}

int sift_feat_spec_add(struct sift_feat_spec *spec, int kind, const char *name,
		       struct sift_error *err)
{
	/* A model file holds no more: refused here, not when the model
	 * that was written fails to load. */
	if (kind == 't' && spec->n_text >= SIFT_FEATURES_MAX_TEXT)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`text`: more than %u text columns",
				      SIFT_FEATURES_MAX_TEXT);
	if ((kind == 'c' ? spec->n_cat : spec->n_num) >=
		    SIFT_FEATURES_MAX_COLUMNS &&
	    kind != 't')
		return sift_error_set(
			err, SIFT_EUSAGE, "`%s`: more than %u %s columns",
			kind == 'c' ? "cat" : "num", SIFT_FEATURES_MAX_COLUMNS,
			kind == 'c' ? "categorical" : "numeric");
	if (kind == 't')
		return add_name(&spec->text, &spec->n_text, name)
			       ? sift_error_nomem(err)
			       : 0;
	if (kind == 'c')
		return add_name(&spec->cat, &spec->n_cat, name)
			       ? sift_error_nomem(err)
			       : 0;
	if (sift_resize(&spec->mean, spec->n_num + 1, sizeof *spec->mean) ||
	    sift_resize(&spec->sd, spec->n_num + 1, sizeof *spec->sd))
		return sift_error_nomem(err);
	spec->mean[spec->n_num] = 0;
	spec->sd[spec->n_num] = 1;
	if (add_name(&spec->num, &spec->n_num, name)) {
		return sift_error_nomem(err);
	}
	return 0;
}

uint32_t sift_feat_dim(const struct sift_feat_spec *spec)
{
	return (UINT32_C(1) << spec->bits) + (uint32_t)spec->n_num;
}

void sift_feat_vec_init(struct sift_feat_vec *v)
{
	memset(v, 0, sizeof *v);
	sift_tokens_init(&v->tok);
}

void sift_feat_vec_free(struct sift_feat_vec *v)
{
	if (!v)
		return;
	free(v->idx);
	free(v->val);
	free(v->hash);
	free(v->scratch);
	sift_tokens_free(&v->tok);
	sift_feat_vec_init(v);
}

static int push(struct sift_feat_vec *v, uint32_t idx, float val)
{
	if (v->n == v->cap) {
		size_t cap = sift_grow_cap(v->cap, v->n + 1, 256);

		if (sift_resize(&v->idx, cap, sizeof *v->idx) ||
		    sift_resize(&v->val, cap, sizeof *v->val))
			return -1;
		v->cap = cap;
	}
	v->idx[v->n] = idx;
	v->val[v->n] = val;
	v->n++;
	return 0;
}

static void le64(unsigned char *out, uint64_t x)
{
	for (int i = 0; i < 8; i++)
		out[i] = (unsigned char)(x >> (8 * i));
}

/* Character n-grams of "<token>", n counted in code points (a byte that
 * is not a UTF-8 continuation byte 10xxxxxx starts one). */
static int char_ngrams(const struct sift_feat_spec *spec, unsigned slot,
		       const char *tok, size_t len, struct sift_feat_vec *v)
{
	uint32_t mask = (UINT32_C(1) << spec->bits) - 1;
	uint64_t seed = SIFT_FEATURE_SEED + slot + 65536;
	size_t m = len + 2;
	char *w;

	if (sift_grow(&v->scratch, &v->scratch_size, m, 1, 64))
		return -1;
	w = v->scratch;
	w[0] = '<';
	memcpy(w + 1, tok, len);
	w[m - 1] = '>';
	for (size_t i = 0; i < m; i++) {
		if (((unsigned char)w[i] & 0xC0) == 0x80)
			continue;
		size_t j = i, n = 0;

		while (j < m && n < spec->char_max) {
			j++;
			while (j < m && ((unsigned char)w[j] & 0xC0) == 0x80)
				j++;
			n++;
			if (n >= spec->char_min &&
			    push(v,
				 (uint32_t)XXH3_64bits_withSeed(w + i, j - i,
								seed) &
					 mask,
				 1.0f))
				return -1;
		}
	}
	return 0;
}

int sift_features_text(const struct sift_feat_spec *spec, unsigned slot,
		       const char *s, size_t len, struct sift_feat_vec *v)
{
	struct sift_tokens *t = &v->tok;
	uint32_t mask = (UINT32_C(1) << spec->bits) - 1;
	uint64_t seed = SIFT_FEATURE_SEED + slot;
	unsigned char buf[8 * SIFT_FEATURES_MAX_NGRAMS];

	if (sift_tokenize(s, len, t))
		return -1;
	if (sift_grow(&v->hash, &v->hash_cap, t->n, sizeof *v->hash, 256))
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		v->hash[i] = XXH3_64bits_withSeed(t->buf + t->off[i], t->len[i],
						  seed);
		if (push(v, (uint32_t)v->hash[i] & mask, 1.0f))
			return -1;
		if (spec->char_max &&
		    char_ngrams(spec, slot, t->buf + t->off[i], t->len[i], v))
			return -1;
	}
	for (unsigned n = 2; n <= spec->ngrams; n++) {
		for (size_t i = 0; i + n <= t->n; i++) {
			for (unsigned k = 0; k < n; k++)
				le64(buf + 8 * k, v->hash[i + k]);
			uint64_t h = XXH3_64bits_withSeed(buf, 8 * n,
							  seed + 256u * n);

			if (push(v, (uint32_t)h & mask, 1.0f))
				return -1;
		}
	}
	return 0;
}

uint32_t sift_features_cat_bucket(const struct sift_feat_spec *spec,
				  const char *name, const char *value,
				  size_t len, char **scratch, size_t *size)
{
	size_t nl = strlen(name);
	uint32_t mask = (UINT32_C(1) << spec->bits) - 1;

	if (sift_grow(scratch, size, nl + len + 1, 1, 64))
		return UINT32_MAX;
	memcpy(*scratch, name, nl);
	(*scratch)[nl] = '=';
	memcpy(*scratch + nl + 1, value, len);
	return (uint32_t)XXH3_64bits_withSeed(*scratch, nl + len + 1,
					      SIFT_FEATURE_SEED + 131072) &
	       mask;
}

int sift_features_bind(const struct sift_feat_spec *spec, struct sift_reader *r,
		       size_t **cols, struct sift_error *err)
{
	size_t n = spec->n_text + spec->n_num + spec->n_cat, k = 0;
	size_t *c = malloc((n ? n : 1) * sizeof *c);
	int rc;

	if (!c)
		return sift_error_nomem(err);
	for (size_t i = 0; i < spec->n_text; i++, k++)
		if ((rc = sift_reader_column(r, spec->text[i], &c[k], err)))
			goto fail;
	for (size_t i = 0; i < spec->n_num; i++, k++)
		if ((rc = sift_reader_column(r, spec->num[i], &c[k], err)))
			goto fail;
	for (size_t i = 0; i < spec->n_cat; i++, k++)
		if ((rc = sift_reader_column(r, spec->cat[i], &c[k], err)))
			goto fail;
	*cols = c;
	return 0;
fail:
	free(c);
	return rc;
}

static int numeric(const struct sift_feat_spec *spec, struct sift_reader *r,
		   uint64_t line, size_t k, size_t col, const char *s,
		   size_t len, int raw_num, struct sift_feat_vec *v,
		   struct sift_error *err)
{
	double x;
	float raw;

	if (len == 0) {
		raw = NAN;
	} else if (sift_parse_double(s, len, &x) != 0) {
		return sift_reader_column_error(r, line, col, NULL, s, len,
						"is not a number", err);
	} else {
		raw = (float)x;
	}
	uint32_t idx = (UINT32_C(1) << spec->bits) + (uint32_t)k;

	if (push(v, idx, raw))
		return sift_error_nomem(err);
	if (!raw_num)
		sift_features_standardize(spec, &v->idx[v->n - 1],
					  &v->val[v->n - 1], 1);
	return 0;
}

int sift_features_extract(const struct sift_feat_spec *spec,
			  struct sift_reader *r, uint64_t line,
			  const size_t *cols, int raw_num,
			  struct sift_feat_vec *v, uint64_t *text_hits,
			  struct sift_error *err)
{
	const char *s;
	size_t len, k = 0;
	int rc;

	v->n = 0;
	for (size_t i = 0; i < spec->n_text; i++, k++) {
		if ((rc = sift_reader_field(r, cols[k], &s, &len, err)))
			return rc;
		if (sift_features_text(spec, (unsigned)i, s, len, v))
			return sift_error_nomem(err);
		if (text_hits)
			text_hits[i] += v->tok.n;
	}
	v->n_text = v->n;
	if (v->n) {
		float scale = (float)(1.0 / sqrt((double)v->n));

		for (size_t j = 0; j < v->n; j++)
			v->val[j] = scale;
	}
	for (size_t i = 0; i < spec->n_num; i++, k++) {
		if ((rc = sift_reader_field(r, cols[k], &s, &len, err)))
			return rc;
		if ((rc = numeric(spec, r, line, i, cols[k], s, len, raw_num, v,
				  err)))
			return rc;
	}
	for (size_t i = 0; i < spec->n_cat; i++, k++) {
		uint32_t b;

		if ((rc = sift_reader_field(r, cols[k], &s, &len, err)))
			return rc;
		b = sift_features_cat_bucket(spec, spec->cat[i], s, len,
					     &v->scratch, &v->scratch_size);
		if (b == UINT32_MAX || push(v, b, 1.0f))
			return sift_error_nomem(err);
	}
	return 0;
}

void sift_features_standardize(const struct sift_feat_spec *spec,
			       const uint32_t *idx, float *val, size_t n)
{
	uint32_t base = UINT32_C(1) << spec->bits;

	for (size_t j = 0; j < n; j++) {
		if (idx[j] < base)
			continue;
		size_t k = idx[j] - base;

		if (isnan(val[j]))
			val[j] = 0;
		else
			val[j] = (float)(((double)val[j] - spec->mean[k]) /
					 spec->sd[k]);
	}
}

/* ---- export in the LIBSVM sparse format ---- */

void sift_features_svm_free(struct sift_svm_buf *b)
{
	if (b) {
		free(b->pair);
		b->pair = NULL;
		b->cap = 0;
	}
}

static int pair_cmp(const void *pa, const void *pb)
{
	const struct sift_svm_pair *a = pa, *b = pb;

	return (a->idx > b->idx) - (a->idx < b->idx);
}

int sift_features_write_svm(struct sift_writer *w, long label,
			    const uint32_t *idx, const float *val, size_t n,
			    struct sift_svm_buf *b, struct sift_error *err)
{
	char num[64];
	size_t m = 0;
	int rc;

	if (sift_grow(&b->pair, &b->cap, n, sizeof *b->pair, 64))
		return sift_error_nomem(err);
	for (size_t j = 0; j < n; j++) {
		b->pair[j].idx = idx[j];
		b->pair[j].val = val[j];
	}
	qsort(b->pair, n, sizeof *b->pair, pair_cmp);
	for (size_t j = 0; j < n; j++) /* merge collisions */
		if (m && b->pair[m - 1].idx == b->pair[j].idx)
			b->pair[m - 1].val += b->pair[j].val;
		else
			b->pair[m++] = b->pair[j];
	snprintf(num, sizeof num, "%ld", label);
	if ((rc = sift_writer_puts(w, num, err)))
		return rc;
	for (size_t j = 0; j < m; j++) {
		if (b->pair[j].val == 0)
			continue;
		snprintf(num, sizeof num, " %lu:%.9g",
			 (unsigned long)b->pair[j].idx + 1,
			 (double)b->pair[j].val);
		if ((rc = sift_writer_puts(w, num, err)))
			return rc;
	}
	return sift_writer_puts(w, "\n", err);
}
