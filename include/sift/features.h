/*
 * sift/features.h - records to sparse feature vectors, by the hashing
 * trick (Weinberger et al. 2009), exactly reproducible by sift predict.
 *
 * A record's features are (index, value) pairs over a space of
 * 2^bits hashed buckets followed by one slot per numeric column:
 *
 *   text column s (0-based among --text): each token t gives bucket
 *     XXH3_64(t, SEED + s) mod 2^bits; each word n-gram (2 <= n <= ngrams)
 *     gives XXH3_64(LE64(h1) .. LE64(hn), SEED + s + 256 n), h the tokens'
 *     64-bit hashes; each character n-gram (char_min..char_max code points
 *     of "<token>") gives XXH3_64(bytes, SEED + s + 65536). All the text
 *     entries of a record have the value 1/sqrt(m), m their number, so a
 *     long text does not outweigh a short one (unit L2 norm when no two
 *     collide).
 *   categorical column c: "NAME=VALUE" gives XXH3_64(bytes, SEED + 131072),
 *     value 1.
 *   numeric column k: slot 2^bits + k, value (x - mean_k) / sd_k, the
 *     training mean and standard deviation; an empty field is 0 (the mean).
 *
 * SEED is SIFT_FEATURE_SEED; XXH3_64 is xxHash's XXH3_64bits_withSeed,
 * stable across machines and versions; LE64 is the 8 little-endian bytes.
 */
#ifndef SIFT_FEATURES_H
#define SIFT_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"
#include "sift/reader.h"
#include "sift/tokenize.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIFT_FEATURE_SEED      UINT64_C(0x5349465446454154) /* "SIFTFEAT" */
#define SIFT_FEATURES_MAX_BITS 28
/* Text column s hashes with seed + s, below the n-grams' seed + 256 n:
 * 255 text columns at most. Numeric and categorical columns: as many as
 * a model file holds. */
#define SIFT_FEATURES_MAX_TEXT    255
#define SIFT_FEATURES_MAX_COLUMNS (1u << 20)
#define SIFT_FEATURES_MAX_NGRAMS  8
#define SIFT_FEATURES_MAX_CHAR    16

/* What a model needs to make a record's features. Names are owned
 * (malloc'ed) by the spec. */
struct sift_feat_spec {
	unsigned bits;               /* 2^bits buckets, 1..28 */
	unsigned ngrams;             /* word n-grams 1..ngrams (1: words) */
	unsigned char_min, char_max; /* code points; 0 0: none */
	size_t n_text, n_num, n_cat;
	char **text, **num, **cat; /* column names */
	double *mean, *sd;         /* n_num each */
};

/* Defaults: bits 18, ngrams 1, no character n-grams, no columns. */
void sift_feat_spec_init(struct sift_feat_spec *spec);

/* Free the names and arrays; spec may be NULL. */
void sift_feat_spec_free(struct sift_feat_spec *spec);

/* Add a column of a kind ('t', 'n' or 'c'); copies name. Returns 0 or
 * SIFT_ENOMEM. mean/sd of a numeric column start at 0 and 1. */
int sift_feat_spec_add(struct sift_feat_spec *spec, int kind, const char *name,
		       struct sift_error *err);

/* The dimension: 2^bits + n_num. */
uint32_t sift_feat_dim(const struct sift_feat_spec *spec);

/* One record's features; reused from record to record. */
struct sift_feat_vec {
	uint32_t *idx;
	float *val;
	size_t n, cap;
	size_t n_text; /* text entries among them */
	struct sift_tokens tok;
	uint64_t *hash;
	size_t hash_cap;
	char *scratch;
	size_t scratch_size;
};

void sift_feat_vec_init(struct sift_feat_vec *v);
void sift_feat_vec_free(struct sift_feat_vec *v);

/* The columns of spec in reader r: cols gets n_text + n_num + n_cat
 * indices in that order (malloc'ed, owned by the caller). Errors name a
 * missing column. */
int sift_features_bind(const struct sift_feat_spec *spec, struct sift_reader *r,
		       size_t **cols, struct sift_error *err);

/* The features of the reader's current record (which starts on line,
 * for messages) into v (replacing what
 * it held). raw_num: 1 leaves numeric values unstandardized, an empty
 * field NaN (training computes the mean and sd from them, then calls
 * sift_features_standardize); 0 standardizes with spec's mean and sd.
 * text_hits, if not NULL, has n_text counters incremented by the tokens
 * each text column gave. Errors: a numeric field that is not a number
 * (SIFT_EDATA, naming file, line and column), SIFT_ENOMEM. */
int sift_features_extract(const struct sift_feat_spec *spec,
			  struct sift_reader *r, uint64_t line,
			  const size_t *cols, int raw_num,
			  struct sift_feat_vec *v, uint64_t *text_hits,
			  struct sift_error *err);

/* Append the features of one text (column slot) to v, value 1 each;
 * sift_features_extract then scales them. Returns 0 or -1 (memory). */
int sift_features_text(const struct sift_feat_spec *spec, unsigned slot,
		       const char *s, size_t len, struct sift_feat_vec *v);

/* The bucket of a categorical value "name=value". */
uint32_t sift_features_cat_bucket(const struct sift_feat_spec *spec,
				  const char *name, const char *value,
				  size_t len, char **scratch, size_t *size);

/* z = (x - mean) / sd for the numeric entries (index >= 2^bits) of
 * n entries, NaN to 0. */
void sift_features_standardize(const struct sift_feat_spec *spec,
			       const uint32_t *idx, float *val, size_t n);

/* Scratch for sift_features_write_svm, reused from line to line; zero it
 * before the first use, free it with sift_features_svm_free. */
struct sift_svm_buf {
	struct sift_svm_pair {
		uint32_t idx;
		float val;
	} * pair;
	size_t cap;
};

void sift_features_svm_free(struct sift_svm_buf *b);

/* Write one record's features as a line of the LIBSVM/liblinear sparse
 * format, "LABEL i:v i:v ...\n": indices 1-based (feature j is j + 1),
 * strictly ascending, the values of colliding entries summed, entries
 * that sum to 0 left out, values printed with %.9g (exact for a float).
 * So liblinear and other tools see exactly the features sift's models
 * see. Returns 0, SIFT_ENOMEM or the writer's error. */
int sift_features_write_svm(struct sift_writer *w, long label,
			    const uint32_t *idx, const float *val, size_t n,
			    struct sift_svm_buf *b, struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
