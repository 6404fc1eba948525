/*
 * tests/unit/test_svg.c - lib/svg.c: the pieces of sift's drawings
 * escape what XML forbids and thin a line to the pixels it covers.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sift/svgdraw.h"
#include "testutil.h"

/* What draw() wrote to a fresh writer, in buf. */
static void drawn(int (*draw)(struct sift_writer *, struct sift_error *),
		  char *buf, size_t size)
{
	char *path = tmpfile_str("");
	struct sift_error err;
	struct sift_writer *w = sift_writer_open(path, &err);
	FILE *f;
	size_t n;

	assert_non_null(w);
	assert_int_equal(draw(w, &err), 0);
	assert_int_equal(sift_writer_close(w, &err), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
	free(path);
}

static int draw_label(struct sift_writer *w, struct sift_error *err)
{
	return sift_svg_label(w, 1, 2.25, "end", "font-size=\"9\"",
			      "a<b & \"c\"\t>", err);
}

static void test_label_escapes(void **state)
{
	char buf[512];

	(void)state;
	drawn(draw_label, buf, sizeof buf);
	assert_string_equal(buf,
			    "<text x=\"1.0\" y=\"2.2\" text-anchor=\"end\" "
			    "font-size=\"9\">a&lt;b &amp; &quot;c&quot;?"
			    "&gt;</text>\n");
}

static int draw_plain(struct sift_writer *w, struct sift_error *err)
{
	return sift_svg_label(w, 0, 0, "start", NULL, "x", err);
}

static void test_label_no_style(void **state)
{
	char buf[256];

	(void)state;
	drawn(draw_plain, buf, sizeof buf);
	assert_string_equal(buf, "<text x=\"0.0\" y=\"0.0\" "
				 "text-anchor=\"start\">x</text>\n");
}

/* Points within half a pixel of the last drawn are skipped, points not
 * finite are left out, and a point far enough is drawn again. */
static int draw_line(struct sift_writer *w, struct sift_error *err)
{
	static const double x[] = { 0, 0.2, NAN, 1, INFINITY, 1.3, 0.1 };
	static const double y[] = { 0, 0.4, 5, 0, 3, 0.2, 0 };

	return sift_svg_polyline(w, x, y, 7, "stroke=\"red\"", err);
}

static void test_polyline_thins(void **state)
{
	char buf[256];

	(void)state;
	drawn(draw_line, buf, sizeof buf);
	assert_string_equal(buf, "<polyline fill=\"none\" stroke=\"red\" "
				 "points=\"0.0,0.0 1.0,0.0 0.1,0.0 \"/>\n");
}

static int draw_empty(struct sift_writer *w, struct sift_error *err)
{
	return sift_svg_polyline(w, NULL, NULL, 0, "stroke=\"red\"", err);
}

static void test_polyline_empty(void **state)
{
	char buf[256];

	(void)state;
	drawn(draw_empty, buf, sizeof buf);
	assert_string_equal(buf, "<polyline fill=\"none\" stroke=\"red\" "
				 "points=\"\"/>\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_escapes),
		cmocka_unit_test(test_label_no_style),
		cmocka_unit_test(test_polyline_thins),
		cmocka_unit_test(test_polyline_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
