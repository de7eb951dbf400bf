#!/usr/bin/env bash
# DynamoDB Local (the local database) runs on Java 17 or newer. This makes sure it is there: it installs Debian's
# OpenJDK 17 when it is missing and this runs as root with apt-get, and otherwise says exactly what to do.
set -euo pipefail
NEED=17

java_major() {
  java -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

if command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge "$NEED" ] 2>/dev/null; then
  exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Java $NEED+ is needed for DynamoDB Local; installing openjdk-17-jre-headless with apt-get (one time)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  if command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge "$NEED" ]; then
    echo "Java $(java_major) installed."
    exit 0
  fi
fi

cat >&2 <<MSG

✖ DynamoDB Local needs Java $NEED or newer, and $(command -v java >/dev/null 2>&1 && echo "this machine has Java $(java_major)" || echo "this machine has no java").
  On Debian or Ubuntu:  sudo apt-get install -y openjdk-17-jre-headless
  Elsewhere: install any Java $NEED+ runtime and make sure \`java\` is on the PATH, then run the command again.

MSG
exit 1
