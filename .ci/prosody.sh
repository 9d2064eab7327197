# Sourced by .ci/run and ./try-it.sh: where Debian's Prosody keeps mod_cloud_notify, and how to get it.
#   Prosody 0.12 (Debian 12):                           /usr/lib/prosody/modules/mod_cloud_notify/mod_cloud_notify.lua,
#                                                       from the prosody-modules package
#   Prosody 13 (Debian 13, Debian 12 bookworm-backports): /usr/lib/prosody/modules/mod_cloud_notify.lua, inside the
#                                                       prosody package itself (prosody-modules no longer has it)

# PROSODY_LIB: Prosody's library directory; Debian's unless set (the tests point it at other layouts).
prosody_lib=${PROSODY_LIB:-/usr/lib/prosody}
prosody_modules_dir=$prosody_lib/modules

# The installed Prosody's version (e.g. 0.12.3, 13.0.1), or nothing.
prosody_version() {
  cat "$prosody_lib/prosody.version" 2>/dev/null || true
}

# Succeeds when mod_cloud_notify is where the installed Prosody loads it from.
prosody_has_cloud_notify() {
  [ -f "$prosody_modules_dir/mod_cloud_notify.lua" ] \
    || [ -f "$prosody_modules_dir/mod_cloud_notify/mod_cloud_notify.lua" ]
}

# Succeeds for Prosody 13 and later, which ship mod_cloud_notify themselves.
prosody_ships_cloud_notify() {
  local major
  major=$(prosody_version | cut -d. -f1)
  [ -n "$major" ] && [ "$major" -ge 13 ] 2>/dev/null
}

# The Debian packages still missing for Prosody with mod_cloud_notify, one per line (nothing when all is there).
prosody_missing_packages() {
  if ! command -v prosody >/dev/null 2>&1; then
    echo prosody
  elif ! prosody_has_cloud_notify && ! prosody_ships_cloud_notify; then
    echo prosody-modules
  fi
}

# What to tell a user who has no mod_cloud_notify and cannot install it here.
prosody_advice() {
  if ! command -v prosody >/dev/null 2>&1; then
    echo "install Prosody: apt-get install prosody (on Debian 12 also prosody-modules, which has mod_cloud_notify;" \
      "Prosody 13 ships it itself)"
  elif prosody_ships_cloud_notify; then
    echo "Prosody $(prosody_version) ships mod_cloud_notify itself, but $prosody_modules_dir/mod_cloud_notify.lua is" \
      "missing: reinstall it (apt-get install --reinstall prosody)"
  else
    echo "Prosody $(prosody_version) needs mod_cloud_notify from the community modules: apt-get install prosody-modules"
  fi
}
