// SPDX-License-Identifier: GPL-2.0
/*
 * The name lists (uapi/pagehint.h) against what spells them again: the
 * bpftrace script transitions.bt maps the numbers of the page_state and
 * volatile_refused events to names by hand (bpftrace has no access to the
 * module's enums). Every number of every list must be there with its
 * list's name, and nothing else; the lists' names are unique and have no
 * gaps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "uapi/pagehint.h"

#define BT "../../userspace-ctl/trace/transitions.bt"

static const char *const states[] = PH_STATE_NAMES;
static const char *const sites[] = PH_SITE_NAMES;
static const char *const reasons[] = PH_REASON_NAMES;

/* Every "@MAP[N] = "NAME"" of @text against @names[0..@n). */
static void check_map(const char *text, const char *map,
		      const char *const *names, int n)
{
	char key[32], name[64];
	int seen = 0, bad = 0, idx;
	const char *p = text;

	snprintf(key, sizeof(key), "@%s[", map);
	while ((p = strstr(p, key))) {
		p += strlen(key);
		if (sscanf(p, "%d] = \"%63[^\"]\"", &idx, name) != 2)
			continue;
		if (idx < 0 || idx >= n || strcmp(names[idx], name)) {
			printf("# transitions.bt: @%s[%d] = \"%s\", the list says \"%s\"\n",
			       map, idx, name, idx >= 0 && idx < n ? names[idx] : "(none)");
			bad++;
		}
		seen++;
	}
	TAP_OK(!bad && seen == n, "transitions.bt: @%s[] has the %d names of the list (%d found, %d wrong)",
	       map, n, seen, bad);
}

/* No gap (a NULL left by the designated initialisers), no duplicate. */
static void check_list(const char *what, const char *const *names, int n)
{
	int i, j, bad = 0;

	for (i = 0; i < n; i++) {
		if (!names[i]) {
			bad++;
			continue;
		}
		for (j = 0; j < i; j++)
			if (names[j] && !strcmp(names[i], names[j]))
				bad++;
	}
	TAP_OK(!bad, "%s: %d names, no gap, no duplicate", what, n);
}

int main(void)
{
	char *bt = tap_slurp(BT, NULL);

	TAP_OK(sizeof(states) / sizeof(states[0]) == PH_ST_NR, "state names = PH_ST_NR");
	TAP_OK(sizeof(sites) / sizeof(sites[0]) == PH_SITE_NR, "site names = PH_SITE_NR");
	TAP_OK(sizeof(reasons) / sizeof(reasons[0]) == PH_R_NR, "reason names = PH_R_NR");
	check_list("states", states, PH_ST_NR);
	check_list("sites", sites, PH_SITE_NR);
	check_list("reasons", reasons, PH_R_NR);
	TAP_OK(bt != NULL, "transitions.bt is readable");
	if (bt) {
		check_map(bt, "st", states, PH_ST_NR);
		check_map(bt, "site", sites, PH_SITE_NR);
		check_map(bt, "why", reasons, PH_R_NR);
	}
	free(bt);
	return tap_done();
}
