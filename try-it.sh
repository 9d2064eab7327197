#!/usr/bin/env bash
# Try the push component on this machine, end to end: builds the jar, starts a local Prosody with mod_cloud_notify
# (its own configuration in a temporary directory, loopback ports only), runs the component with the 'log' provider,
# lets a real XMPP client (Smack) register a device and enable push, sends a message to the offline user, and shows the
# 'log' provider printing the notification. Everything is stopped and removed at the end.
# Needs: Java 17, Maven, and Prosody with mod_cloud_notify. Run as root on Debian, it installs Prosody itself first
# (prosody; on Debian 12 also prosody-modules, which has mod_cloud_notify; Prosody 13 ships it) and stops the
# system-wide Prosody that Debian starts when it installs it, as try-it runs its own.
set -euo pipefail
cd "$(dirname "$0")"

. .ci/prosody.sh
missing=$(prosody_missing_packages)
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  fresh_prosody=
  command -v prosody >/dev/null 2>&1 || fresh_prosody=yes
  installed_now=
  for _ in 1 2; do
    [ -n "$missing" ] || break
    echo "try-it: installing $(echo $missing) with apt-get ..."
    [ -n "$installed_now" ] || DEBIAN_FRONTEND=noninteractive apt-get update -q
    # shellcheck disable=SC2086 # one package name per word
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
    installed_now=yes
    # Prosody's version decides whether mod_cloud_notify needs prosody-modules: ask again once it is installed.
    missing=$(prosody_missing_packages)
  done
  if [ -n "$fresh_prosody" ] && command -v service >/dev/null 2>&1; then
    service prosody stop >/dev/null 2>&1 || true
  fi
fi
if ! command -v prosody >/dev/null 2>&1 || ! prosody_has_cloud_notify; then
  echo "try-it: needs Prosody with mod_cloud_notify: $(prosody_advice); run as root to let try-it install it" >&2
  exit 1
fi

echo "try-it: building push-component (mvn package, tests skipped) ..."
classpath_file="$PWD/target/try-it-classpath.txt"
mkdir -p target
mvn -B -ntp -q -DskipTests -pl push-component -am package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"

cp="push-component/target/test-classes:push-component/target/classes:$(cat "$classpath_file")"
exec java -cp "$cp" io.pushcomponent.component.it.TryIt push-component/target/push-component.jar
