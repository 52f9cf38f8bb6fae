# Scenario tests: every tests/scenarios/*.c states its verdict in
# "// expect:" lines; tests/runner checks the JSON reports against them.
SCEN_SRCS := $(wildcard tests/scenarios/*.c) $(wildcard tests/scenarios/*.cc)
SCEN_BINS := $(patsubst tests/scenarios/%,$(BUILD)/scenarios/%,$(basename $(SCEN_SRCS)))

$(BUILD)/scenarios/%: tests/scenarios/%.c include/ulockdep.h include/ulockdep/lockdep.h $(wildcard tests/scenarios/*.h)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu17 -O0 -g -Wall -Wextra -Wno-unused-function -Iinclude -pthread -o $@ $<

$(BUILD)/scenarios/%: tests/scenarios/%.cc include/ulockdep.h
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O0 -g -Wall -Wextra -Iinclude -pthread -o $@ $<

# Modules that scenarios dlopen (tests/scenarios/lib/NAME.c -> libNAME.so).
SCEN_LIBS := $(patsubst tests/scenarios/lib/%.c,$(BUILD)/scenarios/lib%.so,$(wildcard tests/scenarios/lib/*.c))

$(BUILD)/scenarios/lib%.so: tests/scenarios/lib/%.c include/ulockdep.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu17 -O0 -g -fPIC -shared -Wall -Wextra -Iinclude -pthread -o $@ $<

$(BUILD)/test-runner: tests/runner.c
	@mkdir -p $(BUILD)
	$(CC) -std=gnu17 -O1 -g -Wall -Wextra -o $@ $<

test-scenarios: all $(BUILD)/test-runner $(SCEN_BINS) $(SCEN_LIBS)
	@$(BUILD)/test-runner $(BUILD) $(SCEN_SRCS)

# Unit tests of the core data structures, plain and under ASan+UBSan.
UNIT_SRCS := tests/unit/unit.c src/core/htab.c src/core/graph.c src/core/chain.c src/common/options.c src/common/outfile.c src/os/os.c
UNIT_FLAGS := -std=c17 -g -O1 -Wall -Wextra -pthread

$(BUILD)/unit: $(UNIT_SRCS) $(HDRS)
	@mkdir -p $(BUILD)
	$(CC) $(UNIT_FLAGS) -o $@ $(UNIT_SRCS)

$(BUILD)/unit-asan: $(UNIT_SRCS) $(HDRS)
	@mkdir -p $(BUILD)
	$(CC) $(UNIT_FLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -o $@ $(UNIT_SRCS)

# The kernel selftest matrix against the core alone, through a test sink
# that stands in for the report layer (tests/unit/core_matrix.c).
CORE_SRCS := $(wildcard src/core/*.c) src/os/os.c src/common/options.c
$(BUILD)/core-matrix: tests/unit/core_matrix.c $(CORE_SRCS) $(HDRS)
	@mkdir -p $(BUILD)
	$(CC) $(UNIT_FLAGS) -o $@ tests/unit/core_matrix.c $(CORE_SRCS) -ldl

test-unit: $(BUILD)/unit $(BUILD)/unit-asan $(BUILD)/core-matrix
	$(BUILD)/unit
	$(BUILD)/unit-asan
	$(BUILD)/core-matrix

test-cli: all $(BUILD)/examples/iommu_abba
	bash tests/cli/run.sh

# Adversarial suite: programs run plainly and under ulockdep (guest safety).
test-adversarial: all $(BUILD)/examples/iommu_abba
	bash tests/adversarial/run.sh

test-lockstat: all $(BUILD)/examples/iommu_abba
	bash tests/lockstat/run.sh

# The scenarios again with lock statistics on: every verdict must hold
# (the statistics take their own path through the interceptors).
test-scenarios-lockstat: all $(BUILD)/test-runner $(SCEN_BINS)
	UL_TEST_OPTIONS=lock_stat=1 $(BUILD)/test-runner $(BUILD) $(SCEN_SRCS)

# The stages of make test, in order; tests/run.sh adds them up in one closing line.
TEST_STAGES := unit scenarios scenarios-asan scenarios-lockstat cli lockstat db adversarial
test: all
	bash tests/run.sh $(TEST_STAGES)

# The scenarios again, against an ASan+UBSan build of the runtime itself.
# libasan is preloaded first and then owns malloc/free: its quarantine never
# reuses an address and our free()/realloc() interceptors are not the ones called, so the
# scenarios about freed memory, one that brings its own malloc, and one that checks a
# captured stack (libasan's backtrace() starts in its own frames) say SKIP here
# (they run in test-scenarios).
ASAN_BUILD := $(BUILD)-asan
ASAN_RT := -fsanitize=address,undefined -fno-sanitize-recover=undefined
ASAN_SKIP := free_held memory_reuse seed_003 reuse_realloc alloc_unmaps wait_malloc_init_condvar deadlock_late_waiter_stack
test-scenarios-asan: $(BUILD)/test-runner $(SCEN_BINS) $(SCEN_LIBS)
	$(MAKE) BUILD=$(ASAN_BUILD) RTOPT="$(ASAN_RT)" $(ASAN_BUILD)/libulockdep.so
	@mkdir -p $(ASAN_BUILD)/scenarios
	cp $(SCEN_BINS) $(SCEN_LIBS) $(ASAN_BUILD)/scenarios/
	@for s in $(ASAN_SKIP); do echo "SKIP $$s: libasan owns malloc/free (and unwinding) under the sanitized runtime"; done
	@ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UL_TEST_PRELOAD_FIRST=$$($(CC) -print-file-name=libasan.so) \
	  $(BUILD)/test-runner $(ASAN_BUILD) $(filter-out $(addprefix tests/scenarios/,$(addsuffix .c,$(ASAN_SKIP))),$(SCEN_SRCS))

# --graph-db and the db commands (tests/cli/db.sh)
test-db: all $(BUILD)/examples/iommu_abba
	bash tests/cli/db.sh
