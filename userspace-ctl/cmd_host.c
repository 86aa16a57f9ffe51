// SPDX-License-Identifier: GPL-2.0
/*
 * pagehintctl host [status|device|sim] | reclaim SIZE | target SIZE|off
 * The host: with policy host_channel=virtio the real one (QEMU's balloon
 * device: its target, the balloon's actual size, pages reported,
 * inflated, volatile pages dropped for it, discard faults), else the
 * simulated host (its statistics, one reclaim request, pressure mode).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

static int host_usage(void)
{
	fprintf(stderr, "usage: pagehintctl host [status|device|sim|reclaim SIZE|target SIZE|target off]\n"
		"  status: the real host (device) with host_channel=virtio, else the simulated one\n"
		"  reclaim, target: the simulated host; SIZE: bytes, with an optional K/M/G suffix (64M)\n");
	return EXIT_USAGE;
}

/* "virtio" when pagehint drives the virtio-balloon device */
static int host_is_virtio(void)
{
	char *text = ctl_read("policy/host_channel", NULL);
	int virtio = text && !strncmp(text, "virtio", 6);

	free(text);
	return virtio;
}

static int host_device(void)
{
	return ctl_print_file("host/device", CTL_KV);
}

static int host_sim(void)
{
	return ctl_print_file("host/stats", CTL_KV);
}

static int host_write(const char *rel, const char *val)
{
	unsigned long long bytes;
	int err;

	if (ph_parse_size(val, &bytes)) {
		fprintf(stderr, "pagehintctl: bad size '%s' (e.g. 64M)\n", val);
		return EXIT_USAGE;
	}
	err = ctl_write(rel, val);
	if (err == -ENODEV) {
		fprintf(stderr, "pagehintctl: the host is off; turn it on with: pagehintctl policy set host on\n");
		return EXIT_FAIL;
	}
	if (err == -EINVAL || err == -ERANGE) {
		fprintf(stderr, "pagehintctl: %s: size '%s' %s\n", rel, val,
			err == -EINVAL ? "is not valid" : "is out of range");
		return EXIT_FAIL;
	}
	return err ? ctl_errno_exit(err, rel) : EXIT_OK;
}

int cmd_host(int argc, char **argv)
{
	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "status")))
		return host_is_virtio() ? host_device() : host_sim();
	if (argc == 2 && !strcmp(argv[1], "device"))
		return host_device();
	if (argc == 2 && !strcmp(argv[1], "sim"))
		return host_sim();
	if (argc != 3)
		return host_usage();
	if (!strcmp(argv[1], "reclaim"))
		return host_write("host/reclaim", argv[2]);
	if (!strcmp(argv[1], "target"))
		return host_write("host/target", strcmp(argv[2], "off") ? argv[2] : "0");
	return host_usage();
}
