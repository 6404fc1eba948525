/*
 * tests/fuzz/fuzz.h - what the libFuzzer targets share: a private
 * temporary directory, a helper that writes the input bytes to a file in
 * it, and a fopen wrapper (linked with -Wl,--wrap=fopen) that keeps a
 * fuzzed rules file's @phrase-file inside that directory, so that no
 * input can make a fuzzer read arbitrary files of the machine (libFuzzer
 * still writes its corpus and crash inputs where it is told).
 *
 * Not part of sift or of `make check`: built by `make fuzz` only.
 */
#ifndef SIFT_FUZZ_H
#define SIFT_FUZZ_H

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);

static char fuzz_dir[64];

/* Remove the private directory and what the fuzzer wrote in it. */
static void fuzz_cleanup(void)
{
	DIR *d = opendir(fuzz_dir);
	struct dirent *e;
	char path[512];

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' &&
		    snprintf(path, sizeof path, "%s/%s", fuzz_dir, e->d_name) <
			    (int)sizeof path)
			unlink(path);
	if (d)
		closedir(d);
	rmdir(fuzz_dir);
}

/* The private directory, made on first use, removed at exit (libFuzzer
 * exits normally at -max_total_time). */
static const char *fuzz_tmpdir(void)
{
	if (!fuzz_dir[0]) {
		const char *t = getenv("TMPDIR");

		snprintf(fuzz_dir, sizeof fuzz_dir, "%s/sift-fuzz.XXXXXX",
			 t && strlen(t) < 32 ? t : "/tmp");
		if (!mkdtemp(fuzz_dir))
			abort();
		atexit(fuzz_cleanup);
	}
	return fuzz_dir;
}

/* Only files directly inside the private directory may be opened with
 * fopen to be read, and only there: anything else fails as if it did
 * not exist. A file opened to be written is libFuzzer's own (a corpus
 * entry, a crash input): sift's library writes no file through fopen,
 * so those go through. */
FILE *__wrap_fopen(const char *path, const char *mode)
{
	const char *d = fuzz_tmpdir();
	size_t n = strlen(d);

	if ((mode[0] == 'w' || mode[0] == 'a') && !strchr(mode, '+'))
		return __real_fopen(path, mode);
	if (strncmp(path, d, n) != 0 || path[n] != '/' ||
	    strstr(path + n, "/..") || strchr(path + n + 1, '/') ||
	    strchr(mode, 'w') || strchr(mode, 'a') || strchr(mode, '+')) {
		errno = ENOENT;
		return NULL;
	}
	return __real_fopen(path, mode);
}

/* Write data to name inside the private directory; returns its path
 * (static storage). */
static const char *fuzz_write(const char *name, const uint8_t *data,
			      size_t size)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", fuzz_tmpdir(), name);
	if (!(f = __real_fopen(path, "wb")) ||
	    (size && fwrite(data, 1, size, f) != size) || fclose(f))
		abort();
	return path;
}

/* The first place the NUL-terminated mark occurs in data[0..size), or
 * NULL: where a target that takes two inputs splits its bytes. */
static inline const uint8_t *fuzz_find(const uint8_t *data, size_t size,
				       const char *mark)
{
	size_t n = strlen(mark);

	for (size_t i = 0; n <= size && i <= size - n; i++)
		if (memcmp(data + i, mark, n) == 0)
			return data + i;
	return NULL;
}

/* data[0..size) repeated until there are at least min bytes, or once
 * (malloc'ed; its length in *out_len): past 64 KiB, the reader's first
 * buffer, a record is cut by a refill, at whatever offset the repeats
 * put it. (Past a MiB the reader reads ahead in a thread, in chunks:
 * that is left to the unit tests and make tsan, as an input of a MiB
 * would cost a target a hundred times its speed.) */
static inline uint8_t *fuzz_repeat(const uint8_t *data, size_t size, size_t min,
				   size_t *out_len)
{
	size_t n = size && size < min ? (min + size - 1) / size * size : size;
	uint8_t *out = malloc(n ? n : 1);

	if (!out)
		abort();
	for (size_t at = 0; at < n; at += size)
		memcpy(out + at, data, size);
	*out_len = n;
	return out;
}

#endif
