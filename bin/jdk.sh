# Sourced by bin/build and bin/test: picks a JDK >= 21 (prefers Temurin 25) and exports JAVA_HOME.
kava_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1 | cut -d. -f1; }
kava_pick_jdk() {
  local best="" best_v=0 v d
  for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$d" ] && [ -x "$d/bin/javac" ] || continue
    v=$(kava_java_major "$d" 2>/dev/null || echo 0)
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v=$v; fi
  done
  if [ -z "$best" ]; then
    echo "kava: no JDK 21 or newer found (looked at JAVA_HOME and /usr/lib/jvm). Install one, e.g. Temurin 25." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
kava_pick_jdk
