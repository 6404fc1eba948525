/* Unit tests of lib/writer.c, lib/parse.c and lib/intern.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <zlib.h>

#include "sift/intern.h"
#include "sift/parse.h"
#include "sift/writer.h"
#include "testutil.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 16);

	assert_non_null(f);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

static void fields_are_quoted_only_when_needed(void **state)
{
	char path[] = "/tmp/sift-unit-w-XXXXXX";
	struct sift_error err;
	struct sift_writer *w;
	size_t len;
	char *got;
	const char *want = "a,plain,\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\","
			   "0.1,1e+300,-3";

	(void)state;
	close(mkstemp(path));
	w = sift_writer_open(path, &err);
	assert_non_null(w);
	assert_int_equal(sift_writer_puts(w, "a", &err), 0);
	sift_writer_field(w, ',', "plain", 5, &err);
	sift_writer_field(w, ',', "x,y", 3, &err);
	sift_writer_field(w, ',', "say \"hi\"", 8, &err);
	sift_writer_field(w, ',', "two\nlines", 9, &err);
	sift_writer_double(w, ',', 0.1, &err);
	sift_writer_double(w, ',', 1e300, &err);
	sift_writer_double(w, ',', -3, &err);
	assert_int_equal(sift_writer_close(w, &err), 0);
	got = slurp(path, &len);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(got, want, len);
	free(got);
	unlink(path);
}

static void doubles_round_trip(void **state)
{
	char buf[40];
	const double xs[] = { 0.1, 1.0 / 3, 2.5e-310, 123456789.125, 1e22 };

	(void)state;
	for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
		sift_format_double(buf, sizeof buf, xs[i]);
		assert_true(strtod(buf, NULL) == xs[i]);
	}
	sift_format_double(buf, sizeof buf, 0.5);
	assert_string_equal(buf, "0.5");
}

static void a_full_disk_is_an_error(void **state)
{
	struct sift_error err;
	struct sift_writer *w;
	int saved = dup(STDOUT_FILENO), fd = open("/dev/full", O_WRONLY);
	char block[4096];

	(void)state;
	if (fd < 0)
		skip();
	dup2(fd, STDOUT_FILENO);
	close(fd);
	memset(block, 'x', sizeof block);
	w = sift_writer_open("-", &err);
	for (int i = 0; i < 200; i++)
		sift_writer_write(w, block, sizeof block, &err);
	assert_int_equal(sift_writer_close(w, &err), SIFT_EIO);
	assert_string_equal(err.msg,
			    "stdout: write error: No space left on device");
	dup2(saved, STDOUT_FILENO);
	close(saved);
}

static void discard_leaves_nothing(void **state)
{
	struct sift_error err;
	struct sift_writer *w;
	struct stat st;

	(void)state;
	unlink("/tmp/sift-unit-discard.csv");
	w = sift_writer_open("/tmp/sift-unit-discard.csv", &err);
	sift_writer_puts(w, "x\n", &err);
	sift_writer_discard(w);
	assert_int_not_equal(stat("/tmp/sift-unit-discard.csv", &st), 0);
	assert_null(sift_writer_open("/nonexistent/dir/x.csv", &err));
	assert_int_equal(err.code, SIFT_EIO);
}

static void gz_names_are_compressed(void **state)
{
	struct sift_error err;
	struct sift_writer *w;
	char buf[64];
	gzFile gz;

	(void)state;
	w = sift_writer_open("/tmp/sift-unit-out.csv.gz", &err);
	sift_writer_puts(w, "a,b\n1,2\n", &err);
	assert_int_equal(sift_writer_close(w, &err), 0);
	gz = gzopen("/tmp/sift-unit-out.csv.gz", "rb");
	assert_true(gzdirect(gz) == 0 || gzread(gz, buf, 0) == 0);
	int n = gzread(gz, buf, sizeof buf);
	assert_int_equal(n, 8);
	assert_memory_equal(buf, "a,b\n1,2\n", 8);
	gzclose(gz);
	unlink("/tmp/sift-unit-out.csv.gz");
}

static void numbers_parse_strictly(void **state)
{
	double x;
	uint64_t u;

	(void)state;
	assert_int_equal(sift_parse_double("1.5", 3, &x), 0);
	assert_true(x == 1.5);
	assert_int_equal(sift_parse_double("-2e3", 4, &x), 0);
	assert_true(x == -2000);
	assert_int_equal(sift_parse_double(".5", 2, &x), 0);
	assert_int_equal(sift_parse_double("", 0, &x), -1);
	assert_int_equal(sift_parse_double(" 1", 2, &x), -1);
	assert_int_equal(sift_parse_double("1 ", 2, &x), -1);
	assert_int_equal(sift_parse_double("1x", 2, &x), -1);
	assert_int_equal(sift_parse_double("0x10", 4, &x), -1);
	assert_int_equal(sift_parse_double("abc", 3, &x), -1);
	assert_int_equal(sift_parse_double("NaN", 3, &x), -2);
	assert_int_equal(sift_parse_double("-inf", 4, &x), -2);
	assert_int_equal(sift_parse_double("1e999", 5, &x), -2);
	assert_int_equal(sift_parse_u64("18446744073709551615", &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(sift_parse_u64("18446744073709551616", &u), -1);
	assert_int_equal(sift_parse_u64("-1", &u), -1);
	assert_int_equal(sift_parse_u64("", &u), -1);
}

static void interning_gives_dense_ids(void **state)
{
	struct sift_intern *t = sift_intern_new();
	char key[32];
	size_t id, len;

	(void)state;
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 5000; i++) {
			snprintf(key, sizeof key, "user%d", i);
			assert_int_equal(
				sift_intern_add(t, key, strlen(key), &id), 0);
			assert_int_equal(id, i);
		}
	assert_int_equal(sift_intern_count(t), 5000);
	assert_string_equal(sift_intern_str(t, 42, &len), "user42");
	assert_int_equal(len, 6);
	assert_int_equal(sift_intern_find(t, "user7", 5, &id), 1);
	assert_int_equal(id, 7);
	assert_int_equal(sift_intern_find(t, "nobody", 6, &id), 0);
	/* Embedded NULs are part of the key. */
	assert_int_equal(sift_intern_add(t, "a\0b", 3, &id), 0);
	assert_int_equal(sift_intern_add(t, "a\0c", 3, &len), 0);
	assert_int_not_equal(id, len);
	sift_intern_free(t);
}

static void devices_are_written_in_place(void **state)
{
	struct sift_error err;
	struct sift_writer *w;
	struct stat st;

	(void)state;
	w = sift_writer_open("/dev/null", &err);
	assert_non_null(w);
	sift_writer_puts(w, "gone\n", &err);
	assert_int_equal(sift_writer_close(w, &err), 0);
	/* Still the device, not a file renamed over it. */
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

/* A directory of its own for a test of targets, and a path in it. */
#define TARGETS_DIR "/tmp/sift-unit-targets-XXXXXX"
static char dir[sizeof TARGETS_DIR];

static const char *in_dir(const char *name)
{
	static char path[sizeof dir + 256];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

static void write_to(const char *path, const char *text)
{
	struct sift_error err;
	struct sift_writer *w = sift_writer_open(path, &err);

	assert_non_null(w);
	assert_int_equal(sift_writer_puts(w, text, &err), 0);
	assert_int_equal(sift_writer_close(w, &err), 0);
}

static void expect_text(const char *path, const char *want)
{
	size_t len;
	char *got = slurp(path, &len);

	assert_int_equal(len, strlen(want));
	assert_memory_equal(got, want, len);
	free(got);
}

/* The number of names in dir, temporaries included. */
static int names_in_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 &&
		     strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static int targets_setup(void **state)
{
	(void)state;
	memcpy(dir, TARGETS_DIR, sizeof dir);
	return mkdtemp(dir) ? 0 : -1;
}

static int targets_teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	(void)state;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(in_dir(e->d_name));
	if (d)
		closedir(d);
	return rmdir(dir);
}

static void a_link_is_followed_and_kept(void **state)
{
	struct stat st;

	(void)state;
	write_to(in_dir("real.csv"), "old\n");
	assert_int_equal(symlink("real.csv", in_dir("link.csv")), 0);
	write_to(in_dir("link.csv"), "new\n");
	assert_int_equal(lstat(in_dir("link.csv"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	expect_text(in_dir("real.csv"), "new\n");
	assert_int_equal(names_in_dir(), 2);
}

static void dangling_links_and_directories_are_refused(void **state)
{
	struct sift_error err;
	char want[512];

	(void)state;
	assert_int_equal(symlink("nowhere.csv", in_dir("dangling.csv")), 0);
	assert_null(sift_writer_open(in_dir("dangling.csv"), &err));
	assert_int_equal(err.code, SIFT_EIO);
	snprintf(want, sizeof want,
		 "%s: not writing through a dangling symbolic link (to "
		 "%s/nowhere.csv)",
		 in_dir("dangling.csv"), dir);
	assert_string_equal(err.msg, want);
	assert_null(sift_writer_open(dir, &err));
	snprintf(want, sizeof want, "%s: is a directory", dir);
	assert_string_equal(err.msg, want);
	/* neither a file nor a temporary was made */
	assert_int_equal(names_in_dir(), 1);
	unlink(in_dir("dangling.csv"));
}

static void a_replaced_file_keeps_its_permissions(void **state)
{
	struct stat st;

	(void)state;
	write_to(in_dir("private.csv"), "old\n");
	assert_int_equal(chmod(in_dir("private.csv"), 0600), 0);
	write_to(in_dir("private.csv"), "new\n");
	assert_int_equal(stat(in_dir("private.csv"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	expect_text(in_dir("private.csv"), "new\n");
	unlink(in_dir("private.csv"));
}

static void a_descriptor_name_writes_the_descriptor(void **state)
{
	char name[32];
	int fd = open(in_dir("log.csv"), O_WRONLY | O_CREAT | O_APPEND, 0644);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "first\n", 6), 6);
	snprintf(name, sizeof name, "/dev/fd/%d", fd);
	write_to(name, "second\n");
	snprintf(name, sizeof name, "/proc/self/fd/%d", fd);
	write_to(name, "third\n");
	/* appended through the descriptor, not a new file at offset 0 */
	expect_text(in_dir("log.csv"), "first\nsecond\nthird\n");
	assert_int_equal(write(fd, "fourth\n", 7), 7);
	close(fd);
	unlink(in_dir("log.csv"));
}

static void temporaries_are_removed_on_request(void **state)
{
	struct sift_error err;
	struct sift_writer *a, *b;

	(void)state;
	a = sift_writer_open(in_dir("a.csv"), &err);
	b = sift_writer_open(in_dir("b.csv.gz"), &err);
	assert_non_null(a);
	assert_non_null(b);
	sift_writer_puts(a, "a\n", &err);
	assert_int_equal(names_in_dir(), 2);
	sift_writer_remove_temporaries();
	assert_int_equal(names_in_dir(), 0);
	sift_writer_discard(b);
	sift_writer_discard(a);
	/* a closed writer is no longer among them */
	a = sift_writer_open(in_dir("a.csv"), &err);
	assert_int_equal(sift_writer_close(a, &err), 0);
	sift_writer_remove_temporaries();
	assert_int_equal(names_in_dir(), 1);
	unlink(in_dir("a.csv"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fields_are_quoted_only_when_needed),
		cmocka_unit_test(doubles_round_trip),
		cmocka_unit_test(a_full_disk_is_an_error),
		cmocka_unit_test(discard_leaves_nothing),
		cmocka_unit_test(gz_names_are_compressed),
		cmocka_unit_test(numbers_parse_strictly),
		cmocka_unit_test(interning_gives_dense_ids),
		cmocka_unit_test(devices_are_written_in_place),
		cmocka_unit_test_setup_teardown(a_link_is_followed_and_kept,
						targets_setup,
						targets_teardown),
		cmocka_unit_test_setup_teardown(
			dangling_links_and_directories_are_refused,
			targets_setup, targets_teardown),
		cmocka_unit_test_setup_teardown(
			a_replaced_file_keeps_its_permissions, targets_setup,
			targets_teardown),
		cmocka_unit_test_setup_teardown(
			a_descriptor_name_writes_the_descriptor, targets_setup,
			targets_teardown),
		cmocka_unit_test_setup_teardown(
			temporaries_are_removed_on_request, targets_setup,
			targets_teardown),
	};

	return cmocka_run_group_tests_name("io", tests, NULL, NULL);
}
