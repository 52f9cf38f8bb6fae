/* Report fingerprints (src/common/fingerprint.h) from stable class keys,
 * and --baseline: reports whose fingerprint is listed there are printed
 * but not counted for --exitcode. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/fingerprint.h"
#include "classkey.h"
#include "report_buf.h"

static struct ul_htab known;
static bool loaded;
static _Atomic uint32_t nbaselined;

void ul_report_fingerprint(struct ul_rb *r)
{
	static char keys[UL_RB_LOCKS][512];
	const char *k[UL_RB_LOCKS];
	int n = 0;
	for (int i = 0; i < r->nlocks && i < UL_RB_LOCKS; i++) {
		struct ul_class *c = r->lock_ids[i] ? ul_class_get(r->lock_ids[i]) : NULL;
		if (!ul_class_fp_key(c, keys[n], sizeof keys[n]))
			snprintf(keys[n], sizeof keys[n], "name:%s", r->locks[i] ? r->locks[i] : "");
		k[n] = keys[n];
		n++;
	}
	ul_fingerprint(ul_report_kind_names[r->report_kind], k, n, r->fingerprint);
}

/* Fingerprints from a baseline file (`ulockdep db baseline`: one per line)
 * or a JSON log (every "fingerprint":"..." in it). */
int ul_baseline_load(const char *path, char *err, int errlen)
{
	int fd = ul_open_read(path);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, (size_t)errlen, "%s: cannot read the baseline file", path);
		if (fd >= 0)
			ul_close(fd);
		return -1;
	}
	ul_htab_init(&known, 64, 0);
	loaded = true;
	char buf[8192 + 64];
	size_t have = 0;
	bool line_start = true, junk = false;
	uint32_t count = 0;
	for (;;) {
		ssize_t n = ul_read(fd, buf + have, sizeof buf - 1 - have);
		if (n <= 0 && !have)
			break;
		have += n > 0 ? (size_t)n : 0;
		buf[have] = 0;
		/* keep the last 40 bytes: a match may straddle two reads */
		size_t scan = n > 0 && have > 40 ? have - 40 : have;
		for (size_t i = 0; i < scan; i++) {
			uint64_t h = 0;
			if (line_start && i + 16 <= have)
				h = ul_fingerprint_parse(buf + i);
			/* a line that is no fingerprint, comment or JSON */
			if (line_start && !h && !strchr("#{ \t\r\n", buf[i]))
				junk = true;
			else if (!strncmp(buf + i, "\"fingerprint\":\"", 15) && i + 31 <= have)
				h = ul_fingerprint_parse(buf + i + 15);
			if (h) {
				count++;
				uint64_t v[3] = { 1, 0, 0 };
				ul_htab_put(&known, h, v, false);
			}
			line_start = buf[i] == '\n';
		}
		memmove(buf, buf + scan, have - scan);
		have -= scan;
		if (n <= 0)
			break;
	}
	ul_close(fd);
	if (junk && !count) {
		snprintf(err, (size_t)errlen, "%s: not a baseline (no fingerprints: write one with `ulockdep db "
					      "baseline` or give a --json log)", path);
		return -1;
	}
	return 0;
}

bool ul_baseline_has(const struct ul_rb *r)
{
	uint64_t h = ul_fingerprint_parse(r->fingerprint);
	if (!loaded || !h || !ul_htab_has(&known, h))
		return false;
	atomic_fetch_add(&nbaselined, 1);
	return true;
}

uint32_t ul_baselined(void)
{
	return atomic_load(&nbaselined);
}
