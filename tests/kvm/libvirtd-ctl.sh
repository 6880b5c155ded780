#!/bin/sh
# libvirtd-ctl.sh - kvm/libvirtd-ctl, which every libvirt test and .ci/run
# use to start the daemons, starts them again after a stop.
#
# The bug this guards: stop ended virtlogd but its socket file stayed in
# /run/libvirt, and the next start took the file for a running virtlogd,
# started libvirtd alone, and every QEMU domain then failed ("Failed to
# connect socket to '/run/libvirt/virtlogd-sock': Connection refused"):
# tests/kvm/validate.sh failed whole after tests/kvm/import-libvirt.sh.
# Checks: start, stop, start again (with a relative state folder) (both daemons started each time,
# virtlogd answering its socket), stop leaves neither running, and a
# socket file left without its daemon does not stop a start; a /dev/kvm
# that QEMU's user cannot open is given back to group kvm.
# Skipped where a libvirtd not started here already answers.
name=libvirtd-ctl
. "$(dirname "$0")/../cli/lib.sh"
uri=qemu:///system
PATH=$PATH:/usr/sbin:/sbin
ctl() { sh "$top/kvm/libvirtd-ctl" "$@"; }
runs() {	# $1 = command name: is such a process running?
	for c in /proc/[0-9]*/comm; do
		[ "$(cat "$c" 2>/dev/null)" = "$1" ] && return 0
	done
	return 1
}
# does virtlogd answer on its socket? (virt-admin talks to its admin one)
logd_answers() {
	"$py" - <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect("/run/libvirt/virtlogd-sock")
except OSError:
    sys.exit(1)
PY
}

if ! command -v libvirtd >/dev/null 2>&1; then
	skipped "no libvirtd: run scripts/install-deps"; finish; exit
fi
if virsh -c $uri version >/dev/null 2>&1; then
	skipped "a libvirtd already runs: not touching it"; finish; exit
fi
trap 'ctl stop "$tmp/s" >/dev/null 2>&1; rm -rf "$tmp"' EXIT

# round 2 names its state folder relatively, as bench/validate does (the
# daemons chdir to / before they write their pid files there)
for round in 1 2; do
	if [ $round = 1 ]; then
		out=$(ctl start "$tmp/s" 2>&1)
	else
		out=$(cd "$tmp" && ctl start s 2>&1)
	fi
	case $out in
	*"started virtlogd libvirtd"*) ok ;;
	*) bad "start $round: both daemons started: $out" ;;
	esac
	logd_answers && ok || bad "start $round: virtlogd answers its socket"
	virsh -c $uri version >/dev/null 2>&1 && ok ||
		bad "start $round: libvirtd answers"
	ctl stop "$tmp/s"
	runs virtlogd && bad "stop $round: virtlogd still runs" || ok
	runs libvirtd && bad "stop $round: libvirtd still runs" || ok
done

# a socket file without its daemon, as a killed virtlogd leaves
mkdir -p /run/libvirt
rm -f /run/libvirt/virtlogd-sock
"$py" -c 'import socket; socket.socket(socket.AF_UNIX).bind("/run/libvirt/virtlogd-sock")'
out=$(ctl start "$tmp/s" 2>&1)
case $out in
*"started virtlogd libvirtd"*) ok ;;
*) bad "stale socket: both daemons started: $out" ;;
esac
logd_answers && ok || bad "stale socket: virtlogd answers its socket"
ctl stop "$tmp/s"

# /dev/kvm in a group QEMU's user is not in, as a chroot's package
# scripts left the host's node: start gives it back to group kvm (else
# libvirtd probed QEMU again, 45 s, at every domain call), and says so;
# a node that is right is left alone, silently
if [ -c /dev/kvm ] && getent group kvm >/dev/null && id libvirt-qemu >/dev/null 2>&1; then
	was=$(stat -c '%g %a' /dev/kvm)
	chgrp root /dev/kvm
	out=$(ctl start "$tmp/s" 2>&1)
	case $out in
	*"/dev/kvm was root:root "*", which libvirt-qemu cannot open: now root:kvm "*) ok ;;
	*) bad "kvm node: start says it gave /dev/kvm back to kvm: $out" ;;
	esac
	[ "$(stat -c %G /dev/kvm)" = kvm ] && ok || bad "kvm node: group kvm"
	setpriv --reuid libvirt-qemu --regid "$(id -g libvirt-qemu)" \
		--init-groups sh -c 'test -r /dev/kvm && test -w /dev/kvm' && ok ||
		bad "kvm node: libvirt-qemu opens /dev/kvm"
	ctl stop "$tmp/s"
	out=$(ctl start "$tmp/s" 2>&1)
	case $out in
	*/dev/kvm*) bad "kvm node: a right node is left alone: $out" ;;
	*) ok ;;
	esac
	ctl stop "$tmp/s"
	chgrp "${was% *}" /dev/kvm	# as it was: this test changes nothing
	[ "$(stat -c '%g %a' /dev/kvm)" = "$was" ] && ok ||
		bad "kvm node: put back as it was ($was)"
else
	skipped "kvm node: no /dev/kvm, kvm group or libvirt-qemu user"
fi
finish
