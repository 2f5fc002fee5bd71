# ardoise: one flat GNU Makefile (see ../shared/STYLE.md rule 12).
#   make          build build/ardoise
#   make demo     install missing Debian packages, build, build content-example/ into a site
#   make test     same set-up, then every test (plain build and ASan/UBSan build)
BUILD    ?= build
PREFIX   ?= /usr/local
PKGS      = libgit2 libcmark-gfm libarchive yaml-0.1 libxml-2.0 libxxhash vips libmicrohttpd nettle zlib libdeflate
VERSION   = 0.1.0

CC       ?= cc
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE -MMD -MP \
            -DARDOISE_VERSION='"$(VERSION)"'
ifeq ($(FUZZ),1)
CFLAGS   += -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=fuzzer,address,undefined
endif
ifeq ($(SAN),1)
CFLAGS   += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=address,undefined
endif
-include config.mk

ifneq ($(MAKECMDGOALS),deps)
ifneq ($(shell pkg-config --exists $(PKGS) && echo ok),ok)
$(warning missing libraries ($(PKGS)): run ci/deps.sh or make demo)
endif
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libvips, libmicrohttpd, libxml2 and libarchive are not linked: each is
# loaded when first used (gen/image.c, gen/serve.c, gen/xmlib.c,
# gen/arlib.c); the tests use some of them directly
LAZY_PKGS  = vips libmicrohttpd libxml-2.0 libarchive
PKG_LIBS   := $(shell pkg-config --libs $(filter-out $(LAZY_PKGS),$(PKGS)) 2>/dev/null)
VIPS_LIBS  := $(shell pkg-config --libs vips 2>/dev/null)
TEST_LIBS  := $(shell pkg-config --libs libxml-2.0 libarchive 2>/dev/null)
CFLAGS   += $(PKG_CFLAGS) -pthread
LDLIBS   += $(PKG_LIBS) -pthread

SRCS      = $(sort $(wildcard gen/*.c))
OBJS      = $(SRCS:gen/%.c=$(BUILD)/obj/%.o)
LIBOBJS   = $(filter-out $(BUILD)/obj/main.o,$(OBJS))
UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNITS     = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
# translations: po/LANG.po -> BUILD/locale/LANG/LC_MESSAGES/ardoise.mo, found
# next to the binary (gen/i18n.c) and installed under PREFIX/share/locale
LINGUAS   = $(basename $(notdir $(wildcard po/*.po)))
MOS       = $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/ardoise.mo)

.PHONY: all deps demo test unit check-san install uninstall clean regress-rebuild bench fuzz fuzzers valgrind pot
all: $(BUILD)/ardoise $(MOS)

$(BUILD)/ardoise: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: gen/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Igen -Itests/unit -c -o $@ $<

# the unit tests make pictures with libvips and read XML with libxml2 themselves
$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIBOBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(VIPS_LIBS) $(TEST_LIBS)

unit: $(UNITS)

$(BUILD)/locale/%/LC_MESSAGES/ardoise.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# po/ardoise.pot from every message of gen/; then msgmerge --update po/fr.po
pot:
	xgettext -k_ -kN_ --from-code=UTF-8 --add-comments=TRANSLATORS: --package-name=ardoise \
	    --package-version=$(VERSION) -o po/ardoise.pot $(SRCS)

deps:
	sh ci/deps.sh

demo: deps
	$(MAKE) all
	sh tests/mkexample.sh $(BUILD)/demo/repo
	$(BUILD)/ardoise build $(BUILD)/demo/repo -o $(BUILD)/demo/site
	$(BUILD)/ardoise pack $(BUILD)/demo/site --usb $(BUILD)/demo/site.zip --cdn $(BUILD)/demo/site.tar.gz
	@echo "site: $(BUILD)/demo/site/index.html"
	@echo "USB zip: $(BUILD)/demo/site.zip, CDN archive: $(BUILD)/demo/site.tar.gz"

test: deps
	$(MAKE) all unit
	$(MAKE) BUILD=$(BUILD)/san SAN=1 all unit
	sh tests/run.sh $(BUILD) $(BUILD)/san

regress-rebuild: all
	sh tests/regress/rebuild.sh $(BUILD)

# libFuzzer harnesses (tests/fuzz/fuzz_*.c), built with clang into $(BUILD)/fuzz;
# `make fuzz FUZZ_SECONDS=N` runs each for N seconds from the committed
# seeds (tests/fuzz/corpus/NAME), keeping what it finds in $(BUILD)/fuzz/corpus.
FUZZ_SECONDS ?= 60
FUZZ_SRCS = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS   = $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/%)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(LIBOBJS)
	$(CC) $(CFLAGS) -Igen -o $@ $^ $(LDFLAGS) $(LDLIBS) $(TEST_LIBS)

fuzzers: $(FUZZERS)

fuzz: deps
	$(MAKE) BUILD=$(BUILD)/fuzz CC=clang FUZZ=1 fuzzers
	sh tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS)

# BENCH_EXTRA=0 skips the package and photo benchmarks (long: corpora of 1.5 GB, 200 photos)
bench: all
	sh bench/run.sh $(BUILD)
	if [ "$${BENCH_EXTRA:-1}" != 0 ]; then sh bench/pack.sh $(BUILD) && sh bench/photos.sh $(BUILD) $${BENCH_PHOTOS:-200}; fi

valgrind: all
	sh tests/valgrind.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/ardoise
	install -m 755 $(BUILD)/ardoise $(DESTDIR)$(PREFIX)/bin/ardoise
	cp -R themes $(DESTDIR)$(PREFIX)/share/ardoise/
	install -d $(DESTDIR)$(PREFIX)/share/ardoise/hooks
	install -m 755 hooks/pre-receive hooks/post-receive $(DESTDIR)$(PREFIX)/share/ardoise/hooks/
	for l in $(LINGUAS); do \
		install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES && \
		install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/ardoise.mo $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/ || exit 1; \
	done
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 doc/ardoise.1 $(DESTDIR)$(PREFIX)/share/man/man1/ardoise.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ardoise
	rm -rf $(DESTDIR)$(PREFIX)/share/ardoise
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/ardoise.1
	for l in $(LINGUAS); do rm -f $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/ardoise.mo; done

clean:
	rm -rf $(BUILD)

-include $(OBJS:.o=.d) $(wildcard $(BUILD)/tests/*.d)
