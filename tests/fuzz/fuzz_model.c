/*
 * fuzz_model: sift_model_load on the input, then (if it loads) a
 * prediction on a fixed record and a save/load round trip, which must
 * succeed. The first byte picks the mode:
 *
 *   even: the rest is a model file as it is;
 *   odd:  the rest is the uncompressed payload; the fuzzer wraps it in a
 *         valid header (compressed, sizes and CRCs right), so that the
 *         mutations reach the field decoder instead of dying at the
 *         checksums: of format version 2 (a calibration after the
 *         options) when bit 1 is set too, else 1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz.h"
#include "sift/features.h"
#include "sift/model.h"

static void le(unsigned char *o, uint64_t x, int bytes)
{
	for (int i = 0; i < bytes; i++)
		o[i] = (unsigned char)(x >> (8 * i));
}

/* A model file around payload p[0..n): 40-byte header + zlib stream. */
static unsigned char *wrap(const uint8_t *p, size_t n, uint32_t version,
			   size_t *out)
{
	uLongf nz = compressBound((uLong)n);
	unsigned char *f = malloc(40 + nz);

	if (!f || compress2(f + 40, &nz, p, (uLong)n, 6) != Z_OK)
		abort();
	memcpy(f, SIFT_MODEL_MAGIC, 8);
	le(f + 8, version, 4);
	le(f + 12, 0, 4);
	le(f + 16, n, 8);
	le(f + 24, nz, 8);
	le(f + 32, crc32(crc32(0, NULL, 0), f + 40, (uInt)nz), 4);
	le(f + 36, crc32(crc32(0, NULL, 0), f, 36), 4);
	*out = 40 + nz;
	return f;
}

/* Features of a fixed record, as sift predict would make them. */
static void predict(const struct sift_model *m)
{
	static const char text[] = "BREAKING: the vaccine is a hoax #truth "
				   "caf\xc3\xa9 \xf0\x9f\x98\x80";
	struct sift_feat_vec v;
	double *scratch = calloc(sift_model_scratch(m) + 1, sizeof *scratch);
	double *p = calloc(m->n_classes, sizeof *p);
	char *buf = NULL;
	size_t size = 0, n, cap;
	uint32_t *idx;
	float *val;

	sift_feat_vec_init(&v);
	for (unsigned s = 0; s < m->spec.n_text; s++)
		if (sift_features_text(&m->spec, s, text, sizeof text - 1, &v))
			abort();
	cap = v.n + m->spec.n_cat + m->spec.n_num + 1;
	idx = calloc(cap, sizeof *idx);
	val = calloc(cap, sizeof *val);
	if (!scratch || !p || !idx || !val)
		abort();
	for (n = 0; n < v.n; n++) {
		idx[n] = v.idx[n];
		val[n] = 0.25f;
	}
	for (size_t c = 0; c < m->spec.n_cat; c++) {
		idx[n] = sift_features_cat_bucket(&m->spec, m->spec.cat[c], "x",
						  1, &buf, &size);
		val[n++] = 1;
	}
	for (size_t k = 0; k < m->spec.n_num; k++) {
		idx[n] = (1u << m->spec.bits) + (uint32_t)k;
		val[n++] = 3;
	}
	sift_features_standardize(&m->spec, idx, val, n);
	for (size_t i = 0; i < n; i++)
		if (idx[i] >= m->dim)
			abort();
	sift_model_proba(m, idx, val, n, scratch, p);
	if (sift_model_decide(m, p, -1) >= m->n_classes ||
	    sift_model_decide(m, p, 0.5) >= m->n_classes)
		abort();
	free(idx);
	free(val);
	free(buf);
	free(scratch);
	free(p);
	sift_feat_vec_free(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sift_model m, m2;
	struct sift_error err;
	unsigned char *file = NULL;
	size_t n = size ? size - 1 : 0;
	const char *path, *saved;

	if (size && (data[0] & 1))
		file = wrap(data + 1, n, data[0] & 2 ? 2 : 1, &n);
	path = fuzz_write("in.model", file ? file : data + (size > 0), n);
	free(file);
	if (sift_model_load(path, &m, &err))
		return 0;
	predict(&m);
	saved = fuzz_write("out.model", NULL, 0);
	if (sift_model_save(&m, saved, &err) ||
	    sift_model_load(saved, &m2, &err))
		abort();
	if (m2.n_w != m.n_w || memcmp(m2.w, m.w, m.n_w * sizeof *m.w))
		abort();
	sift_model_free(&m2);
	sift_model_free(&m);
	return 0;
}
