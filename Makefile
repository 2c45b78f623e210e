# tongbao - GNU Makefile.
#
#   make            build gen/tongbao
#   make WERROR=1   the same with warnings as errors (developers, CI)
#   make demo       run the sample quarter (and year) into out/
#   make check      every test suite, also under ASan+UBSan; ends "N passed, N failed"
#   make install    PREFIX=/usr/local DESTDIR=
#   make golden     regenerate the expected files of the golden tests (on purpose)
#   make bench      speed and memory figures (not a test)
#   make deps       install missing Debian packages (as root) or name them
#
# Quiet unless V=1.  CFLAGS from the user are appended.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/tongbao
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

CC      ?= cc
# Warnings are errors only when asked (WERROR=1: the developer build and
# .ci/run): a newer compiler's new warning must not stop a user's build.
WARN     = -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
ifeq ($(WERROR),1)
WARN    += -Werror
endif
OPT     ?= -O2 -g
# Every library through pkg-config, by its .pc name ...
PKGS     = libxml-2.0 libxslt libzip xlsxwriter harfbuzz-subset fontconfig libunibreak
# ... but for the two whose Debian 12 -dev package installs no .pc file
# (`pkg-config --list-all` names neither): libcsv (libcsv-dev) and libharu
# (libhpdf-dev).  They are asked of pkg-config all the same, under the
# names a packaging that has one uses (libcsv, libhpdf), and else linked
# by name.  This is the one place that names a library by hand.
NOPC     = libcsv:-lcsv libhpdf:-lhpdf
nopc     = $(foreach p,$(NOPC),$(shell pkg-config $(1) $(word 1,$(subst :, ,$p)) 2>/dev/null || echo $(if $(filter --libs,$(1)),$(word 2,$(subst :, ,$p)))))
# Asked of pkg-config once, when a recipe first needs them: on a fresh
# machine `make` installs the -dev packages (deps) before it compiles, and
# a value taken when the Makefile is read would be empty.
PKG_CFLAGS = $(eval PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS)) $(call nopc,--cflags))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(shell pkg-config --libs $(PKGS)) $(call nopc,--libs))$(PKG_LIBS)
ALL_CFLAGS = -std=c11 -pthread $(WARN) $(OPT) $(INCS) $(PKG_CFLAGS) -DTB_DATADIR='"$(DATADIR)"' -MMD -MP $(CFLAGS)
# libm and the threads are the C library's, which has no .pc file
LDLIBS_ALL = $(PKG_LIBS) -lm -pthread $(LDFLAGS)
CMOCKA_LIBS = $(eval CMOCKA_LIBS := $(shell pkg-config --libs cmocka))$(CMOCKA_LIBS)

SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# ThreadSanitizer: the program renders on threads (the statements; the
# portal page beside the PDF); suite_threads.sh runs this build
TSAN_FLAGS = -fsanitize=thread -O1

ifeq ($(V),1)
Q =
else
Q = @
endif

B        = out/build
# gen/ holds the commands (main.c, cli.c, run.c, cmd_*.c) and one folder
# per stage of the pipeline (README "Layout"); a header is included by its
# name alone, each stage's folder being on the include path.
STAGES   = base read score doc render publish
INCS     = -Igen $(STAGES:%=-Igen/%)
LIB_SRCS = $(filter-out gen/main.c,$(wildcard gen/*.c $(STAGES:%=gen/%/*.c)))
LIB_OBJS = $(LIB_SRCS:gen/%.c=$(B)/rel/%.o)
SAN_OBJS = $(LIB_SRCS:gen/%.c=$(B)/san/%.o)
TSAN_OBJS = $(LIB_SRCS:gen/%.c=$(B)/tsan/%.o)
TEST_SRCS = $(wildcard tests/unit/test_*.c)
TESTS     = $(TEST_SRCS:tests/unit/%.c=$(B)/rel/%)
SAN_TESTS = $(TEST_SRCS:tests/unit/%.c=$(B)/san/%)
# keep the test objects between runs (they are intermediate otherwise)
.SECONDARY: $(TESTS:%=%.o) $(SAN_TESTS:%=%.o)

.PHONY: all fonts deps demo check golden bench fuzz install clean print-cflags print-libs print-srcs

all: gen/tongbao fonts

# ---- fonts: the Fandol faces made ready for embedding (fonts/README.md) ----
# FandolFang (仿宋, the body), FandolKai (楷) and FandolSong (宋, the page
# numbers) come in Debian's texlive-lang-chinese, whose installation would
# bring TeX along: its .deb is fetched with `apt-get download` (no root
# needed) and kept in DEB_CACHE, which `make clean` leaves, and only the
# three faces are unpacked from it (dpkg-deb); fonts/mkfaces.py gives the
# first two TrueType outlines on a grid (Debian's python3-fonttools, about
# 20 s a face); FandolSong, of which a page draws a dozen glyphs, is used
# as it is.
DEB_CACHE  ?= out/debs
FANDOL_DEB  = texlive-lang-chinese
FANDOL      = $(B)/fandol/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
FACES       = $(B)/fonts/tb-fang.ttf $(B)/fonts/tb-kai.ttf $(B)/fonts/FandolSong-Regular.otf
fonts: $(FACES)
$(DEB_CACHE)/.fetched: | $(B)/.deps-ok
	$(Q)mkdir -p $(@D)
	$(Q)if ! ls $(@D)/$(FANDOL_DEB)_*.deb > /dev/null 2>&1; then \
	  echo "  FETCH   $(FANDOL_DEB) (49 MB: the faces FandolFang, FandolKai, FandolSong)"; \
	  (cd $(@D) && apt-get download $(FANDOL_DEB) > download.log 2>&1); \
	fi; \
	if ! ls $(@D)/$(FANDOL_DEB)_*.deb > /dev/null 2>&1; then \
	  sed 's/^/  /' $(@D)/download.log; \
	  echo "tongbao: cannot download the Debian package $(FANDOL_DEB), which holds"; \
	  echo "  the faces FandolFang (仿宋), FandolKai (楷) and FandolSong (宋).  Let"; \
	  echo "  apt reach a mirror (as root: apt-get update), or copy"; \
	  echo "  $(FANDOL_DEB)_*_all.deb (Debian 12) into $(@D)/, then run make again."; \
	  exit 1; \
	fi
	$(Q)touch $@
$(FANDOL)/%.otf: | $(DEB_CACHE)/.fetched
	$(Q)mkdir -p $(B)/fandol
	$(Q)dpkg-deb --fsys-tarfile $$(ls $(DEB_CACHE)/$(FANDOL_DEB)_*.deb | tail -n 1) | \
	  tar -x -C $(B)/fandol ./$(@:$(B)/fandol/%=%)
$(B)/fonts/tb-fang.ttf: fonts/mkfaces.py $(FANDOL)/FandolFang-Regular.otf
$(B)/fonts/tb-kai.ttf: fonts/mkfaces.py $(FANDOL)/FandolKai-Regular.otf
$(B)/fonts/tb-%.ttf:
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FACE    $@ (about 20 s)")
	$(Q)/usr/bin/python3 fonts/mkfaces.py $(lastword $^) $@.tmp
	$(Q)mv $@.tmp $@
$(B)/fonts/FandolSong-Regular.otf: $(FANDOL)/FandolSong-Regular.otf
	@mkdir -p $(@D)
	$(Q)cp $< $@

# ---- Debian packages ------------------------------------------------------
# Build: compiler, libraries, python3-fonttools (fonts/mkfaces.py).  Run:
# fonts (Noto CJK; AR PL for rare ideographs), the sRGB profile for PDF/A.
# Tests: cmocka, poppler-utils (read the PDF back), qpdf (read any PDF
# object: the structure tree, content streams), tidy, valgrind, and
# Java with Apache PDFBox's Preflight (every PDF checked as PDF/A-1b).
DEB_BUILD = gcc make pkg-config libxml2-dev libxslt1-dev libcsv-dev libhpdf-dev libunibreak-dev libzip-dev libxlsxwriter-dev \
            libharfbuzz-dev libfontconfig-dev python3-fonttools
DEB_RUN   = fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai libgs-common
DEB_TEST  = libcmocka-dev poppler-utils qpdf tidy valgrind python3 time chromium strace python3-openpyxl \
            default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java
# Node.js and npm run the browser test (tests/browser); a machine may have
# them from elsewhere (nodesource bundles npm), so look for the commands.
DEB_ALL   = $(DEB_BUILD) $(DEB_RUN) $(DEB_TEST)

deps: $(B)/.deps-ok
$(B)/.deps-ok: Makefile
	$(Q)missing=""; for p in $(DEB_ALL); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "tongbao needs these Debian packages:$$missing"; \
	    echo "  sudo apt-get install -y --no-install-recommends$$missing"; exit 1; \
	  fi; \
	fi
	$(Q)mkdir -p $(@D) && touch $@

# ---- build ------------------------------------------------------------------
$(B)/rel/%.o: gen/%.c | $(B)/.deps-ok
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/san/%.o: gen/%.c | $(B)/.deps-ok
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC san  $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(B)/tsan/%.o: gen/%.c | $(B)/.deps-ok
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC tsan $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(TSAN_FLAGS) -c -o $@ $<

$(B)/rel/test_%.o: tests/unit/test_%.c | $(B)/.deps-ok
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/san/test_%.o: tests/unit/test_%.c | $(B)/.deps-ok
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

# cli.o compiles DATADIR in: rebuild it when PREFIX/DATADIR change.
$(B)/datadir.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
$(B)/rel/cli.o $(B)/san/cli.o $(B)/tsan/cli.o: $(B)/datadir.stamp
FORCE:

gen/tongbao: $(B)/rel/main.o $(LIB_OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(B)/san/tongbao: $(B)/san/main.o $(SAN_OBJS)
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDLIBS_ALL)

$(B)/tsan/tongbao: $(B)/tsan/main.o $(TSAN_OBJS)
	$(Q)$(CC) $(ALL_CFLAGS) $(TSAN_FLAGS) -o $@ $^ $(LDLIBS_ALL)

$(B)/rel/test_%: $(B)/rel/test_%.o $(LIB_OBJS)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_ALL) $(CMOCKA_LIBS)

$(B)/san/test_%: $(B)/san/test_%.o $(SAN_OBJS)
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDLIBS_ALL) $(CMOCKA_LIBS)

# ---- run ----------------------------------------------------------------------
demo: gen/tongbao fonts
	$(Q)gen/tongbao quarter 2017Q1 --data samples --out out
	$(Q)gen/tongbao year 2017 --data samples --out out -q
	@echo "out/2017Q1: $$(ls out/2017Q1 | tr '\n' ' ')"

# ---- tests --------------------------------------------------------------------
# tests/run collects every suite's PASS/FAIL lines and prints the one summary.
check: gen/tongbao fonts $(TESTS) $(B)/san/tongbao $(SAN_TESTS) $(B)/tsan/tongbao
	$(Q)sh tests/run "$(B)"

golden: gen/tongbao
	$(Q)sh tests/golden/regen

bench: gen/tongbao fonts
	$(Q)sh tests/bench

# libFuzzer targets (tests/fuzz/): each runs FUZZ_SECONDS (60); crashes go
# to out/build/fuzz/ and, once understood, into tests/fuzz/regress/, which
# make check replays.  Needs clang and libclang-rt-14-dev.
fuzz: $(B)/.deps-ok
	$(Q)command -v clang >/dev/null || { echo "make fuzz needs: apt-get install clang libclang-rt-14-dev"; exit 1; }
	$(Q)B=$(B) sh tests/fuzz/run

# The installed binary finds DATADIR/templates and DATADIR/fonts (compiled in).
# The Fandol faces go beside fonts.conf, which then names them without
# ../out/build.
install: gen/tongbao fonts
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/templates/schema $(DESTDIR)$(DATADIR)/fonts
	install -m 755 gen/tongbao $(DESTDIR)$(BINDIR)/tongbao
	install -m 644 templates/*.* $(DESTDIR)$(DATADIR)/templates/
	install -m 644 templates/schema/*.xsd $(DESTDIR)$(DATADIR)/templates/schema/
	install -m 644 fonts/README.md $(FACES) $(DESTDIR)$(DATADIR)/fonts/
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 644 gen/tongbao.1 $(DESTDIR)$(MANDIR)/man1/tongbao.1
	sed 's|\.\./out/build/fonts/||' fonts/fonts.conf > $(DESTDIR)$(DATADIR)/fonts/fonts.conf

clean:
	rm -rf $(B) gen/tongbao

# The libraries' flags for the scripts that build with the project's
# objects (tests/suite_fuzzregress.sh, tests/fuzz/run), so that they too
# take them from PKGS and NOPC above and nowhere else.
print-cflags:
	@echo $(INCS) $(PKG_CFLAGS)
print-libs:
	@echo $(LDLIBS_ALL)
# The program's sources but main.c, for the same scripts.
print-srcs:
	@echo $(LIB_SRCS)

-include $(wildcard $(B)/*/*.d $(B)/*/*/*.d)
