# SPDX-License-Identifier: GPL-2.0
#
# pagehint: top-level build. Targets:
#   make            pagehint.ko + userspace-ctl/pagehintctl
#   make deps       install what the build and the VM tests need (apt)
#   make check      host unit tests + every selftest in a VM, one verdict
#   make demo       boot a VM, load the module, show what it sees
#   make vm [RUN=…] interactive guest shell, or run one command there
#   make bench      instruction-counted benchmarks (icount), table + JSON
#   make profile    guest instructions per kernel function, module loaded
#                   vs absent (PROFILE=selftests/icprof/read.sh, UNITS=73728)
#   make install / uninstall, make clean
#
# KDIR: kernel build tree. Default: the running kernel's, else the newest
# installed /usr/src/linux-headers-*-amd64. KERNEL: the vmlinuz to boot
# (default: the image matching KDIR).

SHELL := /bin/bash
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

KDIR ?= $(shell $(TOP)/selftests/vm/kver.sh kdir)
KVER := $(shell $(TOP)/selftests/vm/kver.sh release $(KDIR))
PREFIX ?= /usr/local
CC ?= cc
CFLAGS_USER := -std=c11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I$(TOP)/include

CTL_SRCS := $(wildcard userspace-ctl/*.c)
CTL_HDRS := $(wildcard userspace-ctl/*.h) include/uapi/pagehint.h

.PHONY: all module ctl zsbench deps check unit demo vm bench icprof profile install \
	uninstall clean checkstyle

all: module ctl zsbench

module:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || \
		{ echo "no kernel build tree (KDIR); run 'make deps'" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) modules

TOOLS := $(patsubst %.c,%,$(wildcard selftests/tools/*.c))

# zsbench.ko: zspool vs the kernel's zsmalloc (selftests/zsbench, not part
# of pagehint.ko); links against pagehint.ko's exports.
zsbench: module
	$(MAKE) -C $(KDIR) M=$(TOP)/selftests/zsbench \
		KBUILD_EXTRA_SYMBOLS=$(TOP)/Module.symvers modules

ctl: userspace-ctl/pagehintctl $(TOOLS)

selftests/tools/%: selftests/tools/%.c
	$(CC) $(CFLAGS_USER) -pthread -o $@ $<

userspace-ctl/pagehintctl: $(CTL_SRCS) $(CTL_HDRS)
	$(CC) $(CFLAGS_USER) -o $@ $(CTL_SRCS)

deps:
	@$(TOP)/selftests/vm/deps.sh

unit:
	$(MAKE) -C selftests/unit CC=$(CC)

check: deps
	@$(TOP)/selftests/check.sh

demo: deps all
	@$(TOP)/selftests/vm/demo.sh

vm: deps all
	@$(TOP)/selftests/vm/vm.sh $(if $(RUN),--run "$(RUN)")

bench: deps
	@$(TOP)/selftests/bench/bench.sh

# The profiler's QEMU plugin: built here only, for icprof.sh and make check.
ICPROF := selftests/icprof/icprof.so
icprof: $(ICPROF)
$(ICPROF): selftests/icprof/icprof.c
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC \
		-fvisibility=hidden -o $@ $<

PROFILE ?= selftests/icprof/read.sh
UNITS ?= 73728
profile: deps all
	@$(TOP)/selftests/icprof/icprof.sh --units $(UNITS) $(PROFILE)

checkstyle:
	@perl $(TOP)/../shared/tools/checkpatch.pl --no-tree --terse -f \
		$(wildcard module/*.c debugfs/*.c include/*.h include/uapi/*.h)

install: all
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)
	install -D -m 0755 userspace-ctl/pagehintctl $(DESTDIR)$(PREFIX)/sbin/pagehintctl
	install -d $(DESTDIR)$(PREFIX)/share/pagehint/trace
	install -m 0644 userspace-ctl/trace/*.bt $(DESTDIR)$(PREFIX)/share/pagehint/trace/

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KVER)/updates/pagehint.ko
	if [ -d $(DESTDIR)/lib/modules/$(KVER) ]; then depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KVER); fi
	rm -f $(DESTDIR)$(PREFIX)/sbin/pagehintctl
	rm -rf $(DESTDIR)$(PREFIX)/share/pagehint

clean:
	-test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(TOP) clean
	-test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(TOP)/selftests/zsbench clean
	rm -f userspace-ctl/pagehintctl $(TOOLS) $(ICPROF)
	$(MAKE) -C selftests/unit clean
