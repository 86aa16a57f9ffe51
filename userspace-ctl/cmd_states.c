// SPDX-License-Identifier: GPL-2.0
/*
 * pagehintctl states, pfn, watch: the page-state engine's files.
 *
 * watch samples the page counts per state and the counters behind three
 * rates (transitions, host discards, discard faults) every interval and
 * prints one line per sample with a UTC timestamp, or with --json one
 * object per line; the first sample has no rates.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ctl.h"

static const char *const state_names[] = PH_STATE_NAMES;

static int show_table(const char *rel)
{
	char *text = ctl_read(rel, NULL);

	if (!text)
		return ctl_errno_exit(errno, rel);
	if (ctl_json)
		ctl_table_to_json(text, stdout);
	else
		fputs(text, stdout);
	free(text);
	return EXIT_OK;
}

int cmd_states(int argc, char **argv)
{
	if (argc == 1)
		return show_table("states");
	if (argc == 2 && !strcmp(argv[1], "transitions"))
		return show_table("transitions");
	if (argc == 2 && !strcmp(argv[1], "refusals"))
		return show_table("refusals");
	if (argc == 2 && !strcmp(argv[1], "verify"))
		return show_table("verify");
	if (argc == 2 && !strcmp(argv[1], "stats"))
		return ctl_print_file("stats", CTL_KV);
	fprintf(stderr, "usage: pagehintctl states [transitions|refusals|verify|stats]\n");
	return EXIT_USAGE;
}

int cmd_pfn(int argc, char **argv)
{
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: pagehintctl pfn PFN (decimal or 0x hex)\n");
		return EXIT_USAGE;
	}
	err = ctl_write("pfn", argv[1]);
	if (err == -ERANGE) {
		fprintf(stderr, "pagehintctl: PFN %s is outside the page table\n", argv[1]);
		return EXIT_FAIL;
	}
	if (err == -EINVAL) {
		fprintf(stderr, "pagehintctl: '%s' is not a PFN\n", argv[1]);
		return EXIT_USAGE;
	}
	if (err)
		return ctl_errno_exit(err, "pfn");
	return ctl_print_file("pfn", CTL_KV);
}

/* One sample of what watch shows. */
struct watch_sample {
	struct timespec mono, real;
	unsigned long pages[PH_ST_NR];
	unsigned long transitions, discards, discard_faults;
	bool have_pages;
};

/* Page counts of the states table's "all" row. */
static void watch_pages(struct watch_sample *s)
{
	char *text = ctl_read("states", NULL), *save = NULL, *line;
	unsigned long v[PH_ST_NR];
	char scope[32];

	s->have_pages = false;
	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%31s %lu %lu %lu %lu", scope, &v[0], &v[1],
			   &v[2], &v[3]) == 5 && !strcmp(scope, "all")) {
			memcpy(s->pages, v, sizeof(v));
			s->have_pages = true;
		}
	}
	free(text);
}

/* Sum of the last column of a table (the transitions file: pages). */
static unsigned long watch_table_sum(const char *rel)
{
	char *text = ctl_read(rel, NULL), *save = NULL, *line, *last;
	unsigned long sum = 0;

	if (!text)
		return 0;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		last = strrchr(line, ' ');
		if (last)
			sum += strtoul(last + 1, NULL, 10);
	}
	free(text);
	return sum;
}

/* "key value" of a stats file; 0 when the file or the key is absent. */
static unsigned long watch_kv(const char *rel, const char *key)
{
	char *text = ctl_read(rel, NULL), *save = NULL, *line;
	size_t klen = strlen(key);
	unsigned long v = 0;

	if (!text)
		return 0;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, klen) && line[klen] == ' ')
			v = strtoul(line + klen + 1, NULL, 10);
	free(text);
	return v;
}

static void watch_take(struct watch_sample *s)
{
	clock_gettime(CLOCK_MONOTONIC, &s->mono);
	clock_gettime(CLOCK_REALTIME, &s->real);
	watch_pages(s);
	s->transitions = watch_table_sum("transitions");
	s->discards = watch_kv("host/stats", "discarded");
	s->discard_faults = watch_kv("stats", "discard_faults");
}

static double watch_rate(unsigned long now, unsigned long then, double secs)
{
	return secs > 0 && now >= then ? (now - then) / secs : 0;
}

static void watch_print(const struct watch_sample *s,
			const struct watch_sample *prev)
{
	double secs = prev ? (s->mono.tv_sec - prev->mono.tv_sec) +
			     (s->mono.tv_nsec - prev->mono.tv_nsec) / 1e9 : 0;
	double r[3] = { 0, 0, 0 };
	char stamp[48];
	struct tm tm;
	size_t n;
	int i;

	gmtime_r(&s->real.tv_sec, &tm);
	n = strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(stamp + n, sizeof(stamp) - n, ".%03dZ",
		 (int)(s->real.tv_nsec / 1000000) % 1000);
	if (prev) {
		r[0] = watch_rate(s->transitions, prev->transitions, secs);
		r[1] = watch_rate(s->discards, prev->discards, secs);
		r[2] = watch_rate(s->discard_faults, prev->discard_faults, secs);
	}
	if (ctl_json) {
		printf("{\"time\":\"%s\"", stamp);
		for (i = 0; i < PH_ST_NR; i++)
			printf(",\"%s\":%lu", state_names[i], s->pages[i]);
		printf(",\"transitions\":%lu,\"discards\":%lu,\"discard_faults\":%lu",
		       s->transitions, s->discards, s->discard_faults);
		if (prev)
			printf(",\"interval_s\":%.3f,\"transitions_per_s\":%.1f,\"discards_per_s\":%.1f,\"discard_faults_per_s\":%.1f",
			       secs, r[0], r[1], r[2]);
		printf("}\n");
		return;
	}
	printf("%-24s", stamp);
	for (i = 0; i < PH_ST_NR; i++)
		printf(" %10lu", s->pages[i]);
	if (prev)
		printf(" %12.1f %11.1f %11.1f\n", r[0], r[1], r[2]);
	else
		printf(" %12s %11s %11s\n", "-", "-", "-");
}

int cmd_watch(int argc, char **argv)
{
	struct watch_sample s[2];
	double interval = 2;
	long count = 0, i;
	char *end;
	int c;

	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((c = getopt_long(argc, argv, "i:c:", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			interval = strtod(optarg, &end);
			if (*end || end == optarg)
				goto usage;
			break;
		case 'c':
			count = strtol(optarg, &end, 10);
			if (*end || end == optarg)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc || !(interval >= 0.1 && interval <= 3600) ||
	    count < 0)
		goto usage;
	if (!ctl_json)
		printf("%-24s %10s %10s %10s %10s %12s %11s %11s\n", "time",
		       "unused", "stable", "volatile", "discarded",
		       "transitions/s", "discards/s", "dfaults/s");
	for (i = 0; !count || i < count; i++) {
		struct watch_sample *now = &s[i & 1];

		if (i) {
			struct timespec ts = {
				.tv_sec = (time_t)interval,
				.tv_nsec = (long)((interval - (time_t)interval) * 1e9),
			};

			nanosleep(&ts, NULL);
		}
		watch_take(now);
		if (!now->have_pages)
			return ctl_errno_exit(EIO, "states");
		watch_print(now, i ? &s[(i - 1) & 1] : NULL);
		fflush(stdout);
	}
	return EXIT_OK;
usage:
	fprintf(stderr, "usage: pagehintctl watch [-i|--interval SECONDS (0.1..3600)] [-c|--count N]\n");
	return EXIT_USAGE;
}
