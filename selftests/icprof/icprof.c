// SPDX-License-Identifier: GPL-2.0
/*
 * icprof: a QEMU TCG plugin that counts how often each guest kernel
 * instruction runs, for finding where pagehint's guest instructions go
 * (the unit of every `make bench` figure under -icount).
 *
 * Plugin API version 1 (QEMU 7.2). Its few declarations are written out
 * here, so no QEMU development package is needed.
 *
 * Arguments: out=FILE (default icprof.out), mark=HEXADDR. Every run of
 * the instruction at the mark (icprof.sh uses the first instruction of
 * the syncfs system call) copies the counters; FILE then holds the counts
 * between the first and the last copy, one "address count" line for each
 * instruction that ran. Without a mark: everything since boot.
 *
 * Counters are plain inline adds: exact with one vCPU (icprof.sh boots
 * with -icount and -smp 1, like the benchmarks).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct {
	const char *target_name;
	struct {
		int min, cur;
	} version;
	bool system_emulation;
	union {
		struct {
			int smp_vcpus, max_vcpus;
		} system;
	};
} qemu_info_t;

#define ICP_EXPORT __attribute__((visibility("default")))
#define ICP_INLINE_ADD_U64 0
#define ICP_CB_NO_REGS 0

ICP_EXPORT int qemu_plugin_version = 1;
ICP_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
				   const qemu_info_t *info, int argc,
				   char **argv);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
		void (*cb)(qemu_plugin_id_t, struct qemu_plugin_tb *));
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
		void (*cb)(qemu_plugin_id_t, void *), void *udata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
		int op, void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
		void (*cb)(unsigned int, void *), int flags, void *udata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

/* Kernel instructions only: the upper half of the address space. */
#define ICP_KERNEL_START 0xffff800000000000ull
/* Open-addressed table, address -> counter; kernel text is far smaller. */
#define ICP_SLOTS (1u << 22)

static uint64_t *icp_addr, *icp_count, *icp_first, *icp_last;
static int icp_marks;
static uint64_t icp_mark;
static const char *icp_out = "icprof.out";

static uint64_t *icp_slot(uint64_t addr)
{
	uint32_t h = (uint32_t)((addr * 0x9E3779B97F4A7C15ull) >> 42) &
		     (ICP_SLOTS - 1);

	while (icp_addr[h] && icp_addr[h] != addr)
		h = (h + 1) & (ICP_SLOTS - 1);
	icp_addr[h] = addr;
	return &icp_count[h];
}

static void icp_on_mark(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	(void)udata;
	memcpy(icp_marks ? icp_last : icp_first, icp_count,
	       ICP_SLOTS * sizeof(*icp_count));
	icp_marks = icp_marks ? 2 : 1;
}

static void icp_on_tb(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t addr = qemu_plugin_insn_vaddr(insn);

		if (addr < ICP_KERNEL_START)
			continue;
		if (addr == icp_mark)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, icp_on_mark,
							       ICP_CB_NO_REGS,
							       NULL);
		qemu_plugin_register_vcpu_insn_exec_inline(insn,
				ICP_INLINE_ADD_U64, icp_slot(addr), 1);
	}
}

static void icp_on_exit(qemu_plugin_id_t id, void *udata)
{
	FILE *f = fopen(icp_out, "w");
	uint64_t c;
	uint32_t i;

	(void)id;
	(void)udata;
	if (!f) {
		perror(icp_out);
		return;
	}
	fprintf(f, "# icprof marks %d\n", icp_marks);
	for (i = 0; i < ICP_SLOTS; i++) {
		if (!icp_addr[i])
			continue;
		c = icp_count[i];
		if (icp_marks == 2)
			c = icp_last[i] - icp_first[i];
		else if (icp_marks == 1)
			c -= icp_first[i];
		if (c)
			fprintf(f, "%llx %llu\n",
				(unsigned long long)icp_addr[i],
				(unsigned long long)c);
	}
	fclose(f);
}

int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
			int argc, char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4))
			icp_out = argv[i] + 4;
		else if (!strncmp(argv[i], "mark=", 5))
			icp_mark = strtoull(argv[i] + 5, NULL, 16);
		else {
			fprintf(stderr, "icprof: unknown argument %s\n", argv[i]);
			return 1;
		}
	}
	icp_addr = calloc(ICP_SLOTS, sizeof(*icp_addr));
	icp_count = calloc(ICP_SLOTS, sizeof(*icp_count));
	icp_first = calloc(ICP_SLOTS, sizeof(*icp_first));
	icp_last = calloc(ICP_SLOTS, sizeof(*icp_last));
	if (!icp_addr || !icp_count || !icp_first || !icp_last)
		return 1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, icp_on_tb);
	qemu_plugin_register_atexit_cb(id, icp_on_exit, NULL);
	return 0;
}
