#!/usr/bin/env bash
# Try the push component on this machine, end to end: builds the jar, starts a local Prosody with mod_cloud_notify
# (its own configuration in a temporary directory, loopback ports only), runs the component with the 'log' provider,
# lets a real XMPP client (Smack) register a device and enable push, sends a message to the offline user, and shows the
# 'log' provider printing the notification. Everything is stopped and removed at the end.
# Needs: Java 17, Maven, and Debian's prosody + prosody-modules (apt-get install prosody prosody-modules).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v prosody >/dev/null 2>&1 || [ ! -f /usr/lib/prosody/modules/mod_cloud_notify/mod_cloud_notify.lua ]; then
  echo "try-it: needs Prosody with mod_cloud_notify: apt-get install prosody prosody-modules" >&2
  exit 1
fi

echo "try-it: building push-component (mvn package, tests skipped) ..."
classpath_file="$PWD/target/try-it-classpath.txt"
mkdir -p target
mvn -B -ntp -q -DskipTests -pl push-component -am package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"

cp="push-component/target/test-classes:push-component/target/classes:$(cat "$classpath_file")"
exec java -cp "$cp" io.pushcomponent.component.it.TryIt push-component/target/push-component.jar
