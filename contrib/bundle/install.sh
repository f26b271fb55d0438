#!/bin/sh
# Installs the diskpredict offline bundle this script sits in. Needs only a POSIX shell and coreutils: the bundle
# carries its own Node runtime and its native modules already built. Prints every step it takes.
#
#   ./install.sh [--prefix DIR] [--ceph-module-dir DIR|none] [--systemd-dir DIR|none] [--config-dir DIR] [--no-user]
#
#   --prefix DIR           program in DIR/lib/diskpredict, command DIR/bin/diskpredict   (default /usr/local)
#   --ceph-module-dir DIR  Ceph's mgr module directory; the module goes to DIR/diskprediction_local, an existing
#                          foreign one is moved to DIR/diskprediction_local.orig        (default /usr/share/ceph/mgr
#                          when it exists; none = skip)
#   --systemd-dir DIR      where the units go                      (default /etc/systemd/system as root; none = skip)
#   --config-dir DIR       the daemon's config.json, kept when present                  (default /etc/diskpredict)
#   --no-user              do not create the system user diskpredict the units run as   (created as root otherwise)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=/usr/local
ceph_dir=
systemd_dir=
config_dir=/etc/diskpredict
create_user=yes

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --ceph-module-dir) ceph_dir=${2:?--ceph-module-dir needs a directory}; shift 2 ;;
    --systemd-dir) systemd_dir=${2:?--systemd-dir needs a directory}; shift 2 ;;
    --config-dir) config_dir=${2:?--config-dir needs a directory}; shift 2 ;;
    --no-user) create_user=no; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -f "$here/BUNDLE.json" ] && [ -x "$here/runtime/node" ] || { echo "install.sh: run me from an unpacked bundle" >&2; exit 1; }
case $prefix in /*) ;; *) prefix=$(pwd)/$prefix ;; esac

say() { echo "install.sh: $*"; }
is_root() { [ "$(id -u)" = 0 ]; }

libdir=$prefix/lib/diskpredict
# An earlier install of ours is replaced whole; anything else at that path is left alone.
if [ -e "$libdir" ]; then
  [ -f "$libdir/BUNDLE.json" ] || { echo "install.sh: $libdir exists and is not a diskpredict bundle; not touching it" >&2; exit 1; }
  rm -rf "$libdir"
  say "removed the previous install in $libdir"
fi
mkdir -p "$libdir" "$prefix/bin"
for entry in BUNDLE.json package.json README.md bin build dist docs models node_modules runtime contrib daemon etc; do
  [ -e "$here/$entry" ] && cp -R "$here/$entry" "$libdir/"
done
say "installed the program and its Node runtime in $libdir ($("$libdir/runtime/node" --version))"
ln -sf ../lib/diskpredict/bin/diskpredict "$prefix/bin/diskpredict"
say "linked $prefix/bin/diskpredict -> ../lib/diskpredict/bin/diskpredict"

if [ -z "$ceph_dir" ]; then
  if [ -d /usr/share/ceph/mgr ]; then ceph_dir=/usr/share/ceph/mgr; else ceph_dir=none; say "no /usr/share/ceph/mgr here: Ceph mgr module not installed (give --ceph-module-dir)"; fi
fi
if [ "$ceph_dir" != none ]; then
  mkdir -p "$ceph_dir"
  target=$ceph_dir/diskprediction_local
  if [ -d "$target" ] && [ ! -f "$target/daemon_client.py" ]; then
    rm -rf "$target.orig"
    mv "$target" "$target.orig"
    say "moved Ceph's own diskprediction_local to $target.orig (move it back to roll back)"
  fi
  rm -rf "$target"
  cp -R "$here/daemon/ceph-mgr/diskprediction_local" "$target"
  say "installed the Ceph mgr module in $target"
fi

mkdir -p "$config_dir"
if [ -f "$config_dir/config.json" ]; then
  say "kept the existing $config_dir/config.json"
else
  cp "$here/etc/config.json" "$config_dir/config.json"
  say "wrote $config_dir/config.json"
fi

if [ -z "$systemd_dir" ]; then
  if is_root && [ -d /etc/systemd ]; then systemd_dir=/etc/systemd/system; else systemd_dir=none; fi
fi
if [ "$systemd_dir" = none ]; then
  say "systemd units not installed (not root, no /etc/systemd, or --systemd-dir none)"
else
  mkdir -p "$systemd_dir"
  for unit in diskpredict.service diskpredict.socket; do
    sed -e "s|/usr/bin/diskpredict|$prefix/bin/diskpredict|g" -e "s|/etc/diskpredict/|$config_dir/|g" \
      "$here/contrib/systemd/$unit" >"$systemd_dir/$unit"
  done
  say "installed diskpredict.service and diskpredict.socket in $systemd_dir (ExecStart=$prefix/bin/diskpredict)"
  if [ $create_user = yes ] && is_root && ! id diskpredict >/dev/null 2>&1; then
    if command -v useradd >/dev/null 2>&1; then
      useradd --system --user-group --home-dir /var/lib/diskpredict --no-create-home --shell /usr/sbin/nologin \
        --comment "diskpredict daemon" diskpredict
    else
      adduser --system --group --home /var/lib/diskpredict --no-create-home --shell /usr/sbin/nologin diskpredict
    fi
    say "created the system user diskpredict"
  fi
  getent group ceph >/dev/null 2>&1 || say "note: no group 'ceph' here; the socket's SocketGroup=ceph needs it (or a drop-in with another group)"
  say "next: systemctl daemon-reload && systemctl enable --now diskpredict.socket"
fi
[ "$ceph_dir" = none ] || say "then: ceph config set mgr mgr/diskprediction_local/socket_path /run/diskpredict/diskpredict.sock; ceph config set global device_failure_prediction_mode local; ceph mgr module enable diskprediction_local (docs/ceph.md)"
say "done"
