/* Unit tests of lib/model_features.c: buckets are the documented XXH3 values,
 * n-grams and numbers land where sift/features.h says. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include <cmocka.h>

#include "sift/features.h"
#include "testutil.h"

static void test_unigram_buckets(void **state)
{
	struct sift_feat_spec s;
	struct sift_feat_vec v;

	(void)state;
	sift_feat_spec_init(&s);
	s.ngrams = 1;
	sift_feat_vec_init(&v);
	assert_int_equal(sift_features_text(&s, 0, "Hi #X", 5, &v), 0);
	assert_int_equal(v.n, 2);
	assert_int_equal(v.idx[0], (uint32_t)XXH3_64bits_withSeed(
					   "hi", 2, SIFT_FEATURE_SEED) &
					   ((1u << 18) - 1));
	assert_int_equal(v.idx[1], (uint32_t)XXH3_64bits_withSeed(
					   "#x", 2, SIFT_FEATURE_SEED) &
					   ((1u << 18) - 1));
	/* Another text column hashes with another seed. */
	v.n = 0;
	assert_int_equal(sift_features_text(&s, 1, "hi", 2, &v), 0);
	assert_int_equal(v.idx[0], (uint32_t)XXH3_64bits_withSeed(
					   "hi", 2, SIFT_FEATURE_SEED + 1) &
					   ((1u << 18) - 1));
	sift_feat_vec_free(&v);
	sift_feat_spec_free(&s);
}

static void test_ngrams_and_chars(void **state)
{
	struct sift_feat_spec s;
	struct sift_feat_vec v;
	unsigned char b[16];
	uint64_t h1 = XXH3_64bits_withSeed("a", 1, SIFT_FEATURE_SEED),
		 h2 = XXH3_64bits_withSeed("b", 1, SIFT_FEATURE_SEED);

	(void)state;
	sift_feat_spec_init(&s);
	s.bits = 16;
	sift_feat_vec_init(&v);
	assert_int_equal(sift_features_text(&s, 0, "a b", 3, &v), 0);
	assert_int_equal(v.n, 2); /* words by default: a, b */
	s.ngrams = 2;
	v.n = 0;
	assert_int_equal(sift_features_text(&s, 0, "a b", 3, &v), 0);
	assert_int_equal(v.n, 3); /* a, b, "a b" */
	for (int i = 0; i < 8; i++) {
		b[i] = (unsigned char)(h1 >> (8 * i));
		b[8 + i] = (unsigned char)(h2 >> (8 * i));
	}
	assert_int_equal(v.idx[2], (uint32_t)XXH3_64bits_withSeed(
					   b, 16, SIFT_FEATURE_SEED + 512) &
					   0xffff);
	/* Character 2..3-grams of "<é>" count code points: <é, é>, <é>. */
	s.ngrams = 1;
	s.char_min = 2;
	s.char_max = 3;
	v.n = 0;
	assert_int_equal(sift_features_text(&s, 0, "\xc3\xa9", 2, &v), 0);
	assert_int_equal(v.n, 1 + 3);
	assert_int_equal(v.idx[3],
			 (uint32_t)XXH3_64bits_withSeed(
				 "\xc3\xa9>", 3, SIFT_FEATURE_SEED + 65536) &
				 0xffff);
	sift_feat_vec_free(&v);
	sift_feat_spec_free(&s);
}

static void test_extract(void **state)
{
	struct sift_error err;
	struct sift_feat_spec s;
	struct sift_feat_vec v;
	const struct sift_record *rec;
	size_t *cols;
	char *path = tmpfile_str("t,x,c\nb a,3,red\n,,\n,zz,\n");
	struct sift_reader *r = sift_reader_open(path, NULL, 0, &err);

	(void)state;
	sift_feat_spec_init(&s);
	s.ngrams = 1;
	assert_int_equal(sift_feat_spec_add(&s, 't', "t", &err), 0);
	assert_int_equal(sift_feat_spec_add(&s, 'n', "x", &err), 0);
	assert_int_equal(sift_feat_spec_add(&s, 'c', "c", &err), 0);
	s.mean[0] = 1;
	s.sd[0] = 2;
	sift_feat_vec_init(&v);
	assert_int_equal(sift_features_bind(&s, r, &cols, &err), 0);
	assert_int_equal(sift_reader_next(r, &rec, &err), 0);
	assert_int_equal(sift_features_extract(&s, r, rec->line, cols, 0, &v,
					       NULL, &err),
			 0);
	assert_int_equal(v.n, 4);
	assert_float_equal(v.val[0], 1 / sqrt(2.0), 1e-7);
	assert_int_equal(v.idx[2], 1u << 18);
	assert_float_equal(v.val[2], 1.0, 0); /* (3 - 1) / 2 */
	char *scratch = NULL;
	size_t size = 0;

	assert_int_equal(v.idx[3], sift_features_cat_bucket(&s, "c", "red", 3,
							    &scratch, &size));
	assert_int_equal(v.idx[3],
			 (uint32_t)XXH3_64bits_withSeed(
				 "c=red", 5, SIFT_FEATURE_SEED + 131072) &
				 ((1u << 18) - 1));
	free(scratch);
	/* Empty: no text, the mean, an empty category. */
	assert_int_equal(sift_reader_next(r, &rec, &err), 0);
	assert_int_equal(sift_features_extract(&s, r, rec->line, cols, 0, &v,
					       NULL, &err),
			 0);
	assert_int_equal(v.n, 2);
	assert_float_equal(v.val[0], 0, 0);
	/* Not a number. */
	assert_int_equal(sift_reader_next(r, &rec, &err), 0);
	assert_int_equal(sift_features_extract(&s, r, rec->line, cols, 0, &v,
					       NULL, &err),
			 SIFT_EDATA);
	assert_non_null(
		strstr(err.msg, ":4: column 'x' (2): 'zz' is not a number"));
	free(cols);
	sift_reader_close(r);
	sift_feat_vec_free(&v);
	sift_feat_spec_free(&s);
	unlink(path);
	free(path);
}

/* The LIBSVM line: 1-based ascending indices, collisions summed, zero
 * sums left out, the label first. */
static void test_write_svm(void **state)
{
	static const uint32_t idx[] = { 9, 2, 9, 0, 5, 5 };
	static const float val[] = { 0.5f, 0.25f, 0.5f, 1.0f, 1.0f, -1.0f };
	struct sift_svm_buf b = { 0 };
	struct sift_error err = { 0, "" };
	char *path = tmpfile_str("");
	struct sift_writer *w = sift_writer_open(path, &err);
	char buf[256] = "";
	FILE *f;

	(void)state;
	assert_non_null(w);
	assert_int_equal(sift_features_write_svm(w, 1, idx, val, 6, &b, &err),
			 0);
	assert_int_equal(sift_features_write_svm(w, -1, idx, val, 0, &b, &err),
			 0);
	assert_int_equal(sift_writer_close(w, &err), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof buf - 1, f) > 0, 1);
	fclose(f);
	assert_string_equal(buf, "1 1:1 3:0.25 10:1\n-1\n");
	sift_features_svm_free(&b);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unigram_buckets),
		cmocka_unit_test(test_ngrams_and_chars),
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_write_svm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
