/* Unit tests of lib/label.c's notes: a rule that votes on no record is
 * named once with its line, however often the input is read, and only
 * when the input has records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sift/label.h"
#include "testutil.h"

static const char rules[] = "labels: yes, no\n"
			    "hoax: text ~ /hoax/ -> yes\n"
			    "never: text ~ /zebra/ -> yes\n"
			    "calm: text ~ /calm/ -> no\n";

/* Label the CSV data with rules under combiner comb; returns the note. */
static void label_note(const char *data, enum sift_combine comb,
		       enum sift_label_mode mode, char *note, size_t size)
{
	struct sift_error err;
	char *in = tmpfile_str(data), *out = tmpfile_str("");
	struct sift_rules *rs =
		sift_rules_parse(rules, strlen(rules), "r.rules", &err);
	struct sift_reader *r =
		sift_reader_open(in, NULL, SIFT_READER_REWIND, &err);
	struct sift_writer *w = sift_writer_open(out, &err);
	struct sift_label_opts o;
	struct sift_label_stats st;

	assert_non_null(rs);
	assert_non_null(r);
	assert_non_null(w);
	sift_label_opts_init(&o);
	o.combine = comb;
	o.mode = mode;
	assert_int_equal(sift_label_run(r, w, rs, &o, &st, &err), 0);
	assert_int_equal(sift_writer_close(w, &err), 0);
	snprintf(note, size, "%s", st.note);
	sift_reader_close(r);
	sift_rules_free(rs);
	unlink(in);
	unlink(out);
	free(in);
	free(out);
}

static void test_silent_rule_named(void **state)
{
	const char *data = "id,text\n1,a hoax\n2,calm day\n3,nothing\n";
	const char *want = "rule 'never' (r.rules:3) fired on none of the 3 "
			   "records\n";
	char note[2048];

	(void)state;
	label_note(data, SIFT_COMBINE_MAJORITY, SIFT_LABEL_DATA, note,
		   sizeof note);
	assert_string_equal(note, want);
	/* the model reads the input twice: still one line */
	label_note(data, SIFT_COMBINE_MODEL, SIFT_LABEL_DATA, note,
		   sizeof note);
	assert_string_equal(note, want);
	label_note(data, SIFT_COMBINE_MAJORITY, SIFT_LABEL_ANALYZE, note,
		   sizeof note);
	assert_string_equal(note, want);
	label_note("id,text\n", SIFT_COMBINE_MAJORITY, SIFT_LABEL_DATA, note,
		   sizeof note);
	assert_string_equal(note, "");
	label_note("id,text\n1,zebra hoax calm\n", SIFT_COMBINE_MAJORITY,
		   SIFT_LABEL_LONG, note, sizeof note);
	assert_string_equal(note, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_silent_rule_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
