/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The balloon's names shared by module/balloon.c and its tracepoints
 * (pagehint:balloon_inflate, balloon_deflate, balloon_migrate).
 */
#ifndef _PH_BALLOON_H
#define _PH_BALLOON_H

/* Who resized the balloon: the "cause" field of inflate/deflate events. */
enum ph_bl_cause {
	PH_BL_CAUSE_TARGET,	/* the worker, towards balloon/target */
	PH_BL_CAUSE_OOM,	/* the OOM notifier */
	PH_BL_CAUSE_SHRINKER,	/* the shrinker (policy balloon_shrinker) */
	PH_BL_CAUSE_UNLOAD,	/* module unload returns every page */
};

#endif /* _PH_BALLOON_H */
