# sift: Unix filters for the data side of machine learning.
#
#   make            build ./sift and the example generators
#   make check      install missing dependencies, build, run every test
#   make sanitize   the same tests under AddressSanitizer and UBSan
#   make demo       generate a corpus and run the tour on it
#   make bench      the benchmarks (slow; not part of check)
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (not part of check)
#   make fault      the fault-injection loops (not part of check)
#   make install    PREFIX=/usr/local DESTDIR= : the binary, man pages,
#                   and libsift (headers, libsift.a, libsift.so, sift.pc)
#   make deps       install the Debian packages sift needs (as root),
#                   or print the command that would

VERSION    = 0.1.0
# libsift's soname version: its major, bumped when the ABI changes.
SOVERSION  = 0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
LIBDIR    ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DESTDIR   ?=
PKG_CONFIG ?= pkg-config

CC        ?= cc
CFLAGS    ?= -O2 -g
WARNINGS   = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wformat=2 -Wvla -Wcast-qual \
             -Wpointer-arith -Wundef
CSTD       = -std=c11 -D_POSIX_C_SOURCE=200809L

# Every dependency but libcsv ships a pkg-config file. Debian's libcsv-dev
# has none: its header is csv.h in the default include path and the
# library is -lcsv; override CSV_CFLAGS/CSV_LIBS for another layout.
PKGS       = zlib libpcre2-8 sqlite3 libxxhash
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CSV_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags libcsv 2>/dev/null)
CSV_LIBS   ?= $(shell $(PKG_CONFIG) --libs libcsv 2>/dev/null || echo -lcsv)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

# SANITIZE=1 builds everything into build/san with ASan and UBSan.
# O=DIR builds into DIR (binary DIR/sift), so that several builds of one
# tree can run side by side.
ifeq ($(SANITIZE),1)
BUILD      = $(or $(O),build/san)
SANFLAGS   = -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined
BIN        = $(BUILD)/sift
else ifneq ($(O),)
BUILD      = $(O)
SANFLAGS   =
BIN        = $(BUILD)/sift
else
BUILD      = build
SANFLAGS   =
BIN        = sift
endif

SRCDIR    := $(abspath .)
# CPPFLAGS, CFLAGS and LDFLAGS are the builder's (a distribution's
# hardening flags, say): honoured on every compile and link.
# SRC_FLAGS is what the sources need to be read at all (by the compiler,
# clang-tidy or cppcheck): the headers, the generated ones, the defines.
SRC_FLAGS  = $(CSTD) -I$(BUILD)/include -Iinclude $(PKG_CFLAGS) \
             $(CSV_CFLAGS) -DSIFT_MANDIR='"$(MANDIR)"' \
             -DSIFT_SRCMAN='"$(SRCDIR)/man"'
ALL_CFLAGS = $(SRC_FLAGS) $(WARNINGS) $(CPPFLAGS) $(CFLAGS) $(SANFLAGS) \
             -MMD -MP -pthread
ALL_LIBS   = $(PKG_LIBS) $(CSV_LIBS) -lm -pthread

LIB_SRC    = $(wildcard lib/*.c)
TOOL_SRC   = $(wildcard tools/*.c)
UNIT_SRC   = $(wildcard tests/unit/test_*.c)
LIB_OBJ    = $(LIB_SRC:%.c=$(BUILD)/%.o)
TOOL_OBJ   = $(TOOL_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIBSIFT    = $(BUILD)/libsift.a
SHLIB      = $(BUILD)/libsift.so.$(VERSION)
SONAME     = libsift.so.$(SOVERSION)
VERSION_H  = $(BUILD)/include/sift/version.h
GENERATORS = examples/tweets/gen-tweets examples/annotators/gen-annotations
MAN_PAGES  = $(wildcard man/*.1 man/*.5)

# make fuzz: tests/fuzz/fuzz_*.c built with clang's libFuzzer, ASan and
# UBSan into build/fuzz (the library into build/fuzz/obj), each run for
# FUZZ_SECONDS on a corpus seeded from tests/fuzz/corpus/<target>, with
# the dictionary tests/fuzz/<target>.dict where the format has keywords;
# crash inputs land in build/fuzz/. Needs clang and libclang-rt-dev.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR      = build/fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=undefined
FUZZ_SRC      = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN      = $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_DIR)/%)

# The tools after the libraries are those of the tests: bats, mandoc,
# shellcheck, and what the documentation's commands call (parallel,
# sqlite3, man-db, and bsdextrautils for column), run by make check.
DEB_PKGS   = gcc g++ make pkg-config libcsv-dev zlib1g-dev libpcre2-dev \
             libsqlite3-dev libxxhash-dev libcmocka-dev bats mandoc parallel \
             shellcheck \
             sqlite3 \
             man-db \
             bsdextrautils
# The tools of the checks beyond make check (CI: .ci/run).
DEV_PKGS   = clang libclang-rt-dev clang-tidy clang-format cppcheck

.PHONY: all check test include-graph valgrind sanitize demo bench install uninstall deps dev-deps \
        install-pkgs clean format format-check lint manlint fuzz fuzz-smoke \
        clang-check tsan fault

all: $(BIN) $(GENERATORS) $(SHLIB)

$(BIN): $(TOOL_OBJ) $(LIBSIFT)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $(TOOL_OBJ) $(LIBSIFT) \
	  $(ALL_LIBS)

$(LIBSIFT): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

# Position-independent, for libsift.so; the cost on x86-64 is a register.
$(BUILD)/lib/%.o: lib/%.c | $(VERSION_H)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

$(BUILD)/%.o: %.c | $(VERSION_H)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The shared library exports the sift_ names only (lib/libsift.map): the
# helpers its files share stay inside.
$(SHLIB): $(LIB_OBJ) lib/libsift.map
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) \
	  -Wl,--version-script=lib/libsift.map -o $@ $(LIB_OBJ) $(ALL_LIBS)
	ln -sf $(@F) $(BUILD)/$(SONAME)
	ln -sf $(@F) $(BUILD)/libsift.so

# sift/version.h, made from VERSION: the version a program compiles
# against, beside sift_version(), the one it runs with.
$(VERSION_H): Makefile
	@mkdir -p $(@D)
	@printf '%s\n' \
	  '/* sift/version.h - made by the Makefile from its VERSION. */' \
	  '#ifndef SIFT_VERSION_H' '#define SIFT_VERSION_H' '' \
	  '#define SIFT_VERSION "$(VERSION)"' \
	  '#define SIFT_VERSION_MAJOR $(word 1,$(subst ., ,$(VERSION)))' \
	  '#define SIFT_VERSION_MINOR $(word 2,$(subst ., ,$(VERSION)))' \
	  '#define SIFT_VERSION_PATCH $(word 3,$(subst ., ,$(VERSION)))' '' \
	  '#ifdef __cplusplus' 'extern "C" {' '#endif' '' \
	  '/* The version of the libsift running: SIFT_VERSION where the' \
	  ' * program was built against the same. */' \
	  'const char *sift_version(void);' '' \
	  '#ifdef __cplusplus' '}' '#endif' '' '#endif' >$@


$(BUILD)/tests/%: tests/unit/%.c $(LIBSIFT)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBSIFT) $(ALL_LIBS) \
	  $(CMOCKA_LIBS)

examples/tweets/gen-tweets: examples/tweets/gen-tweets.c
	$(CC) $(CSTD) $(WARNINGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< -lm

examples/annotators/gen-annotations: examples/annotators/gen-annotations.c
	$(CC) $(CSTD) $(WARNINGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< -lm

# check: the one command a fresh Debian machine needs.
check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory test

test: all $(UNIT_BIN) $(FAULT_SO)
	@tests/layers.sh $(BUILD)
	@SIFT=$(abspath $(BIN)) BUILD=$(BUILD) FAULT_SO=$(abspath $(FAULT_SO)) \
	  tests/run.sh $(UNIT_BIN)

# The fault shim (tests/fault/fault.c), loaded with LD_PRELOAD: the n-th
# write, read, fsync, rename or malloc fails. Never sanitized: ASan's
# runtime must come first among the libraries, so the tests that use
# the shim skip the sanitized build.
FAULT_SO = $(BUILD)/tests/fault.so
$(FAULT_SO): tests/fault/fault.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARNINGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -fPIC \
	  -shared -ftls-model=initial-exec -o $@ $< -ldl -pthread

# fault: the fault loops of tests/fault/run.sh, every call of a kind made
# to fail in turn in each of a set of commands (FAULT_MAX, FAULT_JOBS).
fault: all $(FAULT_SO)
	@tests/fault/run.sh $(abspath $(BIN)) $(abspath $(FAULT_SO))

sanitize:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory SANITIZE=1 test

# valgrind: the command tests with every sift run under memcheck (slow:
# not part of check; VALGRIND_TESTS=tests/cmd/x.bats for a few).
VALGRIND_TESTS ?= $(wildcard tests/cmd/*.bats)
valgrind: all
	@tests/valgrind.sh $(abspath $(BIN)) $(VALGRIND_TESTS)

demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@SIFT=$(abspath $(BIN)) examples/demo.sh

bench: all
	@SIFT=$(abspath $(BIN)) bench/run.sh

fuzz:
	@$(MAKE) --no-print-directory O=$(FUZZ_DIR)/obj CC=$(FUZZ_CC) \
	  SANFLAGS='$(FUZZ_SAN) -fsanitize=fuzzer-no-link' \
	  $(FUZZ_DIR)/obj/libsift.a
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
	  t=$${f##*/fuzz_}; mkdir -p $(FUZZ_DIR)/corpus/$$t; \
	  d=tests/fuzz/$$t.dict; \
	  if [ -f $$d ]; then dict=-dict=$$d; else dict=; fi; \
	  echo "make fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=$(FUZZ_DIR)/$$t- -print_final_stats=1 $$dict \
	    $(FUZZ_DIR)/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	  [ -n "$$(ls $(FUZZ_DIR)/corpus/$$t)" ] || \
	    { echo "make fuzz: $$t saved no corpus"; exit 1; }; \
	done

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h \
                    $(FUZZ_DIR)/obj/libsift.a
	$(FUZZ_CC) $(CSTD) $(WARNINGS) $(CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer \
	  -Iinclude $(PKG_CFLAGS) $(CSV_CFLAGS) -Wl,--wrap=fopen -o $@ $< \
	  $(FUZZ_DIR)/obj/libsift.a $(ALL_LIBS)

install: $(BIN) $(LIBSIFT) $(SHLIB)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	           $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(LIBDIR)/pkgconfig \
	           $(DESTDIR)$(INCLUDEDIR)/sift
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/sift
	for f in $(MAN_PAGES); do \
	  s=$${f##*.}; install -m 644 $$f $(DESTDIR)$(MANDIR)/man$$s/; \
	done
	install -m 644 include/sift/*.h $(VERSION_H) $(DESTDIR)$(INCLUDEDIR)/sift/
	install -m 644 $(LIBSIFT) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(SHLIB)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(notdir $(SHLIB)) $(DESTDIR)$(LIBDIR)/libsift.so
	@# sift.pc for pkg-config, written for this PREFIX, LIBDIR, INCLUDEDIR
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' \
	  'includedir=$(INCLUDEDIR)' '' 'Name: sift' \
	  'Description: sampling, labeling, annotator audits, rebalancing, training and metrics for ML data' \
	  'Version: $(VERSION)' 'Requires.private: $(PKGS)' \
	  'Libs: -L$${libdir} -lsift' 'Libs.private: $(CSV_LIBS) -lm -pthread' \
	  'Cflags: -I$${includedir}' >$(DESTDIR)$(LIBDIR)/pkgconfig/sift.pc
	chmod 644 $(DESTDIR)$(LIBDIR)/pkgconfig/sift.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sift
	rm -rf $(DESTDIR)$(INCLUDEDIR)/sift
	rm -f $(DESTDIR)$(LIBDIR)/libsift.a $(DESTDIR)$(LIBDIR)/libsift.so* \
	  $(DESTDIR)$(LIBDIR)/pkgconfig/sift.pc
	for f in $(MAN_PAGES); do \
	  s=$${f##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${f##*/}; \
	done

# deps: what is missing among DEB_PKGS, installed when we are root,
# otherwise the one command that would install it. dev-deps: the same
# for DEV_PKGS, the tools of the checks CI runs beyond make check.
deps:
	@$(MAKE) --no-print-directory install-pkgs PKGS='$(DEB_PKGS)' WHY=deps

dev-deps:
	@$(MAKE) --no-print-directory install-pkgs PKGS='$(DEV_PKGS)' \
	  WHY=dev-deps

install-pkgs:
	@command -v dpkg-query >/dev/null 2>&1 || { \
	  echo "make $(WHY): not a Debian system; install: $(PKGS)"; \
	  exit 0; }; \
	missing=""; \
	for p in $(PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
	    grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "make $(WHY): installing$$missing"; \
	  apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "make $(WHY): missing packages; run:"; \
	  echo "  sudo apt-get install$$missing"; \
	  exit 1; \
	fi

manlint:
	@for f in $(MAN_PAGES); do mandoc -Tlint -W warning $$f || exit 1; done

# The sources clang-format keeps (make format) and checks (make
# format-check, in CI).
FORMAT_SRC = $(wildcard include/sift/*.h lib/*.c lib/*.h tools/*.c \
             tools/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c \
             tests/fuzz/*.h tests/fault/*.c examples/*/*.c)

format:
	clang-format -i $(FORMAT_SRC)

format-check:
	@clang-format --dry-run -Werror $(FORMAT_SRC) && \
	  echo "make format-check: $(words $(FORMAT_SRC)) files as .clang-format writes them"

# include-graph: the include graph, tools/ over lib/ over include/sift/,
# as $(BUILD)/include-graph.dot, and .svg where Graphviz is installed.
include-graph: all
	@tests/layers.sh $(BUILD) $(BUILD)/include-graph.dot
	@if command -v dot >/dev/null 2>&1; then \
	  dot -Tsvg -o $(BUILD)/include-graph.svg $(BUILD)/include-graph.dot && \
	  echo "make include-graph: $(BUILD)/include-graph.svg"; \
	else echo "make include-graph: $(BUILD)/include-graph.dot (no dot)"; fi

# lint: clang-tidy's analyzer (.clang-tidy says which checks) and
# cppcheck; cppcheck's findings fail the build.
# One clang-tidy a source, so that make -j runs them side by side; its
# report on a source is kept in $(BUILD)/lint/, remade when it or a
# header changes.
LINT_OUT = $(LIB_SRC:%.c=$(BUILD)/lint/%.tidy) \
           $(TOOL_SRC:%.c=$(BUILD)/lint/%.tidy)
lint: $(LINT_OUT)
	@cat $(LINT_OUT)
	cppcheck --quiet --enable=warning,performance,portability \
	  --error-exitcode=1 --inline-suppr -Iinclude lib tools

$(BUILD)/lint/%.tidy: %.c $(VERSION_H) .clang-tidy $(wildcard include/sift/*.h lib/*.h tools/*.h)
	@mkdir -p $(@D)
	@clang-tidy --quiet $< -- $(SRC_FLAGS) >$@.tmp 2>/dev/null || \
	  { cat $@.tmp; rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@

# clang-check: the whole tree and its unit tests built by clang with
# every warning an error, into build/clang.
clang-check:
	@$(MAKE) --no-print-directory O=build/clang CC=clang \
	  CFLAGS='-O2 -g -Werror' build/clang/sift \
	  $(UNIT_SRC:tests/unit/%.c=build/clang/tests/%)

# tsan: the tests of the reader (its read-ahead thread), of the scan
# dispatch and of training (the threads of the --l2 grid) under
# ThreadSanitizer, built into build/tsan.
TSAN_TESTS = test_reader test_progress test_scan test_train
tsan:
	@$(MAKE) --no-print-directory O=build/tsan SANFLAGS=-fsanitize=thread \
	  $(TSAN_TESTS:%=build/tsan/tests/%)
	@for t in $(TSAN_TESTS); do \
	  TSAN_OPTIONS=halt_on_error=1 build/tsan/tests/$$t >/dev/null || \
	    { echo "make tsan: $$t failed"; exit 1; }; \
	done; echo "make tsan: $(TSAN_TESTS) clean under ThreadSanitizer"

# fuzz-smoke: every fuzz target for 10 seconds (CI).
fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=10

clean:
	rm -rf build sift $(GENERATORS)

-include $(LIB_OBJ:.o=.d) $(TOOL_OBJ:.o=.d) $(UNIT_BIN:=.d)
