/*
 * fuzz_colexpr: the column of a command's option (sift/colexpr.h): the
 * input's first line is a spec, opened alone (sift_colexpr_open, as
 * --key takes one) and as a list (sift_colexpr_list, as --by takes
 * several), then computed with sift_colexpr_get and sift_colexpr_join
 * on fixed records: times with and without zones, numbers, URLs, empty
 * and non-UTF-8 fields. The rest of the input, if any, is more records
 * after the fixed ones.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sift/colexpr.h"
#include "sift/reader.h"

static const char fixed[] =
	"id,created_at,user,followers,url,text,first name\n"
	"1,2023-05-17T13:04:59Z,alice,12,https://Example.COM:8080/a?b,"
	"BREAKING: a hoax #truth,Ann\n"
	"2,2023-05-18 08:00:00+02:00,bob,250000,bob@mail.example.org,"
	"\"fact check, debunked\",\n"
	"3,20230601T0100-0230,,-1e3,,\"two\nlines \"\"quoted\"\"\",Bo\n"
	"4,soon,dave,1e400,no url,caf\xc3\xa9 \xf0\x9f\x98\x80 \xff\xfe,x\r\n"
	"5,,,,,,\n"
	"6,1969-12-31T23:59:59.999+14:00,e,nan,//,"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!,y\n";

static void compute(struct sift_reader *r, struct sift_colexpr *one,
		    struct sift_colexpr **list, size_t n)
{
	const struct sift_record *rec;
	struct sift_error err;
	char *buf = NULL;
	size_t cap = 0;

	while (!sift_reader_next(r, &rec, &err) && rec) {
		const char *s;
		size_t len, col;

		if (one && !sift_colexpr_get(r, rec, one, &s, &len, &err))
			for (size_t j = 0; j < len;
			     j++) /* every byte, for ASan */
				if (s[j] == 0x7f)
					col = j;
		/* A second call on the same record gives the kept value. */
		if (one)
			(void)sift_colexpr_get(r, rec, one, &s, &len, &err);
		if (list &&
		    !sift_colexpr_join(r, rec, list, n, &buf, &cap, &len,
				       &err) &&
		    len && buf[len - 1] == 0x7f)
			col = 0;
		for (size_t k = 0; k < n; k++)
			if (!sift_colexpr_column(list[k], &col))
				(void)sift_colexpr_get(r, rec, list[k], &s,
						       &len, &err);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t head = nl ? (size_t)(nl - data) : size;
	size_t rest = nl ? size - head - 1 : 0;
	uint8_t *csv = malloc(sizeof fixed - 1 + rest);
	char *spec = malloc(head + 1);
	struct sift_colexpr *one = NULL, **list = NULL;
	struct sift_error err;
	struct sift_reader *r;
	size_t n = 0;

	if (!csv || !spec)
		abort();
	memcpy(spec, data, head);
	spec[head] = '\0';
	memcpy(csv, fixed, sizeof fixed - 1);
	if (rest)
		memcpy(csv + sizeof fixed - 1, nl + 1, rest);
	r = sift_reader_open(
		fuzz_write("colexpr.csv", csv, sizeof fixed - 1 + rest), NULL,
		0, &err);
	free(csv);
	if (!r)
		abort(); /* the fixed header is valid */
	if (sift_colexpr_open(r, spec, "--key", &one, &err))
		one = NULL;
	else
		(void)sift_colexpr_text(one);
	if (sift_colexpr_list(r, spec, "--by", &list, &n, &err)) {
		list = NULL;
		n = 0;
	}
	if (one || list)
		compute(r, one, list, n);
	sift_colexpr_free(one);
	sift_colexpr_list_free(list, n);
	sift_reader_close(r);
	free(spec);
	return 0;
}
