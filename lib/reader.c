/*
 * lib/reader.c - records from a CSV or TSV stream (see sift/reader.h).
 *
 * The buffer holds the decompressed input from the start of the record
 * being read to the end of what has been read so far, followed by
 * SCAN_BLOCK zero bytes so that a block can always be loaded whole. It is
 * scanned in 64-byte blocks (lib/reader_scan.c); each block yields the bit
 * masks of the newlines that end records and of the delimiters outside quotes,
 * and is checked for misplaced quotes, all with word-wide operations.
 * Skipping passes over whole blocks with scan_skip. For a regular file a
 * thread reads ahead (lib/reader_readahead.c) and the buffer is then the chunk
 * it read, with the record begun put in the room before it. A record's
 * fields are split in lib/reader_fields.c.
 *
 * The invariant between calls: rec_start <= scan_pos; every byte before
 * scan_pos has been classified; the block at scan_pos, if have_block, has
 * its record ends before `done` already consumed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "sift/file.h"
#include "sift/mem.h"
#include "reader_readahead.h"
#include "reader_gzip.h"
#include "reader_impl.h"

#define READ_CHUNK ((size_t)1 << 20)
/* The reader's own buffer at first. */
#define READ_START ((size_t)64 << 10)
/* Room before each chunk read ahead for the part of a record the chunk
 * before cut off; a longer record is gathered in the reader's own
 * buffer. */
#define READ_ROOM ((size_t)256 << 10)

void sift_csv_opts_init(struct sift_csv_opts *opts)
{
	opts->delim = ',';
	opts->quoting = SIFT_QUOTING_CSV;
	opts->header = 1;
	opts->max_record = SIFT_MAX_RECORD;
}

/* ---- reading ---------------------------------------------------------- */

static int read_error(struct sift_reader *r, struct sift_error *err)
{
	if (!r->failure[0])
		reader_gz_error(r->gz, r->failure, sizeof r->failure);
	return sift_error_set(err, SIFT_EDATA, "%s: read error: %s", r->name,
			      r->failure);
}

static int spool_write(struct sift_reader *r, const void *p, size_t n,
		       struct sift_error *err)
{
	if (fwrite(p, 1, n, r->spool) != n)
		return sift_error_set(err, SIFT_EIO,
				      "%s: cannot spool input to a temporary "
				      "file: %s",
				      r->name, strerror(errno));
	return 0;
}

/* A record longer than opts.max_record is refused, however it is read
 * (keep: its bytes so far). */
static int too_long(const struct sift_reader *r, size_t keep,
		    struct sift_error *err)
{
	size_t max = r->opts.max_record;
	/* Without quotes only a line that long can make a record so. */
	const char *why = r->quotes ? " (an unterminated quote?)" : "";

	if (keep <= max)
		return 0;
	if (max % ((size_t)1 << 20) == 0)
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: record longer than %zu MiB%s",
				      r->name, (unsigned long long)r->rec_line,
				      max >> 20, why);
	return sift_error_set(
		err, SIFT_EDATA, "%s:%llu: record longer than %zu bytes%s",
		r->name, (unsigned long long)r->rec_line, max, why);
}

/* Make room and read more input after buf[len], in the reader's own
 * buffer. */
static int fill_read(struct sift_reader *r, struct sift_error *err)
{
	size_t keep = r->len - r->rec_start;
	int rc = too_long(r, keep, err);

	if (rc)
		return rc;
	if (r->rec_start > 0) {
		memmove(r->buf, r->buf + r->rec_start, keep);
		r->scan_pos -= r->rec_start;
		r->shifted += r->rec_start;
		r->len = keep;
		r->rec_start = 0;
	}
	if (r->cap - r->len - SCAN_BLOCK < READ_CHUNK) {
		if (sift_grow(&r->own, &r->cap, r->cap + 1, 1, r->cap))
			return sift_error_nomem(err);
		r->buf = r->own;
	}
	size_t want = r->cap - r->len - SCAN_BLOCK;
	if (want > INT_MAX)
		want = INT_MAX;
	long n = reader_gz_read(r->gz, r->buf + r->len, want);
	if (n < 0)
		return read_error(r, err);
	if (n == 0)
		r->eof = 1;
	if (n > 0 && r->spool) {
		rc = spool_write(r, r->buf + r->len, (size_t)n, err);
		if (rc)
			return rc;
	}
	r->len += (size_t)n;
	memset(r->buf + r->len, 0, SCAN_BLOCK);
	return 0;
}

/* Gather keep bytes from `from` and a chunk's data in the reader's own
 * buffer (for a record longer than a chunk's room). */
static int gather(struct sift_reader *r, const unsigned char *from, size_t keep,
		  const struct readahead_chunk *c, struct sift_error *err)
{
	size_t need = keep + c->len + SCAN_BLOCK;
	int rc = too_long(r, keep, err);

	if (rc)
		return rc;
	if (need > r->cap) {
		size_t cap = r->cap;
		unsigned char *buf;

		while (cap < need)
			cap *= 2;
		if (from == r->own + r->rec_start) {
			buf = realloc(r->own, cap);
			if (buf)
				from = buf + r->rec_start;
		} else {
			buf = malloc(cap);
			if (buf)
				free(r->own);
		}
		if (!buf)
			return sift_error_nomem(err);
		r->own = buf;
		r->cap = cap;
	}
	memmove(r->own, from, keep);
	memcpy(r->own + keep, c->data, c->len);
	memset(r->own + keep + c->len, 0, SCAN_BLOCK);
	r->buf = r->own;
	return 0;
}

/* Take the next chunk read ahead. The record begun (keep bytes) goes
 * into the room before the chunk's data, which then is the buffer. */
static int fill_ahead(struct sift_reader *r, struct sift_error *err)
{
	size_t keep = r->len - r->rec_start;
	struct readahead_chunk *c;
	size_t got;
	int rc = 0;

	if (r->eof)
		return 0;
	c = readahead_take(r->ra);
	got = c->len;
	r->progress.in_bytes = c->offset;
	if (c->error) {
		snprintf(r->failure, sizeof r->failure, "%s", c->error);
		rc = read_error(r, err);
	} else if (c->len == 0) {
		r->eof = 1; /* buf[len] on is zero already */
	} else if (keep <= c->room) {
		memcpy(c->data - keep, r->buf + r->rec_start, keep);
		if (r->chunk)
			readahead_give(r->ra, r->chunk);
		r->chunk = c;
		r->buf = c->data - keep;
	} else {
		rc = gather(r, r->buf + r->rec_start, keep, c, err);
		if (!rc && r->chunk) {
			readahead_give(r->ra, r->chunk);
			r->chunk = NULL;
		}
	}
	if (c != r->chunk)
		readahead_give(r->ra, c);
	if (rc || r->eof)
		return rc;
	r->scan_pos -= r->rec_start;
	r->shifted += r->rec_start;
	r->len = keep + got;
	r->rec_start = 0;
	return 0;
}

/* Tell the caller's progress callback how far the input is read: once
 * a buffer is filled (a MiB or so), which costs nothing per record. */
static void report_progress(struct sift_reader *r)
{
	r->progress.bytes = r->shifted + r->len;
	if (!r->ra)
		r->progress.in_bytes = reader_gz_offset(r->gz);
	r->progress.records = r->n_records;
	r->progress_fn(r->progress_ctx, &r->progress);
}

/* Read more input. An error sticks: every later call returns it, so
 * that no input is lost or read twice after one. */
static int fill(struct sift_reader *r, struct sift_error *err)
{
	if (!r->stuck)
		r->stuck = r->ra ? fill_ahead(r, &r->stuck_err)
				 : fill_read(r, &r->stuck_err);
	if (r->stuck && err)
		*err = r->stuck_err;
	if (!r->stuck && r->progress_fn)
		report_progress(r);
	return r->stuck;
}

/* Start reading ahead, where the input is a regular file: a thread
 * could not be stopped while blocked reading a pipe. Without a thread
 * the reader reads for itself, as it does a file of a chunk or less,
 * which a thread would not speed up (its ring of chunks would cost more
 * than the reading). */
static void start_reading(struct sift_reader *r)
{
	r->buf = r->own;
	r->chunk = NULL;
	if (r->seekable && !r->spool && r->progress.in_total > READ_CHUNK)
		r->ra = readahead_start(r->gz, READ_ROOM, READ_CHUNK);
}

static void stop_reading(struct sift_reader *r)
{
	readahead_stop(r->ra);
	r->ra = NULL;
	r->chunk = NULL;
	r->buf = r->own;
}

/* ---- scanning --------------------------------------------------------- */

static inline unsigned popcount(uint64_t x)
{
	return scan_popcount(x);
}

static unsigned ctz(uint64_t x)
{
	return (unsigned)__builtin_ctzll(x);
}

/* The byte column (1-based) of buf[at] in the record at rec_start: the
 * record starts a line, and a quoted field may hold newlines. Only errors
 * need it, so it is searched for rather than kept. */
static uint64_t column(const struct sift_reader *r, size_t at)
{
	size_t i = at;

	while (i > r->rec_start && r->buf[i - 1] != '\n')
		i--;
	return (uint64_t)(at - i) + 1;
}

/* Line and byte column (both 1-based) of bit b of the current block. */
static void position(const struct sift_reader *r, uint64_t nl, unsigned b,
		     uint64_t *line, uint64_t *col)
{
	*line = r->block_line + (uint64_t)popcount(nl & scan_below(b));
	*col = column(r, r->scan_pos + b);
}

static int close_error(const struct sift_reader *r, uint64_t line, uint64_t col,
		       struct sift_error *err)
{
	return sift_error_set(err, SIFT_EDATA,
			      "%s:%llu:%llu: unexpected character after a "
			      "closing quote",
			      r->name, (unsigned long long)line,
			      (unsigned long long)col);
}

/* A CR outside quotes that no LF follows, at line and col: lone-CR line
 * ends (which would otherwise read as a single line), or a CR in an
 * unquoted field. */
static int lone_cr_error(const struct sift_reader *r, uint64_t line,
			 uint64_t col, struct sift_error *err)
{
	return sift_error_set(err, SIFT_EDATA,
			      "%s:%llu:%llu: a carriage return without a line "
			      "feed after it (lone-CR line ends, as old Mac "
			      "programs write, read after tr '\\r' '\\n'; in "
			      "a field, a CR must be quoted)",
			      r->name, (unsigned long long)line,
			      (unsigned long long)col);
}

/* The error of a byte out of place at buf[at]: a CR without a LF after
 * it, or a byte after a closing quote (a CR there included). */
static int misplaced_error(const struct sift_reader *r, size_t at,
			   uint64_t line, uint64_t col, struct sift_error *err)
{
	if (r->buf[at] == '\r' && !(at > r->rec_start && r->buf[at - 1] == '"'))
		return lone_cr_error(r, line, col, err);
	return close_error(r, line, col, err);
}

static int quote_error(struct sift_reader *r, uint64_t nl, unsigned b,
		       int opener, struct sift_error *err)
{
	size_t at = r->scan_pos + b;
	uint64_t line, col;

	position(r, nl, b, &line, &col);
	if (opener)
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu:%llu: quote inside an unquoted "
				      "field (a field with quotes must be "
				      "quoted whole, quotes doubled)",
				      r->name, (unsigned long long)line,
				      (unsigned long long)col);
	/* A CR that ended the block before is found on the byte after it;
	 * the CR is what is out of place. */
	if (b == 0 && r->scan_pos > r->rec_start &&
	    r->buf[r->scan_pos - 1] == '\r') {
		at--;
		col--;
	}
	return misplaced_error(r, at, line, col, err);
}

/* Scan a batch of blocks from scan_pos: as many whole blocks as the
 * buffer holds (up to max), and at the end of input the last, partial
 * one. */
static void scan_batch(struct sift_reader *r, size_t max)
{
	size_t avail = r->len - r->scan_pos;
	size_t n = avail / SCAN_BLOCK;
	unsigned valid_last = SCAN_BLOCK;

	if (n > max)
		n = max;
	else if (r->eof && avail % SCAN_BLOCK) {
		n++;
		valid_last = (unsigned)(avail % SCAN_BLOCK);
	}
	scan_blocks(r->buf + r->scan_pos, n, valid_last,
		    (unsigned char)r->opts.delim, r->quotes, &r->carry,
		    r->batch);
	r->batch_n = n;
	r->batch_i = 0;
}

/* Make the block at scan_pos current: its record ends, and its quotes
 * checked. */
static void classify(struct sift_reader *r)
{
	const struct scan_result *m;

	if (r->batch_i == r->batch_n) {
		scan_batch(r, r->batch_max);
		if (r->batch_max < SCAN_BATCH)
			r->batch_max *= 2;
	}
	m = &r->batch[r->batch_i++];
	/* A misplaced quote is reported when the record holding it is
	 * reached, so that the records before it are read normally. */
	r->bad_bit = SCAN_BLOCK;
	if (m->bad_open | m->bad_close) {
		unsigned bo = m->bad_open ? ctz(m->bad_open) : 64;
		unsigned bc = m->bad_close ? ctz(m->bad_close) : 64;

		r->bad_bit = bo < bc ? bo : bc;
		r->bad_is_open = bo < bc;
	}
	r->ends = m->ends;
	r->dout = m->dout;
	r->nlmask = m->nl;
	r->nl_count = m->nl_count;
	r->done = 0;
	r->have_block = 1;
}

/* Note the current block's delimiters in mask as the open record's.
 * Without memory for them, the record's fields cannot be found:
 * sift_reader_field says so. */
static void note_delims(struct sift_reader *r, uint64_t mask)
{
	struct delim_masks *m = &r->open_masks;

	if (m->lost)
		return;
	if (sift_grow(&m->mask, &m->cap, m->n + 1, sizeof *m->mask, 16)) {
		m->lost = 1;
		return;
	}
	if (m->n == 0)
		m->base = (long long)r->scan_pos - (long long)r->rec_start;
	m->mask[m->n++] = mask;
}

/* The open record has ended: its masks become the returned record's,
 * and the next record's start empty. */
static void close_delims(struct sift_reader *r)
{
	struct delim_masks done = r->open_masks;

	r->open_masks = r->rec_masks;
	r->rec_masks = done;
	r->open_masks.n = 0;
	r->open_masks.lost = 0;
}

static void next_block(struct sift_reader *r)
{
	note_delims(r, r->dout & ~r->done);
	r->rec_delims += (uint64_t)popcount(r->dout & ~r->done);
	r->block_line += r->nl_count;
	r->scan_pos += SCAN_BLOCK;
	r->have_block = 0;
}

/* A raw record found by the scanner, before it becomes a sift_record. */
struct span {
	size_t start, end; /* end: the newline, or len at the end of input */
	uint64_t line;
	uint64_t ndelims;
	int terminated;
};

/* Consume the first record end of the current block into *sp. */
static inline int end_record(struct sift_reader *r, struct span *sp,
			     struct sift_error *err)
{
	unsigned b = ctz(r->ends);
	uint64_t below = scan_below(b);

	if (r->bad_bit <= b)
		return quote_error(r, r->nlmask, r->bad_bit, r->bad_is_open,
				   err);
	sp->start = r->rec_start;
	sp->end = r->scan_pos + b;
	sp->line = r->rec_line;
	sp->ndelims = r->rec_delims + popcount(r->dout & below & ~r->done);
	sp->terminated = 1;
	note_delims(r, r->dout & below & ~r->done);
	close_delims(r);
	r->rec_delims = 0;
	r->ends &= r->ends - 1;
	r->done = below | ((uint64_t)1 << b);
	r->rec_line = r->block_line + popcount(r->nlmask & below) + 1;
	r->rec_start = sp->end + 1;
	return 0;
}

/* The quote left open at the end of input opened a field of the last
 * record, which is whole in the buffer (the scan checked its quoting):
 * find that field's opening quote for the message. */
static int unterminated(const struct sift_reader *r, struct sift_error *err)
{
	uint64_t line = r->rec_line, open_line = line;
	size_t open_at = r->rec_start;
	int inside = 0;

	for (size_t i = r->rec_start; i < r->len; i++) {
		unsigned char c = r->buf[i];

		line += c == '\n';
		if (c != '"')
			continue;
		/* A quote right after a closing one doubles it. */
		if (!inside && !(i > r->rec_start && r->buf[i - 1] == '"')) {
			open_at = i;
			open_line = line;
		}
		inside = !inside;
	}
	return sift_error_set(err, SIFT_EDATA,
			      "%s:%llu:%llu: unterminated quoted field (it "
			      "runs to the end of the input)",
			      r->name, (unsigned long long)open_line,
			      (unsigned long long)column(r, open_at));
}

/* Find the record starting at rec_start. Returns 0 with *got = 0 at the
 * end of input. */
static int scan_record(struct sift_reader *r, struct span *sp, int *got,
		       struct sift_error *err)
{
	int rc;

	*got = 0;
	for (;;) {
		if (!r->have_block) {
			if (r->scan_pos + SCAN_BLOCK > r->len && !r->eof) {
				rc = fill(r, err);
				if (rc)
					return rc;
				continue;
			}
			if (r->scan_pos >= r->len)
				break;
			classify(r);
		}
		if (r->ends) {
			rc = end_record(r, sp, err);
			*got = !rc;
			return rc;
		}
		if (r->bad_bit < SCAN_BLOCK)
			return quote_error(r, r->nlmask, r->bad_bit,
					   r->bad_is_open, err);
		next_block(r);
	}
	/* End of input: what is left is a last record without a newline. */
	if (r->carry.cr) /* the last byte, a CR outside quotes */
		return misplaced_error(r, r->len - 1, r->block_line,
				       column(r, r->len - 1), err);
	if (r->carry.quote)
		return unterminated(r, err);
	if (r->rec_start >= r->len)
		return 0;
	sp->start = r->rec_start;
	sp->end = r->len;
	sp->line = r->rec_line;
	sp->ndelims = r->rec_delims;
	sp->terminated = 0;
	close_delims(r);
	r->rec_delims = 0;
	r->rec_start = r->len;
	*got = 1;
	return 0;
}

/* Whether a record is a blank line (nothing, or a lone CR). */
static inline int blank(const struct sift_reader *r, const struct span *sp)
{
	size_t len = sp->end - sp->start;

	return len == 0 || (len == 1 && r->buf[sp->start] == '\r');
}

/* Check a record's width against the columns: the first record sets it
 * when there is no header. */
static int check_width(struct sift_reader *r, const struct span *sp,
		       struct sift_error *err)
{
	uint64_t n = sp->ndelims + 1;
	char col[96], why[128];

	if (r->ncols == 0)
		r->ncols = (size_t)n;
	if (n == r->ncols)
		return 0;
	/* the first column it lacks, or the last, that a field is past */
	sift_reader_colref(r, n < r->ncols ? (size_t)n : r->ncols - 1, col,
			   sizeof col);
	if (n < r->ncols)
		snprintf(why, sizeof why, "no %s", col);
	else
		snprintf(why, sizeof why, "field %zu is past %s", r->ncols + 1,
			 col);
	return sift_error_set(err, SIFT_EDATA,
			      "%s:%llu: ragged row: %llu fields, %s has %zu: "
			      "%s",
			      r->name, (unsigned long long)sp->line,
			      (unsigned long long)n,
			      r->has_header ? "the header" : "the first record",
			      r->ncols, why);
}

/* The next non-blank record, checked for its width. */
static int next_span(struct sift_reader *r, struct span *sp, int *got,
		     struct sift_error *err)
{
	for (;;) {
		int rc = scan_record(r, sp, got, err);

		if (rc || !*got)
			return rc;
		if (!blank(r, sp))
			return check_width(r, sp, err);
	}
}

/* Pass over whole blocks with scan_skip from scan_pos, where no block is
 * begun or scanned ahead; then scan the block it stopped before alone,
 * for the record-by-record loop. Returns the records passed over. */
static uint64_t skip_blocks(struct sift_reader *r, uint64_t want)
{
	size_t n = (r->len - r->scan_pos) / SCAN_BLOCK;
	struct scan_skip s = {
		want, r->ncols - 1, r->rec_delims, r->block_line, 0, 0, 0
	};
	size_t used =
		scan_skip(r->buf + r->scan_pos, n, (unsigned char)r->opts.delim,
			  r->quotes, &r->carry, &s);

	if (s.skipped) {
		r->rec_start = r->scan_pos + s.rec_start;
		r->rec_line = s.rec_line;
	}
	r->rec_delims = s.delims;
	r->block_line = s.lines;
	if (used)
		r->open_masks.lost = 1; /* passed over unnoted */
	r->scan_pos += SCAN_BLOCK * used;
	if (used < n)
		scan_batch(r, 1);
	return s.skipped;
}

/* Skip up to want records while whole blocks are in the buffer: whole
 * blocks through scan_skip, and the blocks it stops at through the loop
 * of scan_record and next_span without their calls per record. Stops
 * early where the buffer needs refilling or the input ends; the caller
 * goes on. */
static int skip_fast(struct sift_reader *r, uint64_t want, uint64_t *got,
		     struct sift_error *err)
{
	struct span sp = { 0, 0, 0, 0, 0 };
	uint64_t k = 0;
	int rc = 0;

	while (k < want) {
		if (!r->have_block) {
			if (r->scan_pos + SCAN_BLOCK > r->len)
				break;
			/* A single column has no delimiters to tell a
			 * blank line from a record. */
			if (r->batch_i == r->batch_n && r->ncols > 1) {
				k += skip_blocks(r, want - k);
				if (r->batch_i == r->batch_n)
					break; /* the buffer's end */
			}
			classify(r);
		}
		while (r->ends && k < want) {
			rc = end_record(r, &sp, err);
			if (!rc && !blank(r, &sp)) {
				rc = check_width(r, &sp, err);
				k += !rc;
			}
			if (rc)
				goto out;
		}
		if (k == want)
			break;
		if (r->bad_bit < SCAN_BLOCK) {
			rc = quote_error(r, r->nlmask, r->bad_bit,
					 r->bad_is_open, err);
			break;
		}
		next_block(r);
	}
out:
	*got = k;
	return rc;
}

static void make_record(struct sift_reader *r, const struct span *sp,
			struct sift_record *rec)
{
	size_t end = sp->end;

	rec->eol = "";
	if (sp->terminated) {
		rec->eol = "\n";
		if (end > sp->start && r->buf[end - 1] == '\r') {
			end--;
			rec->eol = "\r\n";
		}
	}
	rec->raw = (const char *)r->buf + sp->start;
	rec->len = end - sp->start;
	rec->line = sp->line;
}

int sift_reader_next(struct sift_reader *r, const struct sift_record **rec,
		     struct sift_error *err)
{
	struct span sp;
	int got, rc;

	*rec = NULL;
	if (r->peeked) {
		r->peeked = 0;
		*rec = &r->rec;
		return 0;
	}
	rc = next_span(r, &sp, &got, err);
	if (rc || !got)
		return rc;
	make_record(r, &sp, &r->rec);
	r->rec.index = r->n_records++;
	r->serial++;
	r->nfields = 0;
	r->fbuf_len = 0;
	*rec = &r->rec;
	return 0;
}

int sift_reader_skip(struct sift_reader *r, uint64_t n, uint64_t *skipped,
		     struct sift_error *err)
{
	struct span sp;
	uint64_t k = 0;
	int got = 1, rc = 0;

	if (n > 0 && r->peeked) {
		r->peeked = 0;
		k++;
	}
	r->batch_max = 1;
	while (k < n && !rc) {
		uint64_t fast = 0;

		if (r->ncols) {
			rc = skip_fast(r, n - k, &fast, err);
			r->n_records += fast;
			k += fast;
			if (rc || k == n)
				break;
		}
		/* Refill, or the end of input, the slow way. */
		rc = next_span(r, &sp, &got, err);
		if (rc || !got)
			break;
		r->n_records++;
		k++;
	}
	if (skipped)
		*skipped = k;
	return rc;
}

/* ---- opening, the header, columns ------------------------------------- */

static int never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int only_lf(unsigned char c)
{
	return c == '\n';
}

static void reset_scan(struct sift_reader *r)
{
	r->len = 0;
	r->eof = 0;
	r->shifted = 0;
	r->rec_start = 0;
	r->rec_line = 1;
	r->scan_pos = 0;
	r->have_block = 0;
	r->block_line = 1;
	r->rec_delims = 0;
	r->open_masks.n = 0;
	r->open_masks.lost = 0;
	r->rec_masks.lost = 1;
	r->carry.quote = 0;
	r->carry.fence = 1; /* the input starts a field */
	r->carry.closer = 0;
	r->carry.cr = 0;
	r->batch_n = r->batch_i = 0;
	r->batch_max = SCAN_BATCH;
	r->failure[0] = '\0';
	r->stuck = 0;
	r->n_records = 0;
	r->peeked = 0;
	r->nfields = 0;
	memset(r->buf, 0, SCAN_BLOCK);
}

static int read_header(struct sift_reader *r, struct sift_error *err)
{
	struct span sp;
	int got, rc;

	rc = next_span(r, &sp, &got, err);
	if (rc || !got)
		return rc;
	make_record(r, &sp, &r->header);
	r->header_raw = sift_memdup_nul(r->header.raw, r->header.len);
	if (!r->header_raw)
		return sift_error_nomem(err);
	r->header.raw = r->header_raw;
	r->has_header = 1;
	rc = reader_split_record(r, &r->header, err);
	if (rc)
		return rc;
	r->colnames = calloc(r->nfields, sizeof *r->colnames);
	if (!r->colnames)
		return sift_error_nomem(err);
	for (size_t i = 0; i < r->nfields; i++) {
		r->colnames[i] =
			sift_memdup_nul(r->fields[i].s, r->fields[i].len);
		if (!r->colnames[i])
			return sift_error_nomem(err);
	}
	/* A UTF-8 byte-order mark (Excel's, pandas' utf-8-sig) is no part
	 * of the first column's name; the header's bytes keep it. */
	if (r->nfields && strncmp(r->colnames[0], "\xEF\xBB\xBF", 3) == 0)
		memmove(r->colnames[0], r->colnames[0] + 3,
			strlen(r->colnames[0] + 3) + 1);
	return 0;
}

static int number_columns(struct sift_reader *r, struct sift_error *err)
{
	const struct sift_record *rec;
	int rc = sift_reader_next(r, &rec, err);

	if (rc || !rec)
		return rc;
	r->peeked = 1;
	r->colnames = calloc(r->ncols, sizeof *r->colnames);
	if (!r->colnames)
		return sift_error_nomem(err);
	for (size_t i = 0; i < r->ncols; i++) {
		char num[24];

		snprintf(num, sizeof num, "%zu", i + 1);
		r->colnames[i] = strdup(num);
		if (!r->colnames[i])
			return sift_error_nomem(err);
	}
	return 0;
}

static int open_input(struct sift_reader *r, const char *path, unsigned flags,
		      struct sift_error *err)
{
	struct stat st;
	int fd = path ? open(path, O_RDONLY) : dup(STDIN_FILENO);

	if (fd < 0)
		return sift_error_set(err, SIFT_EIO, "%s: %s", r->name,
				      strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return sift_error_set(err, SIFT_EIO, "%s: is a directory",
				      r->name);
	}
	r->seekable = S_ISREG(st.st_mode);
	r->progress.in_total = r->seekable ? (uint64_t)st.st_size : 0;
	r->progress.pass = 1;
	r->gz = reader_gz_open(fd, 256 * 1024);
	if (!r->gz)
		return sift_error_nomem(err);
	if ((flags & SIFT_READER_REWIND) && !r->seekable) {
		r->spool = sift_spool_file("sift-spool");
		if (!r->spool)
			return sift_error_set(err, SIFT_EIO,
					      "cannot create a temporary file "
					      "to spool %s: %s",
					      r->name, strerror(errno));
	}
	return 0;
}

/* A backslash starts the escapes of a value without quoting: it cannot
 * also delimit the fields. */
static int check_opts(const struct sift_reader *r, struct sift_error *err)
{
	if (r->opts.quoting == SIFT_QUOTING_NONE && r->opts.delim == '\\')
		return sift_error_set(
			err, SIFT_EUSAGE,
			"`delimiter`: a backslash cannot delimit fields "
			"without quoting (`tsv`, `no_quote`): "
			"it starts the escapes \\t, \\n, "
			"\\\\");
	return 0;
}

struct sift_reader *sift_reader_open(const char *path,
				     const struct sift_csv_opts *opts,
				     unsigned flags, struct sift_error *err)
{
	struct sift_reader *r = calloc(1, sizeof *r);
	int rc;

	if (path && strcmp(path, "-") == 0)
		path = NULL;
	if (!r)
		goto nomem;
	if (opts)
		r->opts = *opts;
	else
		sift_csv_opts_init(&r->opts);
	if (r->opts.max_record == 0)
		r->opts.max_record = SIFT_MAX_RECORD;
	r->quotes = r->opts.quoting == SIFT_QUOTING_NONE ? SCAN_QUOTES_NONE
							 : SCAN_QUOTES_CSV;
	r->name = strdup(path ? path : "stdin");
	/* Small to start with, as most inputs of a test or a fuzzer are;
	 * doubled as reading needs (fill_read). */
	r->cap = READ_START;
	r->buf = r->own = malloc(r->cap);
	if (!r->name || !r->buf)
		goto nomem;
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
		goto nomem;
	csv_set_delim(&r->csv, (unsigned char)r->opts.delim);
	csv_set_space_func(&r->csv, never_space);
	csv_set_term_func(&r->csv, only_lf);
	reset_scan(r);
	rc = check_opts(r, err);
	if (!rc)
		rc = open_input(r, path, flags, err);
	if (!rc)
		start_reading(r);
	if (!rc)
		rc = r->opts.header ? read_header(r, err)
				    : number_columns(r, err);
	if (rc) {
		sift_reader_close(r);
		return NULL;
	}
	return r;
nomem:
	sift_error_nomem(err);
	sift_reader_close(r);
	return NULL;
}

void sift_reader_close(struct sift_reader *r)
{
	if (!r)
		return;
	stop_reading(r);
	reader_gz_close(r->gz);
	if (r->spool)
		fclose(r->spool);
	if (r->colnames)
		for (size_t i = 0; i < r->ncols; i++)
			free(r->colnames[i]);
	csv_free(&r->csv);
	free(r->colnames);
	free(r->header_raw);
	free(r->fields);
	free(r->stamp);
	free(r->open_masks.mask);
	free(r->rec_masks.mask);
	free(r->foff);
	free(r->fbuf);
	free(r->own);
	free(r->name);
	free(r);
}

int sift_reader_rewind(struct sift_reader *r, struct sift_error *err)
{
	int rc;

	if (r->spool) {
		/* Drain the rest of the stream into the spool, then read
		 * the spool from its start. */
		while (!r->eof) {
			r->rec_start = r->len;
			rc = fill(r, err);
			if (rc)
				return rc;
		}
		if (fflush(r->spool) != 0 || fseek(r->spool, 0, SEEK_SET) != 0)
			return sift_error_set(err, SIFT_EIO,
					      "cannot re-read the spool of %s: "
					      "%s",
					      r->name, strerror(errno));
		int fd = dup(fileno(r->spool));
		if (fd < 0)
			return sift_error_set(err, SIFT_EIO,
					      "cannot re-read the spool of %s: "
					      "%s",
					      r->name, strerror(errno));
		struct reader_gz *gz = reader_gz_open(fd, 256 * 1024);
		if (!gz) /* it closed fd */
			return sift_error_nomem(err);
		reader_gz_close(r->gz);
		r->gz = gz;
		fclose(r->spool);
		r->spool = NULL;
		r->seekable = 1;
		/* the spool holds the input decompressed */
		r->progress.in_total = r->shifted + r->len;
	} else if (!r->seekable) {
		return sift_error_set(err, SIFT_EUSAGE,
				      "%s: cannot read the input twice (open "
				      "it with SIFT_READER_REWIND)",
				      r->name);
	} else {
		stop_reading(r);
		if (reader_gz_rewind(r->gz) != 0) {
			/* Nothing is left to read: every later read
			 * fails as this rewind did. */
			reset_scan(r);
			r->stuck = read_error(r, &r->stuck_err);
			if (err)
				*err = r->stuck_err;
			return r->stuck;
		}
	}
	size_t ncols = r->ncols;
	reset_scan(r);
	r->progress.pass++;
	r->progress.in_bytes = 0;
	start_reading(r);
	if (r->has_header) {
		struct span sp;
		int got;

		rc = next_span(r, &sp, &got, err);
		if (rc)
			return rc;
	}
	r->ncols = ncols;
	return 0;
}

const char *sift_reader_name(const struct sift_reader *r)
{
	return r->name;
}

char sift_reader_delim(const struct sift_reader *r)
{
	return r->opts.delim;
}

enum sift_quoting sift_reader_quoting(const struct sift_reader *r)
{
	return r->opts.quoting;
}

const struct sift_csv_opts *sift_reader_opts(const struct sift_reader *r)
{
	return &r->opts;
}

const struct sift_record *sift_reader_header(const struct sift_reader *r)
{
	return r->has_header ? &r->header : NULL;
}

size_t sift_reader_ncols(const struct sift_reader *r)
{
	return r->ncols;
}

const char *sift_reader_colname(const struct sift_reader *r, size_t i)
{
	return i < r->ncols && r->colnames ? r->colnames[i] : "";
}

uint64_t sift_reader_count(const struct sift_reader *r)
{
	return r->n_records;
}

uint64_t sift_reader_bytes(const struct sift_reader *r)
{
	return r->shifted + r->rec_start;
}

void sift_reader_set_progress(struct sift_reader *r, sift_progress_fn fn,
			      void *ctx)
{
	r->progress_fn = fn;
	r->progress_ctx = ctx;
}
