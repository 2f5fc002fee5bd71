# ardoise: one flat GNU Makefile (see ../shared/STYLE.md rule 12).
#   make          build build/ardoise
#   make demo     install missing Debian packages, build, build content-example/ into a site
#   make test     same set-up, then every test (plain build and ASan/UBSan build)
BUILD    ?= build
PREFIX   ?= /usr/local
PKGS      = libgit2 libcmark-gfm libarchive yaml-0.1 libxml-2.0 libxxhash vips
VERSION   = 0.1.0

CC       ?= cc
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE -MMD -MP \
            -DARDOISE_VERSION='"$(VERSION)"'
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
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS   += $(PKG_CFLAGS) -pthread
LDLIBS   += $(PKG_LIBS) -pthread

SRCS      = $(sort $(wildcard gen/*.c))
OBJS      = $(SRCS:gen/%.c=$(BUILD)/obj/%.o)
LIBOBJS   = $(filter-out $(BUILD)/obj/main.o,$(OBJS))
UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNITS     = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps demo test unit check-san install uninstall clean regress-rebuild bench
all: $(BUILD)/ardoise

$(BUILD)/ardoise: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: gen/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Igen -Itests/unit -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIBOBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

unit: $(UNITS)

deps:
	sh ci/deps.sh

demo: deps
	$(MAKE) all
	sh tests/mkexample.sh $(BUILD)/demo/repo
	$(BUILD)/ardoise build $(BUILD)/demo/repo -o $(BUILD)/demo/site
	@echo "site: $(BUILD)/demo/site/index.html"

test: deps
	$(MAKE) all unit
	$(MAKE) BUILD=$(BUILD)/san SAN=1 all unit
	sh tests/run.sh $(BUILD) $(BUILD)/san

regress-rebuild: all
	sh tests/regress/rebuild.sh $(BUILD)

bench: all
	sh bench/run.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/ardoise
	install -m 755 $(BUILD)/ardoise $(DESTDIR)$(PREFIX)/bin/ardoise
	cp -R themes $(DESTDIR)$(PREFIX)/share/ardoise/
	install -d $(DESTDIR)$(PREFIX)/share/ardoise/hooks
	install -m 755 hooks/pre-receive hooks/post-receive $(DESTDIR)$(PREFIX)/share/ardoise/hooks/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ardoise
	rm -rf $(DESTDIR)$(PREFIX)/share/ardoise

clean:
	rm -rf $(BUILD)

-include $(OBJS:.o=.d) $(wildcard $(BUILD)/tests/*.d)
