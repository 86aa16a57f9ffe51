/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach layer: one description per attach point, one generic
 * install/uninstall path for all mechanisms.
 *
 * A component declares a static array of struct ph_hook and hands it to
 * ph_hooks_register(). Each entry names its target (a tracepoint or a
 * kernel function) and its mechanism, cheapest first:
 *
 *   PH_HOOK_TRACEPOINT  tracepoint_probe_register() on a kernel tracepoint
 *                       found by name; the probe gets the hook as @data.
 *   PH_HOOK_FTRACE      an ftrace_ops filtered on one function; the
 *                       callback gets the hook and the function arguments.
 *   PH_HOOK_KPROBE      a kprobe pre-handler (when ftrace cannot serve).
 *   PH_HOOK_KRETPROBE   entry + return handlers; never on a per-page path.
 *
 * Targets are resolved at registration: a missing target marks the hook
 * "missing" and, unless PH_HOOK_OPTIONAL is set, makes registration fail
 * with -ENODEV so that the owning component is skipped, not the module.
 * Hooks attach when their component enables them and can be toggled at
 * runtime (debugfs "hooks"); ph_hooks_unregister() detaches everything and
 * waits for handlers still running before it returns.
 *
 * The handlers of the hottest hooks (the direct ones and the allocator's
 * tracepoints) and what they call on every page are notrace: they run
 * inside direct trampolines and tracepoint probes, where the function
 * tracer would only recurse, and each hit would pay their fentry call.
 */
#ifndef _PH_HOOKS_H
#define _PH_HOOKS_H

#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/list.h>
#include <linux/static_call.h>
#include "uapi/pagehint.h"
#include "ph_compat.h"	/* PH_DIRECT_TRAMP()'s ASM_ENDBR, ASM_RET, ... */

enum ph_hook_kind {
	PH_HOOK_TRACEPOINT,
	PH_HOOK_FTRACE,
	PH_HOOK_KPROBE,
	PH_HOOK_KRETPROBE,
};

#define PH_HOOK_OPTIONAL	0x1	/* a missing target is not fatal */
/*
 * PH_HOOK_FTRACE without the recursion lock: for a per-page path whose
 * handler never reaches its own target (nor anything that calls it), or
 * returns at once when it does (folio_unlock: ph_st_in_check), so there is
 * no recursion to stop. Saves about half of what a hit costs (make
 * profile).
 */
#define PH_HOOK_NORECURSE	0x2
/*
 * A direct hook: PH_HOOK_FTRACE with @direct_tramp set (by
 * PH_DIRECT_TRAMP_DECL() in the hook's fields; its trampoline runs the
 * handler as PH_HOOK_NORECURSE would): register_ftrace_direct()
 * patches the target's fentry call into a call to the hook's own
 * trampoline, which calls the handler directly. A hit then skips
 * ftrace_caller's register save, the ftrace_ops callback and its indirect
 * call (make profile: fork.sh). The kernel refuses a second direct call on
 * one function (a BPF trampoline may hold it) and a kernel may lack
 * DYNAMIC_FTRACE_WITH_DIRECT_CALLS: the hook then attaches through its
 * ftrace_ops as any other, mechanism "ftrace" instead of "ftrace-direct".
 */

struct ph_hook;

typedef void (*ph_ftrace_fn)(struct ph_hook *h, unsigned long ip,
			     struct ftrace_regs *fregs);

/**
 * struct ph_hook - one attach point
 * @name: unique name, used by debugfs and the CLI
 * @kind: mechanism
 * @target: tracepoint name or kernel function name
 * @flags: PH_HOOK_*
 * @tp_probe: PH_HOOK_TRACEPOINT: probe, called as fn(hook, tracepoint args...)
 * @ftrace_fn: PH_HOOK_FTRACE: called with the hook and the traced ip/args
 * @direct_tramp: PH_HOOK_FTRACE: the direct trampoline, or NULL
 * @kp_pre: PH_HOOK_KPROBE / KRETPROBE entry handler
 * @krp_entry: PH_HOOK_KRETPROBE entry handler
 * @krp_ret: PH_HOOK_KRETPROBE return handler
 * @krp_data_size: PH_HOOK_KRETPROBE per-instance data size
 * @hits: per-CPU hit counter: a hot hook's own (PH_HOOK_HITS()), which
 *	its handler counts without loading the pointer; NULL: allocated at
 *	registration
 *
 * The rest is runtime state owned by module/hooks.c.
 */
struct ph_hook {
	const char *name;
	enum ph_hook_kind kind;
	const char *target;
	unsigned int flags;
	void *tp_probe;
	ph_ftrace_fn ftrace_fn;
	void (*direct_tramp)(void);
	kprobe_pre_handler_t kp_pre;
	kretprobe_handler_t krp_entry;
	kretprobe_handler_t krp_ret;
	size_t krp_data_size;

	/* runtime, set by hooks.c */
	const char *owner;
	struct list_head node;		/* on ph_hooks_all, under ph_hooks_lock */
	struct tracepoint *tp;
	unsigned long addr;		/* PH_HOOK_FTRACE: the target's address */
	struct ftrace_ops ops;
	struct kprobe kp;
	struct kretprobe krp;
	unsigned long __percpu *hits;
	bool hits_alloc;		/* @hits is alloc_percpu()'s */
	bool available;
	bool attached;
	bool direct;			/* attached through @direct_tramp */
};

/*
 * A component's hooks are one list of H(name, mechanism, target, flags,
 * handler fields...) items: PH_HOOK_ID makes the enum of their indices,
 * PH_HK_<name> (one prefix for every component; the index is the name),
 * and PH_HOOK_DEF the array's initialisers, so each name is spelled once:
 *
 *	#define PH_FOO_HOOKS(H) \
 *		(H(foo_bar, FTRACE, "bar", 0, .ftrace_fn = ph_foo_bar))
 *	enum { PH_LIST(PH_FOO_HOOKS(PH_HOOK_ID)) PH_FOO_NR_HOOKS };
 *	static struct ph_hook ph_foo_hooks[PH_FOO_NR_HOOKS] = {
 *		PH_LIST(PH_FOO_HOOKS(PH_HOOK_DEF))
 *	};
 *
 * @mechanism is TRACEPOINT, FTRACE, KPROBE or KRETPROBE (PH_HOOK_*), a
 * hook's name starts with its owner's ("states_", "host_", ...).
 */
#define PH_HOOK_ID(id, ...)	PH_HK_##id,
/*
 * A hot hook's hit counter, ph_hits_<id>, defined before the array: its
 * handler counts a hit with one per-CPU add, this_cpu_inc(ph_hits_<id>).
 * PH_HOOK_HITS_FIELD(id) in the hook's fields points @hits at it.
 */
#define PH_HOOK_HITS(id)	static DEFINE_PER_CPU(unsigned long, ph_hits_##id)
#define PH_HOOK_HITS_FIELD(id)	.hits = &ph_hits_##id
#define PH_HOOK_DEF(id, mech, tgt, fl, ...)				\
	[PH_HK_##id] = { .name = #id, .kind = PH_HOOK_##mech,		\
			 .target = tgt, .flags = fl, __VA_ARGS__ },

/*
 * A direct hook's trampoline, ph_direct_<id>, and the C function it calls,
 * which counts the hit and calls @fn(a0, a1, a2) with preemption off (what
 * PH_HOOK_NORECURSE gives an ftrace hook). The trampoline saves the first
 * @nargs (1, 2, 3 or 6) argument registers of the traced function, which
 * runs on after it: at a function's entry no other caller-saved register
 * holds a value. Fewer than six only where the target's declaration is
 * checked at build time (PH_DIRECT_ARGS_CHECK()).
 * PH_DIRECT_PROTO(id) before the hooks' array declares the trampoline and
 * defines its hit counter (PH_HOOK_HITS()); PH_DIRECT_TRAMP_DECL(id) in the
 * hook's fields names both; PH_DIRECT_TRAMP(id, fn, nargs) defines the
 * trampoline.
 * Ftrace calls it from the patched fentry site (a direct call) or, when
 * other ftrace_ops share the function, returns into it from ftrace_caller:
 * it starts with ENDBR and returns through the return thunk.
 */
#define PH_DIRECT_TRAMP_DECL(id)					\
	.direct_tramp = ph_direct_##id, PH_HOOK_HITS_FIELD(id)
#define PH_DIRECT_PROTO(id)	void ph_direct_##id(void); PH_HOOK_HITS(id)
#define PH_SAVE_1	"pushq %rdi\n\t"
#define PH_SAVE_2	PH_SAVE_1 "pushq %rsi\n\t"
#define PH_SAVE_3	PH_SAVE_2 "pushq %rdx\n\t"
#define PH_SAVE_6	PH_SAVE_3 "pushq %rcx\n\tpushq %r8\n\tpushq %r9\n\t"
#define PH_RESTORE_1	"popq %rdi\n\t"
#define PH_RESTORE_2	"popq %rsi\n\t" PH_RESTORE_1
#define PH_RESTORE_3	"popq %rdx\n\t" PH_RESTORE_2
#define PH_RESTORE_6	"popq %r9\n\tpopq %r8\n\tpopq %rcx\n\t" PH_RESTORE_3
/* the target @func is declared with the parameters of @type */
#define PH_DIRECT_ARGS_CHECK(func, type)				\
	static_assert(__same_type(&(func), type))
#define PH_DIRECT_TRAMP(id, fn, nargs)					\
	void notrace ph_direct_c_##id(unsigned long a0, unsigned long a1, \
				      unsigned long a2);		\
	void notrace ph_direct_c_##id(unsigned long a0, unsigned long a1, \
				      unsigned long a2)			\
	{								\
		preempt_disable_notrace();				\
		this_cpu_inc(ph_hits_##id);				\
		fn(a0, a1, a2);						\
		preempt_enable_notrace();				\
	}								\
	asm(".pushsection .text, \"ax\", @progbits\n\t"		\
	    ".type ph_direct_" #id ", @function\n"			\
	    "ph_direct_" #id ":\n\t"					\
	    ASM_ENDBR							\
	    "pushq %rbp\n\t"						\
	    "movq %rsp, %rbp\n\t"					\
	    CALL_DEPTH_ACCOUNT						\
	    PH_SAVE_##nargs						\
	    "call ph_direct_c_" #id "\n\t"				\
	    PH_RESTORE_##nargs						\
	    "leave\n\t"						\
	    ASM_RET							\
	    ".size ph_direct_" #id ", .-ph_direct_" #id "\n\t"	\
	    ".popsection\n")

/* The ftrace_ops callback of a direct hook, for when it attaches so. */
#define PH_FTRACE_ARGS(name, fn)					\
	static void name(struct ph_hook *h, unsigned long ip,		\
			 struct ftrace_regs *fregs)			\
	{								\
		fn(ph_ftrace_arg(fregs, 0), ph_ftrace_arg(fregs, 1),	\
		   ph_ftrace_arg(fregs, 2));				\
	}

int ph_hooks_register(const char *owner, struct ph_hook *hooks, unsigned int n);
void ph_hooks_unregister(struct ph_hook *hooks, unsigned int n);
int ph_hook_attach(struct ph_hook *h);
void ph_hook_detach(struct ph_hook *h);
int ph_hooks_attach_all(struct ph_hook *hooks, unsigned int n);
void ph_hooks_detach_all(struct ph_hook *hooks, unsigned int n);
unsigned long ph_hook_hits(const struct ph_hook *h);
unsigned long ph_lookup_symbol(const char *name);
void ph_hooks_for_each(void (*fn)(const struct ph_hook *h, void *arg),
		       void *arg);
const char *ph_hook_kind_name(const struct ph_hook *h);
const char *ph_hook_state_name(const struct ph_hook *h);

/*
 * Calling a kernel function that is not exported: resolve its address
 * into a static call, never into a function pointer.
 *
 * With X86_KERNEL_IBT (Debian's 6.12 and 7.x) the kernel seals every
 * function whose address it never takes itself (rmap_walk,
 * page_vma_mapped_walk, kallsyms_lookup_name, drain_all_pages, ...): its
 * ENDBR becomes a NOP, and an indirect call into it is a
 * control-protection fault on a CPU with IBT. A static call is a direct
 * call, patched at update time (or a direct jump in its trampoline),
 * which IBT does not check.
 *
 *   DEFINE_STATIC_CALL_RET0(ph_rmap_walk, rmap_walk);	the kernel's type
 *   if (ph_resolve(ph_rmap_walk, "rmap_walk")) ...	0 or -ENOENT
 *   static_call(ph_rmap_walk)(folio, &rwc);
 *
 * Until resolved (or when the symbol is missing) such a call returns 0.
 * selftests/tools/ibt_check.py fails the build check when a resolved
 * address reaches an indirect call anyway.
 */
#define ph_resolve(name, sym)						\
	__ph_resolve(&STATIC_CALL_KEY(name), STATIC_CALL_TRAMP_ADDR(name), sym)
int __ph_resolve(struct static_call_key *key, void *tramp, const char *sym);
int ph_hook_set(const char *name, bool enable);
void ph_hooks_exit(void);

/*
 * Count one hit; call first thing in every tracepoint probe (one with a
 * counter of its own, PH_HOOK_HITS(), counts it there).
 */
static inline void ph_hook_hit(struct ph_hook *h)
{
	this_cpu_inc(*h->hits);
}

#endif /* _PH_HOOKS_H */
