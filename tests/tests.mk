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

$(BUILD)/test-runner: tests/runner.c
	$(CC) -std=gnu17 -O1 -g -Wall -Wextra -o $@ $<

test-scenarios: all $(BUILD)/test-runner $(SCEN_BINS)
	$(BUILD)/test-runner $(BUILD) $(SCEN_SRCS)

# Unit tests of the core data structures, plain and under ASan+UBSan.
UNIT_SRCS := tests/unit/unit.c src/core/htab.c src/core/graph.c src/core/chain.c src/common/options.c src/os/os.c
UNIT_FLAGS := -std=c17 -g -O1 -Wall -Wextra -pthread

$(BUILD)/unit: $(UNIT_SRCS) $(HDRS)
	$(CC) $(UNIT_FLAGS) -o $@ $(UNIT_SRCS)

$(BUILD)/unit-asan: $(UNIT_SRCS) $(HDRS)
	$(CC) $(UNIT_FLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -o $@ $(UNIT_SRCS)

test-unit: $(BUILD)/unit $(BUILD)/unit-asan
	$(BUILD)/unit
	$(BUILD)/unit-asan

test-cli: all $(BUILD)/examples/iommu_abba
	bash tests/cli/run.sh

# Adversarial suite: programs run plainly and under ulockdep (guest safety).
test-adversarial: all
	bash tests/adversarial/run.sh

test: test-unit test-scenarios test-cli test-adversarial
