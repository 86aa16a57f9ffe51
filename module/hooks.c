// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint attach layer (see include/ph_hooks.h for the model).
 *
 * Design:
 *  - Every attach point of every component is a struct ph_hook on one list,
 *    ph_hooks_all; the control file "hooks" (debugfs/root.c) prints it
 *    through ph_hooks_for_each() and toggles entries (ph_hook_set()).
 *  - Resolution happens once, at registration: tracepoints are looked up by
 *    name with for_each_kernel_tracepoint(), functions are checked with
 *    ph_lookup_symbol(). Nothing is resolved on a hot path.
 *  - Attach/detach are the only places that touch the kernel's hook APIs,
 *    one switch per mechanism. Detach waits for running handlers:
 *    tracepoint_synchronize_unregister() for tracepoints,
 *    unregister_ftrace_function() and unregister_kprobe() wait themselves.
 *  - Hit counters are per-CPU and summed on read.
 *
 * Locking: ph_hooks_lock (a mutex) protects ph_hooks_all and every hook's
 * attached state. Handlers never take it.
 */
#define pr_fmt(fmt) "pagehint: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/tracepoint.h>
#include <linux/string.h>
#include <linux/kallsyms.h>
#include <linux/static_call.h>
#include "pagehint.h"
#include "ph_hooks.h"
#include "pagehint_trace.h"

/* Protects ph_hooks_all and hook->attached. */
static DEFINE_MUTEX(ph_hooks_lock);
static LIST_HEAD(ph_hooks_all);

static const char * const ph_kind_names[] = {
	[PH_HOOK_TRACEPOINT] = "tracepoint",
	[PH_HOOK_FTRACE] = "ftrace",
	[PH_HOOK_KPROBE] = "kprobe",
	[PH_HOOK_KRETPROBE] = "kretprobe",
};

/* kallsyms_lookup_name(), found once by a kprobe (ph_lookup_symbol()). */
DEFINE_STATIC_CALL_RET0(ph_kallsyms_lookup_name, kallsyms_lookup_name);
/* Serialises that one resolution; ph_lookup_ready says it happened. */
static DEFINE_MUTEX(ph_lookup_lock);
static bool ph_lookup_ready;

/**
 * ph_lookup_symbol() - address of a kernel symbol, exported or not
 * @name: symbol name
 *
 * The one place pagehint resolves a symbol by name. kallsyms_lookup_name()
 * is not exported (and sealed under IBT); a kprobe registered on it
 * reports its address, which becomes the target of a static call. Use only
 * where no tracepoint or exported API serves; a function found this way is
 * called through ph_resolve() (ph_hooks.h), never through a pointer.
 *
 * Return: the address, or 0 when the symbol is absent. May sleep.
 */
unsigned long ph_lookup_symbol(const char *name)
{
	/*
	 * Registered disabled: the address is resolved, nothing is armed, so
	 * unregistering has nothing to disarm. An armed probe's disarm can
	 * fail (ftrace_set_filter_ip() allocates), and then the kprobe would
	 * stay registered, pointing at this stack frame.
	 */
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name",
			     .flags = KPROBE_FLAG_DISABLED };

	mutex_lock(&ph_lookup_lock);
	if (!ph_lookup_ready && !register_kprobe(&kp)) {
		static_call_update(ph_kallsyms_lookup_name, (void *)kp.addr);
		unregister_kprobe(&kp);
		ph_lookup_ready = true;
	}
	mutex_unlock(&ph_lookup_lock);
	return static_call(ph_kallsyms_lookup_name)(name);
}

/**
 * __ph_resolve() - point a static call at a kernel function found by name
 * @key: the static call's key
 * @tramp: its trampoline
 * @sym: the function's name
 *
 * Use ph_resolve(name, sym). Return: 0, or -ENOENT when @sym is absent
 * (the call keeps returning 0). May sleep.
 */
int __ph_resolve(struct static_call_key *key, void *tramp, const char *sym)
{
	unsigned long addr = ph_lookup_symbol(sym);

	if (!addr)
		return -ENOENT;
	__static_call_update(key, tramp, (void *)addr);
	return 0;
}

struct ph_tp_find {
	const char *name;
	struct tracepoint *tp;
};

static void ph_tp_match(struct tracepoint *tp, void *priv)
{
	struct ph_tp_find *f = priv;

	if (!strcmp(tp->name, f->name))
		f->tp = tp;
}

/*
 * The trampoline calls this directly (no FTRACE_OPS_FL_RECURSION, whose
 * assist function is one more call per hit): recursion protection and
 * preemption off come from the inline trylock, as in kprobes on ftrace.
 */
static void ph_ftrace_thunk(unsigned long ip, unsigned long parent_ip,
			    struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct ph_hook *h = container_of(op, struct ph_hook, ops);
	int bit;

	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		return;
	this_cpu_inc(*h->hits);
	h->ftrace_fn(h, ip, fregs);
	ftrace_test_recursion_unlock(bit);
}

/*
 * PH_HOOK_NORECURSE: preemption off only. ftrace_test_recursion_trylock()
 * works out the context (NMI, IRQ, softirq, task) from preempt_count on
 * every hit, which makes ph_ftrace_thunk() about three times this one
 * (make profile: the two thunks' counts per hit).
 */
static void ph_ftrace_thunk_norecurse(unsigned long ip,
				      unsigned long parent_ip,
				      struct ftrace_ops *op,
				      struct ftrace_regs *fregs)
{
	struct ph_hook *h = container_of(op, struct ph_hook, ops);

	preempt_disable_notrace();
	this_cpu_inc(*h->hits);
	h->ftrace_fn(h, ip, fregs);
	preempt_enable_notrace();
}

static int ph_kprobe_thunk(struct kprobe *p, struct pt_regs *regs)
{
	struct ph_hook *h = container_of(p, struct ph_hook, kp);

	this_cpu_inc(*h->hits);
	return h->kp_pre(p, regs);
}

static int ph_kretprobe_entry_thunk(struct kretprobe_instance *ri,
				    struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	struct ph_hook *h = container_of(rp, struct ph_hook, krp);

	this_cpu_inc(*h->hits);
	return h->krp_entry ? h->krp_entry(ri, regs) : 0;
}

/*
 * Test hook (selftests/tests/00_core.sh): the target named here resolves
 * as on a kernel without it, so the path a missing kernel API takes runs
 * on every kernel: a required hook's component is unsupported, an
 * optional one's hook is listed missing.
 */
static char hide_target[KSYM_NAME_LEN];
module_param_string(hide_target, hide_target, sizeof(hide_target), 0400);
MODULE_PARM_DESC(hide_target, "test hook: treat this hook target as missing on this kernel");

static int ph_hook_resolve(struct ph_hook *h)
{
	struct ph_tp_find f = { .name = h->target };

	if (hide_target[0] && !strcmp(h->target, hide_target))
		return -ENOENT;

	switch (h->kind) {
	case PH_HOOK_TRACEPOINT:
		for_each_kernel_tracepoint(ph_tp_match, &f);
		h->tp = f.tp;
		return h->tp ? 0 : -ENOENT;
	case PH_HOOK_FTRACE:
		h->addr = ph_lookup_symbol(h->target);
		return h->addr ? 0 : -ENOENT;
	case PH_HOOK_KPROBE:
	case PH_HOOK_KRETPROBE:
		return ph_lookup_symbol(h->target) ? 0 : -ENOENT;
	}
	return -EINVAL;
}

/*
 * A fresh ftrace_ops filtered on the hook's target. By address, not by
 * name: ftrace_set_filter() takes the -ENOMEM of a failed hash entry for a
 * match and installs the empty filter, which traces every function.
 */
static int ph_ftrace_ops_init(struct ph_hook *h)
{
	memset(&h->ops, 0, sizeof(h->ops));
	return ftrace_set_filter_ip(&h->ops, h->addr, 0, 1);
}

/*
 * A direct hook (@direct_tramp): the target's fentry call patched into a
 * call of the hook's trampoline. On failure the filter is freed; the
 * ftrace_ops attach that follows starts from fresh ops, since a refused
 * registration may have set their fields.
 */
static int ph_hook_attach_direct(struct ph_hook *h)
{
	int ret;

	ret = ph_ftrace_ops_init(h);
	if (ret)
		return ret;
	ret = ph_ftrace_direct_register(&h->ops,
					(unsigned long)h->direct_tramp);
	if (ret) {
		pr_info("hook %s: no direct call on %s (%d): through ftrace_ops\n",
			h->name, h->target, ret);
		ftrace_free_filter(&h->ops);
		return ret;
	}
	h->direct = true;
	return 0;
}

static int ph_hook_do_attach(struct ph_hook *h)
{
	int ret;

	switch (h->kind) {
	case PH_HOOK_TRACEPOINT:
		return tracepoint_probe_register(h->tp, h->tp_probe, h);
	case PH_HOOK_FTRACE:
		if (h->direct_tramp && !ph_hook_attach_direct(h))
			return 0;
		ret = ph_ftrace_ops_init(h);
		if (ret)
			return ret;
		h->ops.func = h->flags & PH_HOOK_NORECURSE ?
			      ph_ftrace_thunk_norecurse : ph_ftrace_thunk;
		ret = register_ftrace_function(&h->ops);
		if (ret)
			ftrace_free_filter(&h->ops);
		return ret;
	case PH_HOOK_KPROBE:
		memset(&h->kp, 0, sizeof(h->kp));
		h->kp.symbol_name = h->target;
		h->kp.pre_handler = ph_kprobe_thunk;
		return register_kprobe(&h->kp);
	case PH_HOOK_KRETPROBE:
		memset(&h->krp, 0, sizeof(h->krp));
		h->krp.kp.symbol_name = h->target;
		h->krp.entry_handler = ph_kretprobe_entry_thunk;
		h->krp.handler = h->krp_ret;
		h->krp.data_size = h->krp_data_size;
		h->krp.maxactive = 4 * num_possible_cpus();
		return register_kretprobe(&h->krp);
	}
	return -EINVAL;
}

static void ph_hook_do_detach(struct ph_hook *h)
{
	switch (h->kind) {
	case PH_HOOK_TRACEPOINT:
		tracepoint_probe_unregister(h->tp, h->tp_probe, h);
		/* wait for probes still running on other CPUs */
		tracepoint_synchronize_unregister();
		break;
	case PH_HOOK_FTRACE:
		if (h->direct)
			ph_ftrace_direct_unregister(&h->ops,
						    (unsigned long)h->direct_tramp);
		else
			unregister_ftrace_function(&h->ops);
		h->direct = false;
		ftrace_free_filter(&h->ops);
		break;
	case PH_HOOK_KPROBE:
		unregister_kprobe(&h->kp);
		break;
	case PH_HOOK_KRETPROBE:
		unregister_kretprobe(&h->krp);
		if (h->krp.nmissed)
			pr_info("hook %s: kretprobe missed %d hits\n", h->name,
				h->krp.nmissed);
		break;
	}
}

static int ph_hook_attach_locked(struct ph_hook *h)
{
	int ret;

	lockdep_assert_held(&ph_hooks_lock);
	if (!h->available)
		return -ENODEV;
	if (h->attached)
		return 0;
	ret = ph_hook_do_attach(h);
	if (ret) {
		pr_warn("hook %s: attach to %s %s failed: %d\n", h->name,
			ph_kind_names[h->kind], h->target, ret);
		return ret;
	}
	h->attached = true;
	trace_hook_state(h->name, h->owner, true);
	return 0;
}

static void ph_hook_detach_locked(struct ph_hook *h)
{
	lockdep_assert_held(&ph_hooks_lock);
	if (!h->attached)
		return;
	ph_hook_do_detach(h);
	h->attached = false;
	trace_hook_state(h->name, h->owner, false);
}

/**
 * ph_hook_attach() - attach one registered hook
 * @h: the hook
 *
 * Return: 0 when attached (or already attached), -ENODEV when its target is
 * missing on this kernel, or the mechanism's error. Sleeps.
 */
int ph_hook_attach(struct ph_hook *h)
{
	int ret;

	mutex_lock(&ph_hooks_lock);
	ret = ph_hook_attach_locked(h);
	mutex_unlock(&ph_hooks_lock);
	return ret;
}

/**
 * ph_hook_detach() - detach one hook; waits for running handlers
 * @h: the hook
 */
void ph_hook_detach(struct ph_hook *h)
{
	mutex_lock(&ph_hooks_lock);
	ph_hook_detach_locked(h);
	mutex_unlock(&ph_hooks_lock);
}

/**
 * ph_hooks_attach_all() - attach every available hook of an array
 * @hooks: the array
 * @n: its length
 *
 * Missing optional hooks are skipped. On error every hook this call
 * attached is detached again.
 *
 * Return: 0 or the first error.
 */
int ph_hooks_attach_all(struct ph_hook *hooks, unsigned int n)
{
	unsigned int i;
	int ret = 0;

	mutex_lock(&ph_hooks_lock);
	for (i = 0; i < n; i++) {
		if (!hooks[i].available)
			continue;
		ret = ph_hook_attach_locked(&hooks[i]);
		if (ret)
			break;
	}
	if (ret)
		while (i--)
			ph_hook_detach_locked(&hooks[i]);
	mutex_unlock(&ph_hooks_lock);
	return ret;
}

/**
 * ph_hooks_detach_all() - detach every hook of an array
 * @hooks: the array
 * @n: its length
 */
void ph_hooks_detach_all(struct ph_hook *hooks, unsigned int n)
{
	unsigned int i;

	mutex_lock(&ph_hooks_lock);
	for (i = n; i--; )
		ph_hook_detach_locked(&hooks[i]);
	mutex_unlock(&ph_hooks_lock);
}

/**
 * ph_hook_hits() - sum of a hook's per-CPU hit counters
 * @h: the hook
 */
unsigned long ph_hook_hits(const struct ph_hook *h)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(h->hits, cpu);
	return sum;
}

/* A hook's own counter (PH_HOOK_HITS()) starts at 0; others are allocated. */
static int ph_hook_hits_init(struct ph_hook *h)
{
	int cpu;

	h->hits_alloc = !h->hits;
	if (h->hits_alloc) {
		h->hits = alloc_percpu(unsigned long);
		return h->hits ? 0 : -ENOMEM;
	}
	for_each_possible_cpu(cpu)
		*per_cpu_ptr(h->hits, cpu) = 0;
	return 0;
}

static void ph_hook_hits_free(struct ph_hook *h)
{
	if (!h->hits_alloc)
		return;
	free_percpu(h->hits);
	h->hits = NULL;
}

/**
 * ph_hooks_register() - resolve and list a component's hooks (detached)
 * @owner: component name
 * @hooks: the component's array; must stay allocated until unregistered
 * @n: its length
 *
 * Return: 0; -ENODEV when a non-optional target is missing (a message
 * names it); -ENOMEM.
 */
int ph_hooks_register(const char *owner, struct ph_hook *hooks, unsigned int n)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < n; i++) {
		struct ph_hook *h = &hooks[i];

		h->owner = owner;
		h->attached = false;
		h->available = !ph_hook_resolve(h);
		if (!h->available) {
			pr_info("%s: %s %s not found on this kernel%s\n", owner,
				ph_kind_names[h->kind], h->target,
				h->flags & PH_HOOK_OPTIONAL ?
				", feature off" : "");
			if (!(h->flags & PH_HOOK_OPTIONAL))
				ret = -ENODEV;
		}
		if (ph_hook_hits_init(h)) {
			ret = -ENOMEM;
			i++;
			break;
		}
	}
	if (ret) {
		while (i--)
			ph_hook_hits_free(&hooks[i]);
		return ret;
	}
	mutex_lock(&ph_hooks_lock);
	for (i = 0; i < n; i++)
		list_add_tail(&hooks[i].node, &ph_hooks_all);
	mutex_unlock(&ph_hooks_lock);
	return 0;
}

/**
 * ph_hooks_unregister() - detach, unlist and free a component's hooks
 * @hooks: the array given to ph_hooks_register()
 * @n: its length
 *
 * Waits for handlers still running, so the caller may free what they use.
 */
void ph_hooks_unregister(struct ph_hook *hooks, unsigned int n)
{
	unsigned int i;

	mutex_lock(&ph_hooks_lock);
	for (i = n; i--; ) {
		ph_hook_detach_locked(&hooks[i]);
		list_del(&hooks[i].node);
	}
	mutex_unlock(&ph_hooks_lock);
	for (i = 0; i < n; i++)
		ph_hook_hits_free(&hooks[i]);
}

/**
 * ph_hooks_for_each() - call @fn on every registered hook, in order
 * @fn: called under ph_hooks_lock: no attach or detach meanwhile; may
 *	not call back into the attach layer
 * @arg: for @fn
 */
void ph_hooks_for_each(void (*fn)(const struct ph_hook *h, void *arg),
		       void *arg)
{
	struct ph_hook *h;

	mutex_lock(&ph_hooks_lock);
	list_for_each_entry(h, &ph_hooks_all, node)
		fn(h, arg);
	mutex_unlock(&ph_hooks_lock);
}

/* "tracepoint", "ftrace", "ftrace-direct", "kprobe" or "kretprobe" */
const char *ph_hook_kind_name(const struct ph_hook *h)
{
	if (h->direct)
		return "ftrace-direct";
	return ph_kind_names[h->kind];
}

/* "attached", "detached" or "missing" (no target on this kernel) */
const char *ph_hook_state_name(const struct ph_hook *h)
{
	return !h->available ? "missing" : h->attached ? "attached" : "detached";
}

/**
 * ph_hook_set() - attach or detach a hook by name
 * @name: the hook's name
 * @enable: attach when true, detach when false
 *
 * Return: 0, -ENOENT for an unknown name, -ENODEV for a hook whose target
 * is missing, or the attach error.
 */
int ph_hook_set(const char *name, bool enable)
{
	struct ph_hook *h, *found = NULL;
	int ret = 0;

	mutex_lock(&ph_hooks_lock);
	list_for_each_entry(h, &ph_hooks_all, node)
		if (!strcmp(h->name, name))
			found = h;
	if (!found)
		ret = -ENOENT;
	else if (enable)
		ret = ph_hook_attach_locked(found);
	else
		ph_hook_detach_locked(found);
	mutex_unlock(&ph_hooks_lock);
	return ret;
}

/* Called last at unload: every component must have unregistered. */
void ph_hooks_exit(void)
{
	WARN_ON(!list_empty(&ph_hooks_all));
}
