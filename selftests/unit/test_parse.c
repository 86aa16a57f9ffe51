// SPDX-License-Identifier: GPL-2.0
/* Host unit tests of the parsers and formatters shared with the module. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "uapi/pagehint.h"
#include "../../userspace-ctl/ctl.h"

static void size_ok(const char *s, unsigned long long want)
{
	unsigned long long v = 12345;
	int r = ph_parse_size(s, &v);

	TAP_OK(r == 0 && v == want, "ph_parse_size(\"%s\") = %llu (got %d, %llu)",
	       s, want, r, v);
}

static void size_err(const char *s, int err)
{
	unsigned long long v = 777;
	int r = ph_parse_size(s, &v);

	TAP_OK(r == -err && v == 777, "ph_parse_size(\"%s\") fails with %d and leaves the value (got %d)",
	       s, -err, r);
}

static void json_case(const char *table, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ctl_table_to_json(table, f);
	fclose(f);
	TAP_OK(!strcmp(buf, want), "table to JSON: %.*s", (int)strlen(want) - 1, want);
	if (strcmp(buf, want))
		printf("# got %s", buf);
	free(buf);
}

static void kv_case(const char *text, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ctl_kv_to_json(text, f);
	fclose(f);
	TAP_OK(!strcmp(buf, want), "key/value to JSON: %.*s", (int)strlen(want) - 1, want);
	if (strcmp(buf, want))
		printf("# got %s", buf);
	free(buf);
}

int main(void)
{
	size_ok("0", 0);
	size_ok("4096", 4096);
	size_ok("64K", 64ULL << 10);
	size_ok("64M", 64ULL << 20);
	size_ok("1G", 1ULL << 30);
	size_ok("2GiB", 2ULL << 30);
	size_ok("3MB", 3ULL << 20);
	size_ok("18446744073709551615", ~0ULL);
	size_err("", EINVAL);
	size_err("-1", EINVAL);
	size_err(" 1", EINVAL);
	size_err("1 ", EINVAL);
	size_err("12X", EINVAL);
	size_err("1KK", EINVAL);
	size_err("0x10", EINVAL);
	size_err("18446744073709551616", ERANGE);
	size_err("17179869184G", ERANGE);
	json_case("name state\nstates up\n", "[{\"name\":\"states\",\"state\":\"up\"}]\n");
	json_case("a b\n1 -2\nx\"y 3\n",
		  "[{\"a\":1,\"b\":\"-2\"},{\"a\":\"x\\\"y\",\"b\":3}]\n");
	json_case("only header\n", "[]\n");
	json_case("name state reason\nzspool degraded pool pages unmovable \nrmap up -\n",
		  "[{\"name\":\"zspool\",\"state\":\"degraded\",\"reason\":\"pool pages unmovable\"},"
		  "{\"name\":\"rmap\",\"state\":\"up\",\"reason\":\"-\"}]\n");
	kv_case("size 12\nstate: idle\n\nlonely\ndelta -3\nreason  floor reached \n",
		"{\"size\":12,\"state\":\"idle\",\"delta\":\"-3\",\"reason\":\"floor reached\"}\n");
	kv_case("", "{}\n");
	return tap_done();
}
