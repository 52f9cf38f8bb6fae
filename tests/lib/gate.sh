# Sourced by the shell test stages. Every test there presupposes a runtime
# that works: rt_gate runs the bundled demo under LIB and sets RT_OK=1 if
# the inversion is reported, else RT_OK=0 and prints one FAIL line, and the
# stage then fails each of its tests. So no stage passes with a runtime that
# does nothing.
rt_gate() { # rt_gate [LIB]
  local lib=${1:-$PWD/build/libulockdep.so} demo=$PWD/build/examples/iommu_abba out
  out=$(mktemp /tmp/ulockdep-gate.XXXXXX)
  LD_PRELOAD=$lib ULOCKDEP_OPTIONS="json=$out" "$demo" >/dev/null 2>&1
  if grep -q '"kind":"circular"' "$out" 2>/dev/null; then RT_OK=1; else
    RT_OK=0
    echo "FAIL runtime_loaded: $demo under $lib reported nothing: is it the runtime?"
  fi
  rm -f "$out"
}
