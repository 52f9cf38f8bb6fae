/* Tiny timing helpers shared by the benchmark programs.
 *
 * Include this first.  Every program takes "ITERS REPS" as its first two arguments, runs
 * its loop REPS times and prints the best run as "ns/op VALUE".
 */
#ifndef BENCH_H
#define BENCH_H

#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*bench_fn)(long iters, void *arg);

static inline long long bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* argv[i] as a positive number, or def when absent. */
static inline long bench_arg(int argc, char **argv, int i, long def)
{
	long v;

	if (i >= argc)
		return def;
	v = strtol(argv[i], NULL, 0);
	if (v <= 0) {
		fprintf(stderr, "bad argument: %s\n", argv[i]);
		exit(2);
	}
	return v;
}

/* Best of reps runs of fn(iters, arg), in ns per iteration. */
static inline double bench_best(bench_fn fn, void *arg, long iters, int reps)
{
	double best = 0;

	for (int r = 0; r < reps; r++) {
		long long t = bench_now();
		fn(iters, arg);
		double ns = (double)(bench_now() - t) / iters;
		if (r == 0 || ns < best)
			best = ns;
	}
	return best;
}

static inline void bench_report(double ns)
{
	printf("ns/op %.2f\n", ns);
}

/* Print VmRSS and VmHWM (kB) from /proc/self/status. */
static inline void bench_mem(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6) || !strncmp(line, "VmHWM:", 6))
			fputs(line, stdout);
	fclose(f);
}

#endif
