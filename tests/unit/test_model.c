/* Unit tests of lib/model.c: save then load gives the same model and the
 * same probabilities; every corrupt file is an error with a clear
 * message, never a crash. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "sift/model.h"
#include "sift/rng.h"
#include "testutil.h"

static void make_model(struct sift_model *m, int mlp)
{
	struct sift_error err;
	struct sift_rng rng;

	sift_model_init(m);
	m->spec.bits = 10;
	m->kind = mlp ? SIFT_MODEL_MLP : SIFT_MODEL_LINEAR;
	m->hidden = mlp ? 5 : 0;
	m->label = strdup("label");
	assert_int_equal(sift_feat_spec_add(&m->spec, 't', "text", &err), 0);
	assert_int_equal(sift_feat_spec_add(&m->spec, 'n', "x", &err), 0);
	assert_int_equal(sift_feat_spec_add(&m->spec, 'c', "kind", &err), 0);
	m->spec.mean[0] = 2.5;
	m->spec.sd[0] = 0.125;
	assert_int_equal(sift_model_add_class(m, "no", &err), 0);
	assert_int_equal(sift_model_add_class(m, "yes", &err), 0);
	m->has_threshold = 1;
	m->threshold = 0.3125;
	m->positive = 1;
	assert_int_equal(sift_model_set_option(m, "lr", "0.5", &err), 0);
	assert_int_equal(sift_model_alloc(m, &err), 0);
	sift_rng_seed(&rng, 1);
	for (size_t i = 0; i < m->n_w; i++)
		m->w[i] = (float)(sift_rng_uniform(&rng) - 0.5);
}

static char *saved(const struct sift_model *m)
{
	struct sift_error err;
	char *path = tmpfile_str("");

	assert_int_equal(sift_model_save(m, path, &err), 0);
	return path;
}

static void roundtrip(int mlp)
{
	struct sift_model a, b;
	struct sift_error err;
	const uint32_t idx[] = { 3, 1000, 1024 };
	const float val[] = { 0.5f, 0.5f, -1.0f };
	double pa[2], pb[2], sa[8], sb[8];
	char *path;

	make_model(&a, mlp);
	path = saved(&a);
	assert_int_equal(sift_model_load(path, &b, &err), 0);
	assert_int_equal(b.kind, a.kind);
	assert_int_equal(b.hidden, a.hidden);
	assert_string_equal(b.label, "label");
	assert_string_equal(b.spec.text[0], "text");
	assert_string_equal(b.spec.num[0], "x");
	assert_string_equal(b.spec.cat[0], "kind");
	assert_true(b.spec.mean[0] == 2.5 && b.spec.sd[0] == 0.125);
	assert_string_equal(b.classes[1], "yes");
	assert_true(b.threshold == 0.3125 && b.positive == 1);
	assert_string_equal(b.opt_value[0], "0.5");
	assert_int_equal(b.n_w, a.n_w);
	assert_memory_equal(a.w, b.w, a.n_w * sizeof *a.w);
	sift_model_proba(&a, idx, val, 3, sa, pa);
	sift_model_proba(&b, idx, val, 3, sb, pb);
	assert_memory_equal(pa, pb, sizeof pa);
	sift_model_free(&a);
	sift_model_free(&b);
	unlink(path);
	free(path);
}

static void test_roundtrip_linear(void **state)
{
	(void)state;
	roundtrip(0);
}

static void test_roundtrip_mlp(void **state)
{
	(void)state;
	roundtrip(1);
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = malloc(1 << 20);

	*n = fread(p, 1, 1 << 20, f);
	fclose(f);
	return p;
}

/* A calibrated model is written as format version 2 and reads back with
 * its calibration, which its probabilities go through; one without is
 * still version 1, readable by a sift that knows no calibration. */
static void calibrated(enum sift_cal_kind kind)
{
	static double xs[] = { 0.1, 0.5, 0.9 }, ys[] = { 0, 0.25, 1 };
	struct sift_cal_map map = { -1.5, 0.25, 0, NULL, NULL };
	struct sift_model a, b;
	struct sift_error err;
	const uint32_t idx[] = { 3, 1000 };
	const float val[] = { 0.5f, 0.5f };
	double pa[2], pb[2], raw[2], s[8];
	unsigned char *bytes;
	size_t n;
	char *path;

	make_model(&a, 0);
	path = saved(&a);
	bytes = slurp(path, &n);
	assert_int_equal(bytes[8], 1);
	free(bytes);
	unlink(path);
	free(path);
	if (kind == SIFT_CAL_ISOTONIC) {
		map.n = 3;
		map.x = malloc(sizeof xs);
		map.y = malloc(sizeof ys);
		memcpy(map.x, xs, sizeof xs);
		memcpy(map.y, ys, sizeof ys);
	}
	a.cal.kind = kind;
	a.cal.positive = 1;
	a.cal.temperature = kind == SIFT_CAL_TEMPERATURE ? 0.75 : 1;
	if (kind != SIFT_CAL_TEMPERATURE) {
		a.cal.n_maps = 1;
		a.cal.map = malloc(sizeof map);
		a.cal.map[0] = map;
	}
	path = saved(&a);
	bytes = slurp(path, &n);
	assert_int_equal(bytes[8], 2);
	free(bytes);
	assert_int_equal(sift_model_load(path, &b, &err), 0);
	assert_int_equal(b.cal.kind, kind);
	assert_int_equal(b.cal.n_maps, a.cal.n_maps);
	assert_true(b.cal.temperature == a.cal.temperature);
	if (kind == SIFT_CAL_ISOTONIC) {
		assert_int_equal(b.cal.map[0].n, 3);
		assert_memory_equal(b.cal.map[0].y, ys, sizeof ys);
	}
	sift_model_proba(&a, idx, val, 2, s, pa);
	sift_model_proba(&b, idx, val, 2, s, pb);
	sift_model_proba_raw(&b, idx, val, 2, s, raw);
	assert_memory_equal(pa, pb, sizeof pa);
	sift_calibration_apply(&b.cal, raw, 2);
	assert_memory_equal(raw, pb, sizeof pb);
	sift_model_free(&a);
	sift_model_free(&b);
	unlink(path);
	free(path);
}

static void test_calibrated(void **state)
{
	(void)state;
	calibrated(SIFT_CAL_PLATT);
	calibrated(SIFT_CAL_ISOTONIC);
	calibrated(SIFT_CAL_TEMPERATURE);
}

/* Load bytes p[0..n) and expect an error whose message has want. */
static void expect_error(const unsigned char *p, size_t n, const char *want)
{
	struct sift_model m;
	struct sift_error err;
	char *path = tmpfile_with(p, n);

	assert_int_equal(sift_model_load(path, &m, &err), SIFT_EDATA);
	if (!strstr(err.msg, want))
		fail_msg("'%s' lacks '%s'", err.msg, want);
	sift_model_free(&m);
	unlink(path);
	free(path);
}

static void put32(unsigned char *p, uint32_t x)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(x >> (8 * i));
}

static void test_corrupt(void **state)
{
	struct sift_model m;
	size_t n;
	unsigned char *p, *q;
	char *path;

	(void)state;
	make_model(&m, 0);
	path = saved(&m);
	p = slurp(path, &n);
	q = malloc(n + 1);
	/* Truncated at every length of the header, and inside the data. */
	for (size_t k = 8; k < n; k += (k < 64 ? 1 : 97))
		expect_error(p, k, "truncated model");
	expect_error(p, 0, "not a sift model");
	expect_error(p, 5, "not a sift model");
	/* A flipped byte anywhere in the payload: the checksum. */
	for (size_t k = 40; k < n; k += 13) {
		memcpy(q, p, n);
		q[k] ^= 0x20;
		expect_error(q, n, "corrupted model (checksum mismatch)");
	}
	/* A flipped byte in the header. */
	memcpy(q, p, n);
	q[20] ^= 1;
	expect_error(q, n, "header checksum mismatch");
	/* Foreign magic. */
	memcpy(q, p, n);
	memcpy(q, "GIF89a..", 8);
	expect_error(q, n, "not a sift model");
	/* A newer version, with a valid header checksum or not: it may
	 * lay out its header anew. */
	memcpy(q, p, n);
	put32(q + 8, 3);
	expect_error(q, n, "model format version 3 is newer");
	put32(q + 36, (uint32_t)crc32(crc32(0, NULL, 0), q, 36));
	expect_error(q, n, "model format version 3 is newer");
	/* A version 1 payload called 2: its weights are no calibration. */
	memcpy(q, p, n);
	put32(q + 8, 2);
	put32(q + 36, (uint32_t)crc32(crc32(0, NULL, 0), q, 36));
	expect_error(q, n, "corrupted model (bad calibration)");
	/* Trailing bytes. */
	memcpy(q, p, n);
	q[n] = 0;
	expect_error(q, n + 1, "trailing bytes");
	free(p);
	free(q);
	unlink(path);
	free(path);
	sift_model_free(&m);
}

/* A payload with valid checksums but forged contents: a short one. */
static void test_forged_payload(void **state)
{
	unsigned char file[40 + 64], raw[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	uLongf nz = 64;

	(void)state;
	assert_int_equal(compress2(file + 40, &nz, raw, 8, 6), Z_OK);
	memcpy(file, "SIFTMODL", 8);
	put32(file + 8, 1);
	put32(file + 12, 0);
	put32(file + 16, 8);
	put32(file + 20, 0);
	put32(file + 24, (uint32_t)nz);
	put32(file + 28, 0);
	put32(file + 32,
	      (uint32_t)crc32(crc32(0, NULL, 0), file + 40, (uInt)nz));
	put32(file + 36, (uint32_t)crc32(crc32(0, NULL, 0), file, 36));
	expect_error(file, 40 + nz, "corrupted model (bad");
}

/* The uncompressed size may be at most 1100 times the compressed one
 * plus 4096 (zlib expands no more than about 1032:1): at the limit the
 * size passes and the stream is judged, one byte past it is refused. */
static void test_payload_ratio(void **state)
{
	unsigned char file[40 + 64], raw[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	uLongf nz = 64;

	(void)state;
	assert_int_equal(compress2(file + 40, &nz, raw, 8, 6), Z_OK);
	memcpy(file, "SIFTMODL", 8);
	put32(file + 8, 1);
	put32(file + 12, 0);
	put32(file + 20, 0);
	put32(file + 24, (uint32_t)nz);
	put32(file + 28, 0);
	put32(file + 32,
	      (uint32_t)crc32(crc32(0, NULL, 0), file + 40, (uInt)nz));
	put32(file + 16, (uint32_t)(nz * 1100 + 4096));
	put32(file + 36, (uint32_t)crc32(crc32(0, NULL, 0), file, 36));
	expect_error(file, 40 + nz, "the compressed payload does not decode");
	put32(file + 16, (uint32_t)(nz * 1100 + 4097));
	put32(file + 36, (uint32_t)crc32(crc32(0, NULL, 0), file, 36));
	expect_error(file, 40 + nz, "implausible payload size");
}

static void test_missing_file(void **state)
{
	struct sift_model m;
	struct sift_error err;

	(void)state;
	assert_int_equal(sift_model_load("/nonexistent/m", &m, &err), SIFT_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent/m: cannot open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_linear),
		cmocka_unit_test(test_roundtrip_mlp),
		cmocka_unit_test(test_calibrated),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_forged_payload),
		cmocka_unit_test(test_payload_ratio),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
