#!/usr/bin/env bats
# libsift as installed: make install puts the headers, libsift.a,
# libsift.so with its soname and sift.pc under PREFIX, and the example
# program of examples/libsift builds against them through pkg-config,
# shared and static, and runs.

# pkg-config's output is a list of words for the compiler: split on purpose.
# shellcheck disable=SC2046

bats_require_minimum_version 1.5.0

setup() {
	top="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
	[ "${BUILD:-build}" = build ] || skip "the installed library is the plain build's"
	command -v cc >/dev/null || skip "no C compiler"
	command -v pkg-config >/dev/null || skip "no pkg-config"
	P="$BATS_TEST_TMPDIR/prefix"
	make -s -C "$top" install PREFIX="$P" >/dev/null
	export PKG_CONFIG_PATH="$P/lib/pkgconfig"
	D="$top/tests/data/values"
}

@test "make install: headers, libsift.a, libsift.so.VERSION and its soname, sift.pc" {
	[ -f "$P/include/sift/reader.h" ]
	[ -f "$P/include/sift/version.h" ]
	[ -f "$P/lib/libsift.a" ]
	so=$(readlink "$P/lib/libsift.so")
	[[ "$so" == libsift.so.[0-9]*.[0-9]*.[0-9]* ]]
	[ "$(readlink "$P/lib/libsift.so.0")" = "$so" ]
	run readelf -d "$P/lib/$so"
	[[ "$output" == *"Library soname: [libsift.so.0]"* ]]
	[ "$(pkg-config --modversion sift)" = "$("$SIFT" --version | cut -d' ' -f2)" ]
	[ "$(pkg-config --cflags sift | xargs)" = "-I$P/include" ]
}

@test "the shared library exports the sift_ names only" {
	run bash -c "nm -D --defined-only '$P/lib/libsift.so' | awk '{ print \$3 }' | grep -v '^sift_'"
	[ -z "$output" ]
	run bash -c "nm -D --defined-only '$P/lib/libsift.so' | grep -c ' sift_'"
	[ "$output" -gt 100 ]
}

@test "examples/libsift builds through pkg-config, shared and static, and runs" {
	ex="$top/examples/libsift/classes.c"
	cc -Wall -Wextra -Werror $(pkg-config --cflags sift) "$ex" $(pkg-config --libs sift) -o "$BATS_TEST_TMPDIR/shared"
	run env LD_LIBRARY_PATH="$P/lib" "$BATS_TEST_TMPDIR/shared" "$D/tweets.csv" 'yearmonth(created_at)'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '2023-01\t8\n2023-02\t8\n2023-03\t4\n2023-04\t4')" ]
	cc -Wall -Wextra -Werror $(pkg-config --cflags sift) "$ex" "$P/lib/libsift.a" \
		$(pkg-config --libs --static sift | sed 's/-lsift//') -o "$BATS_TEST_TMPDIR/static"
	run "$BATS_TEST_TMPDIR/static" "$D/tweets.csv" label
	[ "$output" = "$(printf 'ok\t16\nbad\t8')" ]
	# an error is the library's message and status
	run "$BATS_TEST_TMPDIR/static" "$D/tweets.csv" lable
	[ "$status" -eq 1 ]
	[[ "$output" == "classes: $D/tweets.csv: no column 'lable' (did you mean 'label'?)"* ]]
}

@test "the headers compile as C++ (extern \"C\")" {
	command -v c++ >/dev/null || skip "no C++ compiler"
	{
		for h in "$P"/include/sift/*.h; do echo "#include <sift/${h##*/}>"; done
		echo 'int main() { return sift_version() == nullptr; }'
	} >"$BATS_TEST_TMPDIR/all.cc"
	c++ -std=c++17 -Wall -Wextra -Werror $(pkg-config --cflags sift) "$BATS_TEST_TMPDIR/all.cc" \
		$(pkg-config --libs sift) -o "$BATS_TEST_TMPDIR/cxx"
	run env LD_LIBRARY_PATH="$P/lib" "$BATS_TEST_TMPDIR/cxx"
	[ "$status" -eq 0 ]
}
