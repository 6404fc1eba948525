/*
 * fuzz_reader: sift_reader on arbitrary bytes (plain, or gzip when they
 * start with its magic): every record and every field, with a header and
 * without, comma and tab, CSV quoting and none (TSV); then
 * sift_reader_skip mixed with reads, and a rewind. Any input must end in
 * records or a clean error. The first byte picks the delimiter, the
 * header, the skip count and the quoting; the rest is the CSV.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "sift/reader.h"

/* Read everything; every skip-th record is skipped in a run of skip. */
static void read_all(const char *path, char delim, enum sift_quoting quoting,
		     int header, unsigned skip)
{
	struct sift_csv_opts o;
	struct sift_error err;
	struct sift_reader *r;
	const struct sift_record *rec;
	size_t col;

	sift_csv_opts_init(&o);
	o.delim = delim;
	o.quoting = quoting;
	o.header = header;
	if (!(r = sift_reader_open(path, &o, skip ? 0 : SIFT_READER_REWIND,
				   &err)))
		return;
	(void)sift_reader_column(r, "a", &col, &err);
	(void)sift_reader_column(r, "2", &col, &err);
	for (int pass = 0; pass < (skip ? 1 : 2); pass++) {
		for (uint64_t k = 0;; k++) {
			uint64_t got;

			if (skip && k % 3 == 1) {
				if (sift_reader_skip(r, skip, &got, &err) ||
				    got < skip)
					break;
				continue;
			}
			if (sift_reader_next(r, &rec, &err) || !rec)
				break;
			for (size_t i = 0; i < sift_reader_ncols(r); i++) {
				const char *s;
				size_t len;

				if (sift_reader_field(r, i, &s, &len, &err))
					break;
				/* Touch every byte, for ASan. */
				for (size_t j = 0; j < len; j++)
					if (s[j] == 0x7f)
						col = j;
				(void)sift_reader_colname(r, i);
			}
			if (rec->len && rec->raw[rec->len - 1] == 0x7f)
				col = 0;
		}
		if (!skip && sift_reader_rewind(r, &err))
			break;
	}
	(void)sift_reader_count(r);
	(void)sift_reader_bytes(r);
	sift_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Each open writes a file and allocates the reader's buffers: one
	 * combination of options per input runs several times faster than
	 * all of them. */
	unsigned mode = size ? data[0] : 0;
	const char *path =
		fuzz_write("in.csv", data + (size > 0), size ? size - 1 : 0);
	char delim = mode & 1 ? '\t' : ',';
	int header = !(mode & 2);
	enum sift_quoting quoting =
		mode & 16 ? SIFT_QUOTING_NONE : SIFT_QUOTING_CSV;

	read_all(path, delim, quoting, header, 0);
	read_all(path, delim, quoting, header, (mode >> 2) % 4 + 1);
	return 0;
}
