# ulockdep: lock dependency validator for userspace C/C++ programs.
CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   := build
WARN    := -Wall -Wextra
CFLAGS  ?= -O2 -g
RTOPT   ?=
RTFLAGS := -std=c17 $(WARN) -fPIC -fvisibility=hidden -ftls-model=initial-exec \
           -fomit-frame-pointer -fno-tree-slp-vectorize
RT_SRCS := $(wildcard src/os/*.c src/common/*.c src/core/*.c src/report/*.c src/intercept/*.c src/api/*.c) src/runtime.c
RT_OBJS := $(RT_SRCS:%.c=$(BUILD)/obj/%.o)
WRAP_OBJS := $(RT_SRCS:%.c=$(BUILD)/objw/%.o)
HDRS    := $(wildcard src/*/*.h src/common/options.def)
DEPFLAGS = -MMD -MP

.PHONY: all demo test test-unit test-scenarios test-scenarios-asan test-scenarios-lockstat test-cli test-lockstat test-db test-adversarial test-real test-install bench install uninstall clean
all: $(BUILD)/libulockdep.so $(BUILD)/libulockdep-wrap.a $(BUILD)/ulockdep-wrap.flags $(BUILD)/ulockdep \
     $(BUILD)/ulockdep.1 $(BUILD)/ulockdep.pc

# Each object depends on the headers it includes (-MMD), not on every header.
# An object without its .d (built before it existed) is rebuilt: the empty
# rule for a missing .d makes it out of date.
$(BUILD)/obj/%.o: %.c $(BUILD)/obj/%.d
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(RTOPT) $(RTFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/objw/%.o: %.c $(BUILD)/objw/%.d
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(RTFLAGS) $(DEPFLAGS) -DUL_WRAP_MODE -c $< -o $@

%.d: ;
.PRECIOUS: %.d

-include $(RT_OBJS:.o=.d) $(WRAP_OBJS:.o=.d)

$(BUILD)/libulockdep.so: $(RT_OBJS)
	$(CC) $(CFLAGS) $(RTOPT) -shared -o $@ $(RT_OBJS) -Wl,-z,nodelete -Wl,--no-undefined -ldl -lpthread

$(BUILD)/libulockdep-wrap.a: $(WRAP_OBJS)
	rm -f $@ && ar rcs $@ $(WRAP_OBJS)

# Static mode: the linker flags that route every interposed call to libulockdep-wrap.a,
# read from the __wrap_ symbols the archive really defines, so the list cannot drift.
# -u pulls every wrapper in: a weak reference (libgcc's to pthread_mutex_lock)
# alone would not, and would then resolve to address 0.
$(BUILD)/ulockdep-wrap.flags: $(BUILD)/libulockdep-wrap.a
	nm --defined-only -g $< | awk '$$2 == "T" && $$3 ~ /^__wrap_/ { sub(/^__wrap_/, "", $$3); print $$3 }' \
	  | sort -u | sed 's/.*/-Wl,--wrap=& -Wl,-u,__wrap_&/' | tr '\n' ' ' > $@.tmp
	test -s $@.tmp && mv $@.tmp $@

CLI_SRCS := $(wildcard src/cli/*.c) src/common/options.c src/common/outfile.c src/common/fingerprint.c
$(BUILD)/ulockdep: $(CLI_SRCS) $(wildcard src/cli/*.h) src/common/options.h src/common/outfile.h src/common/options.def \
		   src/common/snapshot.h src/common/fingerprint.h src/common/utf8.h
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) -std=c17 $(WARN) -o $@ $(CLI_SRCS) -lsqlite3 -lm

$(BUILD)/ulockdep.1: $(BUILD)/ulockdep
	$(BUILD)/ulockdep --man > $@

$(BUILD)/ulockdep.pc: ulockdep.pc.in
	@mkdir -p $(BUILD)
	sed -e 's|@PREFIX@|$(PREFIX)|g' ulockdep.pc.in > $@

# The bundled example: seed 002's device_domain_lock vs iommu->lock ABBA.
demo: all $(BUILD)/examples/iommu_abba
	@echo "== running examples/iommu_abba.c under ulockdep =="
	$(BUILD)/ulockdep -- $(BUILD)/examples/iommu_abba

$(BUILD)/examples/%: examples/%.c include/ulockdep.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu17 -O1 -g -Wall -Wextra -Iinclude -pthread -o $@ $< -Wno-unused-function

include tests/tests.mk

bench: all
	bash bench/run.sh
	bash bench/graph_db.sh

test-real: all
	bash tests/real/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/ulockdep $(DESTDIR)$(PREFIX)/include/ulockdep \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/ulockdep $(DESTDIR)$(PREFIX)/bin/ulockdep
	install -m 755 $(BUILD)/libulockdep.so $(DESTDIR)$(PREFIX)/lib/ulockdep/libulockdep.so
	install -m 644 $(BUILD)/libulockdep-wrap.a $(DESTDIR)$(PREFIX)/lib/ulockdep/libulockdep-wrap.a
	install -m 644 $(BUILD)/ulockdep-wrap.flags $(DESTDIR)$(PREFIX)/lib/ulockdep/ulockdep-wrap.flags
	install -m 644 include/ulockdep.h $(DESTDIR)$(PREFIX)/include/ulockdep.h
	install -m 644 include/ulockdep/lockdep.h $(DESTDIR)$(PREFIX)/include/ulockdep/lockdep.h
	install -m 644 $(BUILD)/ulockdep.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/ulockdep.pc
	install -m 644 $(BUILD)/ulockdep.1 $(DESTDIR)$(PREFIX)/share/man/man1/ulockdep.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ulockdep $(DESTDIR)$(PREFIX)/lib/ulockdep/libulockdep.so \
	  $(DESTDIR)$(PREFIX)/lib/ulockdep/libulockdep-wrap.a $(DESTDIR)$(PREFIX)/lib/ulockdep/ulockdep-wrap.flags \
	  $(DESTDIR)$(PREFIX)/include/ulockdep.h \
	  $(DESTDIR)$(PREFIX)/include/ulockdep/lockdep.h $(DESTDIR)$(PREFIX)/lib/pkgconfig/ulockdep.pc \
	  $(DESTDIR)$(PREFIX)/share/man/man1/ulockdep.1
	-rmdir $(DESTDIR)$(PREFIX)/lib/ulockdep $(DESTDIR)$(PREFIX)/include/ulockdep 2>/dev/null

clean:
	rm -rf $(BUILD)
