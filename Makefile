# SPDX-License-Identifier: GPL-2.0
#
# pagehint: top-level build. Targets:
#   make            pagehint.ko, userspace-ctl/pagehintctl, the test tools
#                   and test modules (selftests/phtest, selftests/zsbench)
#   make deps       install what the build and the VM tests need (apt) and
#                   fetch the kernel matrix (selftests/vm/kernels.conf)
#   make check      host unit tests + every selftest in a VM, one verdict
#   make check-debug the same on the debug kernel (../shared/kernels; the
#                   6.12 one with DEBUG=6.12)
#   make peer       the kernel's own mm selftests without and with pagehint
#                   loaded and hot, verdicts compared (KDIR=... per kernel)
#   make soak       every component at once for MINUTES (default 2) on the
#                   debug kernel, then splats, corruption and leaks checked
#   make check-all  make check on every kernel of the matrix, a verdict each
#   make demo       boot a VM, load the module, show what it sees
#   make vm [RUN=…] interactive guest shell, or run one command there
#   make bench      instruction-counted benchmarks (icount), table + JSON
#   make bench-all  00_overhead, 30_states_grep, 40_zspool (or BENCH=…) on
#                   every kernel of the matrix, one table
#   make profile    guest instructions per kernel function, module loaded
#                   vs absent (PROFILE=selftests/icprof/read.sh, UNITS=73728)
#   make policies   the README's parameter table, from the module (a VM
#                   boot: the defaults are a plain load's values)
#   make install / uninstall, make clean
#
# KDIR: kernel build tree, a path or the name of a line of
# selftests/vm/kernels.conf (KDIR=6.12). Default: the first line's, 6.1
# (Debian 12's kernel) as make deps fetched it into .cache/kernels; headers
# installed on the machine never change it. The image and modules to boot
# follow from KDIR. For the running kernel of a test system:
# KDIR=/lib/modules/$(uname -r)/build.

SHELL := /bin/bash
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# the kernel asked for, if any (make soak defaults to the debug kernel)
KDIR_ASKED := $(KDIR)
override KDIR := $(shell $(TOP)/selftests/vm/kver.sh kdir $(KDIR))
# the scripts the targets run read KDIR from the environment: an override
# is not exported by itself (make check KDIR=6.12 ran the default kernel)
export KDIR
KVER := $(shell $(TOP)/selftests/vm/kver.sh release $(KDIR))
# make -C KDIR, on this machine or in the tree's build chroot
KMAKE := $(TOP)/selftests/vm/kmake.sh
PREFIX ?= /usr/local
CC ?= cc
CFLAGS_USER := -std=c11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I$(TOP)/include

CTL_SRCS := $(wildcard userspace-ctl/*.c)
CTL_HDRS := $(wildcard userspace-ctl/*.h) include/uapi/pagehint.h

.PHONY: all module ctl zsbench phtest policies deps quickdeps check check-all \
	check-debug peer soak unit demo vm bench bench-all icprof profile install \
	uninstall clean checkstyle

all: module ctl zsbench phtest

module:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || \
		{ echo "no kernel build tree (KDIR); run 'make deps'" >&2; exit 1; }
	+$(KMAKE) $(KDIR) M=$(TOP) modules

TOOLS := $(patsubst %.c,%,$(wildcard selftests/tools/*.c))

# zsbench.ko: zspool vs the kernel's zsmalloc (selftests/zsbench, not part
# of pagehint.ko); links against pagehint.ko's exports.
zsbench: module
	+$(KMAKE) $(KDIR) M=$(TOP)/selftests/zsbench \
		KBUILD_EXTRA_SYMBOLS=$(TOP)/Module.symvers modules

# phtest.ko: the test module (selftests/phtest: the zspool workload driver
# and the balloon's test hooks); links against pagehint.ko's exports.
phtest: module
	+$(KMAKE) $(KDIR) M=$(TOP)/selftests/phtest \
		KBUILD_EXTRA_SYMBOLS=$(TOP)/Module.symvers modules

ctl: userspace-ctl/pagehintctl $(TOOLS)

selftests/tools/%: selftests/tools/%.c
	$(CC) $(CFLAGS_USER) -pthread -o $@ $<

userspace-ctl/pagehintctl: $(CTL_SRCS) $(CTL_HDRS)
	$(CC) $(CFLAGS_USER) -o $@ $(CTL_SRCS)

deps:
	@$(TOP)/selftests/vm/deps.sh

# what make check needs: make deps when anything is missing, else nothing
quickdeps:
	@$(TOP)/selftests/vm/deps.sh --quick

unit:
	$(MAKE) -C selftests/unit CC=$(CC)

check: quickdeps
	@$(TOP)/selftests/check.sh

check-all: quickdeps
	@$(TOP)/selftests/check-all.sh

# The whole suite on the debug kernel (KASAN, lockdep, kmemleak, fault
# injection); it runs workloads 2-3x slower: timeouts x3.
check-debug: quickdeps
	@DK=$$($(TOP)/selftests/vm/debug-kernel.sh $(DEBUG)) || \
		{ echo "no debug kernel $(DEBUG) in ../shared/kernels" >&2; exit 1; }; \
	KDIR=$$DK PH_TIMEOUT_SCALE=$${PH_TIMEOUT_SCALE:-3} $(TOP)/selftests/check.sh

peer: quickdeps
	@$(TOP)/selftests/peer/peer.sh

MINUTES ?= 2
soak: quickdeps
	@MINUTES=$(MINUTES) KDIR=$(if $(KDIR_ASKED),$(KDIR)) \
		$(TOP)/selftests/soak/soak.sh

demo: quickdeps all
	@$(TOP)/selftests/vm/demo.sh

vm: quickdeps all
	@$(TOP)/selftests/vm/vm.sh $(if $(RUN),--run "$(RUN)")

bench: quickdeps
	@$(TOP)/selftests/bench/bench.sh

bench-all: quickdeps
	@$(TOP)/selftests/bench/bench-all.sh

# The profiler's QEMU plugin: built here only, for icprof.sh and make check.
ICPROF := selftests/icprof/icprof.so
icprof: $(ICPROF)
$(ICPROF): selftests/icprof/icprof.c
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC \
		-fvisibility=hidden -o $@ $<

PROFILE ?= selftests/icprof/read.sh
UNITS ?= 73728
profile: quickdeps all
	@$(TOP)/selftests/icprof/icprof.sh --units $(UNITS) $(PROFILE)

# The README's table of parameters comes from the module: meanings and
# units from modinfo, defaults from a load without parameters (01_badinput
# fails when the README disagrees).
policies: quickdeps all
	@$(TOP)/selftests/vm/vm.sh --run "bash $(TOP)/selftests/tools/policy_table.sh" \
		> $(TOP)/.cache/policies.md
	@$(TOP)/selftests/tools/policy_table.sh --update $(TOP)/README.md \
		$(TOP)/.cache/policies.md

checkstyle:
	@perl $(TOP)/../shared/tools/checkpatch.pl --no-tree --terse -f \
		$(wildcard module/*.c debugfs/*.c include/*.h include/uapi/*.h \
			$(filter-out %.mod.c,$(wildcard selftests/phtest/*.[ch])) \
			selftests/zsbench/zsbench.c)

install: all
	+$(KMAKE) $(KDIR) M=$(TOP) INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)
	install -D -m 0755 userspace-ctl/pagehintctl $(DESTDIR)$(PREFIX)/sbin/pagehintctl
	install -d $(DESTDIR)$(PREFIX)/share/pagehint/trace
	install -m 0644 userspace-ctl/trace/*.bt $(DESTDIR)$(PREFIX)/share/pagehint/trace/

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KVER)/updates/pagehint.ko*
	if [ -d $(DESTDIR)/lib/modules/$(KVER) ]; then depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KVER); fi
	rm -f $(DESTDIR)$(PREFIX)/sbin/pagehintctl
	rm -rf $(DESTDIR)$(PREFIX)/share/pagehint

# Not kbuild's "make M=... clean": it deletes every *.ko* under M=, and
# .cache holds the kernels' modules.
KBUILD_JUNK := -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
	-o -name '.*.cmd' -o -name '*.o.d' -o -name '.*.d' -o -name modules.order \
	-o -name Module.symvers -o -name '*.symversions'
clean:
	find $(TOP) \( -path $(TOP)/.cache -o -path $(TOP)/.git \) -prune -o \
		-type f \( $(KBUILD_JUNK) \) -print0 | xargs -0 rm -f
	rm -rf $(TOP)/.tmp_versions
	rm -f userspace-ctl/pagehintctl $(TOOLS) $(ICPROF)
	$(MAKE) -C selftests/unit clean
