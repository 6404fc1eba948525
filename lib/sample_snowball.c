/*
 * lib/sample_snowball.c - snowball sampling (Goodman 1961): the records of seed
 * users, then of the users they refer to, wave after wave.
 *
 * Wave 0 is the seed users. Each pass over the input reads the links of
 * the records whose user joined in the last wave and adds the users they
 * name as the next wave; a last pass writes every record whose user was
 * reached, with its wave. Memory holds the users reached, never the
 * records: a regular file is read again for each wave, a stream is
 * spooled once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/colexpr.h"
#include "sift/intern.h"
#include "sift/mem.h"
#include "sample_method.h"

struct snowball {
	struct sift_intern *users; /* every user reached */
	unsigned *wave;            /* by user id */
	size_t cap;
	struct sift_colexpr *user, *links;
	uint64_t new_users; /* reached in the pass just made */
};

static int reach(struct sampler *c, struct snowball *s, const char *name,
		 size_t len, unsigned wave)
{
	size_t id, before = sift_intern_count(s->users);

	if (before >= c->o->snowball.max_users &&
	    !sift_intern_find(s->users, name, len, &id))
		return sift_error_set(
			c->err, SIFT_EDATA,
			"%s: wave %u of the snowball reaches "
			"more than %llu users (`max_users`): "
			"follow fewer `waves`, or raise the "
			"limit",
			sift_reader_name(c->r), wave,
			(unsigned long long)c->o->snowball.max_users);
	if (sift_intern_add(s->users, name, len, &id))
		return sift_error_nomem(c->err);
	if (id < before)
		return 0; /* already reached, in this wave or before */
	if (sift_grow(&s->wave, &s->cap, id + 1, sizeof *s->wave, 256))
		return sift_error_nomem(c->err);
	s->wave[id] = wave;
	s->new_users++;
	return 0;
}

/* A user named in a links field: an optional '@', then letters, digits,
 * '_', '-', '.' or any byte of a UTF-8 sequence. */
static int user_byte(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
	       ch == '.' || ch >= 0x80;
}

static int separator(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == ',' || ch == ';' || ch == '|';
}

/* Every user the links field of rec names joins wave (if new). */
static int follow(struct sampler *c, struct snowball *s,
		  const struct sift_record *rec, unsigned wave)
{
	const char *f, *end;
	size_t len;
	int rc = sift_colexpr_get(c->r, rec, s->links, &f, &len, c->err);

	for (end = f + len; !rc && f < end;) {
		const char *tok, *name;

		while (f < end && separator((unsigned char)*f))
			f++;
		if (f == end)
			break;
		tok = f;
		name = f += *f == '@';
		while (f < end && user_byte((unsigned char)*f))
			f++;
		if (f == name || (f < end && !separator((unsigned char)*f))) {
			while (f < end && !separator((unsigned char)*f))
				f++;
			return sift_error_set(
				c->err, SIFT_EDATA,
				"%s:%llu: the links column '%s' holds '%.*s', "
				"which is not a user (users are separated by "
				"spaces or commas, with an optional @)",
				sift_reader_name(c->r),
				(unsigned long long)rec->line,
				sift_colexpr_text(s->links),
				(int)(f - tok > 40 ? 40 : f - tok), tok);
		}
		rc = reach(c, s, name, (size_t)(f - name), wave);
	}
	return rc;
}

/* The wave of rec's user, or -1 if not reached. */
static int wave_of(struct sampler *c, struct snowball *s,
		   const struct sift_record *rec, long *wave)
{
	const char *f;
	size_t len, id;
	int rc = sift_colexpr_get(c->r, rec, s->user, &f, &len, c->err);

	*wave = -1;
	if (!rc && len && *f == '@') {
		f++;
		len--;
	}
	if (!rc && sift_intern_find(s->users, f, len, &id))
		*wave = s->wave[id];
	return rc;
}

/* Seeds: "u1,u2" or "@FILE" with one user a line. */
static int add_seeds(struct sampler *c, struct snowball *s)
{
	const char *spec = c->o->snowball.seeds;
	char line[1024];

	if (spec[0] != '@') {
		for (const char *p = spec; *p;) {
			size_t n = strcspn(p, ",");

			if (n) {
				int rc = reach(c, s, p + (*p == '@'),
					       n - (*p == '@'), 0);
				if (rc)
					return rc;
			}
			p += n + (p[n] == ',');
		}
		return 0;
	}
	FILE *f = fopen(spec + 1, "r");
	if (!f)
		return sift_error_set(c->err, SIFT_EIO, "`seeds`: %s: %s",
				      spec + 1, strerror(errno));
	while (fgets(line, sizeof line, f)) {
		size_t n = strcspn(line, "\r\n");

		if (n && line[0] != '#') {
			int rc = reach(c, s, line + (line[0] == '@'),
				       n - (line[0] == '@'), 0);
			if (rc) {
				fclose(f);
				return rc;
			}
		}
	}
	fclose(f);
	return 0;
}

/* One pass: follow the links of the records of wave w's users. */
static int expand(struct sampler *c, struct snowball *s, unsigned w,
		  uint64_t *seeds_seen)
{
	const struct sift_record *rec;
	int rc;

	s->new_users = 0;
	for (;;) {
		long wave;

		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = wave_of(c, s, rec, &wave);
		if (!rc && wave == 0)
			(*seeds_seen)++;
		if (!rc && wave == (long)w)
			rc = follow(c, s, rec, w + 1);
		if (rc)
			break;
	}
	return rc;
}

static int write_reached(struct sampler *c, struct snowball *s,
			 uint64_t *seeds_seen)
{
	const struct sift_record *rec;
	int rc;

	for (;;) {
		long wave;

		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = wave_of(c, s, rec, &wave);
		*seeds_seen += wave == 0;
		if (!rc && wave >= 0)
			rc = sample_take(c, rec, (double)wave);
		if (rc)
			break;
	}
	return rc;
}

static int no_seed(struct sampler *c, const struct snowball *s)
{
	return sift_error_set(c->err, SIFT_EDATA,
			      "%s: no record's %s is one of the seed users",
			      sift_reader_name(c->r),
			      sift_colexpr_text(s->user));
}

static int sample_snowball(struct sampler *c)
{
	struct snowball s;
	uint64_t waves = c->o->snowball.waves, seeds_seen = 0;
	unsigned w = 0;
	int rc;

	memset(&s, 0, sizeof s);
	s.users = sift_intern_new();
	if (!s.users)
		return sift_error_nomem(c->err);
	rc = sift_colexpr_open(c->r, c->o->snowball.user, "user", &s.user,
			       c->err);
	if (!rc)
		rc = sift_colexpr_open(c->r, c->o->snowball.links, "links",
				       &s.links, c->err);
	if (!rc)
		rc = add_seeds(c, &s);
	/* Discovery passes: one per wave, fewer if no one new is reached. */
	for (w = 0; !rc && w < waves; w++) {
		if (w > 0)
			rc = sift_reader_rewind(c->r, c->err);
		if (!rc)
			rc = expand(c, &s, w, &seeds_seen);
		if (!rc && w == 0 && seeds_seen == 0)
			rc = no_seed(c, &s);
		if (!rc && s.new_users == 0)
			break;
	}
	if (!rc && waves > 0)
		rc = sift_reader_rewind(c->r, c->err);
	seeds_seen = 0;
	if (!rc)
		rc = write_reached(c, &s, &seeds_seen);
	if (!rc && seeds_seen == 0)
		rc = no_seed(c, &s);
	c->st->n_in = sift_reader_count(c->r);
	if (!rc && c->st->n_out > c->st->n_in / 2 && c->st->n_in >= 1000)
		sample_note(c,
			    "the snowball reached %llu of the %llu records: "
			    "most of the input rather than a sample of it",
			    (unsigned long long)c->st->n_out,
			    (unsigned long long)c->st->n_in);
	free(s.wave);
	sift_intern_free(s.users);
	sift_colexpr_free(s.user);
	sift_colexpr_free(s.links);
	return rc;
}

static int snowball_check(const struct sift_sample_opts *o,
			  struct sift_error *err)
{
	if (!o->snowball.seeds)
		return sample_unset(err, "snowball.seeds");
	if (!o->snowball.user)
		return sample_unset(err, "snowball.user");
	if (!o->snowball.links)
		return sample_unset(err, "snowball.links");
	if (o->snowball.max_users == 0)
		return sift_error_set(err, SIFT_EUSAGE,
				      "snowball.max_users: the limit must be "
				      ">= 1");
	if (o->snowball.wave_col && !*o->snowball.wave_col)
		return sift_error_set(err, SIFT_EUSAGE,
				      "snowball.wave_col: the column needs a "
				      "name");
	return 0;
}

/* Every record is written with the wave that reached it. */
static const char *wave_column(const struct sift_sample_opts *o)
{
	return o->snowball.wave_col ? o->snowball.wave_col : "wave";
}

const struct sample_method sample_method_snowball = {
	.passes = 2,
	.check = snowball_check,
	.column = wave_column,
	.run = sample_snowball,
};
