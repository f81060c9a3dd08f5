# Sourced by each fixture's build.sh after it set HERE to its folder: two suites may build at once
# (apps/compat and tools/flink-runtime); the second waits for the first on a lock over that
# build.sh, then finds the fixture up to date.
if command -v flock >/dev/null 2>&1; then
  exec 9<"$HERE/build.sh"
  flock 9
fi
