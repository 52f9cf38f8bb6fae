# Scenario tests: every tests/scenarios/*.c states its verdict in
# "// expect:" lines; tests/runner checks the JSON reports against them.
SCEN_SRCS := $(wildcard tests/scenarios/*.c) $(wildcard tests/scenarios/*.cc)
SCEN_BINS := $(patsubst tests/scenarios/%,$(BUILD)/scenarios/%,$(basename $(SCEN_SRCS)))

$(BUILD)/scenarios/%: tests/scenarios/%.c include/ulockdep.h tests/scenarios/scenario.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu17 -O0 -g -Wall -Wextra -Wno-unused-function -Iinclude -pthread -o $@ $<

$(BUILD)/scenarios/%: tests/scenarios/%.cc include/ulockdep.h
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O0 -g -Wall -Wextra -Iinclude -pthread -o $@ $<

$(BUILD)/test-runner: tests/runner.c
	$(CC) -std=gnu17 -O1 -g -Wall -Wextra -o $@ $<

test-scenarios: all $(BUILD)/test-runner $(SCEN_BINS)
	$(BUILD)/test-runner $(BUILD) $(SCEN_SRCS)

test: test-scenarios
