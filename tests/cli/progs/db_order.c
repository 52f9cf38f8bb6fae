/* Lock orders for the --graph-db tests. Each argument is a pair of lock
 * letters taken in that order ("ab": a then b), from globals a..e or from
 * an array: "m17" takes m[17] then m[117]. "wait=FILE" first creates
 * FILE.started.PID, then waits for FILE to exist (runs that overlap in time).
 * "fork:xy" takes x then y in a forked child, which exits first; "AB" is
 * "ab" through a function inlined into main; "chdir" moves to / (before
 * the exit, where the runtime merges). "ra"/"ar": the rwlock read-locked
 * before/after lock_a; "wa": write-locked before lock_a. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef LOCK_B
#define LOCK_B lock_b
#endif

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t LOCK_B = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_c = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_d = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_e = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t m[200];
pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER; /* "r": read-locked, recursive readers */

static pthread_mutex_t *pick(char c)
{
	switch (c) {
	case 'a': return &lock_a;
	case 'b': return &LOCK_B;
	case 'c': return &lock_c;
	case 'd': return &lock_d;
	default: return &lock_e;
	}
}

static void pair(pthread_mutex_t *x, pthread_mutex_t *y)
{
	pthread_mutex_lock(x);
	pthread_mutex_lock(y);
	pthread_mutex_unlock(y);
	pthread_mutex_unlock(x);
}

static inline __attribute__((always_inline)) void pair_inlined(pthread_mutex_t *x, pthread_mutex_t *y)
{
	pthread_mutex_lock(x);
	pthread_mutex_lock(y);
	pthread_mutex_unlock(y);
	pthread_mutex_unlock(x);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "wait=", 5)) {
			char started[4096];
			snprintf(started, sizeof started, "%s.started.%d", argv[i] + 5, (int)getpid());
			FILE *f = fopen(started, "w");
			if (f)
				fclose(f);
			while (access(argv[i] + 5, F_OK))
				usleep(10000);
		} else if (!strncmp(argv[i], "fork:", 5) && strlen(argv[i]) == 7) {
			pid_t pid = fork();
			if (pid == 0) {
				pair(pick(argv[i][5]), pick(argv[i][6]));
				exit(0);
			}
			waitpid(pid, NULL, 0);
		} else if (!strcmp(argv[i], "ra") || !strcmp(argv[i], "ar")) {
			bool r_first = argv[i][0] == 'r';
			if (r_first)
				pthread_rwlock_rdlock(&rw);
			pthread_mutex_lock(&lock_a);
			if (!r_first)
				pthread_rwlock_rdlock(&rw);
			pthread_rwlock_unlock(&rw);
			pthread_mutex_unlock(&lock_a);
		} else if (!strcmp(argv[i], "wa")) {
			pthread_rwlock_wrlock(&rw);
			pthread_mutex_lock(&lock_a);
			pthread_mutex_unlock(&lock_a);
			pthread_rwlock_unlock(&rw);
		} else if (!strcmp(argv[i], "chdir")) {
			if (chdir("/"))
				return 1;
		} else if (argv[i][0] == 'm') {
			int k = atoi(argv[i] + 1) % 100;
			pair(&m[k], &m[k + 100]);
		} else if (strlen(argv[i]) == 2 && argv[i][0] >= 'A' && argv[i][0] <= 'Z') {
			pair_inlined(pick((char)(argv[i][0] + 32)), pick((char)(argv[i][1] + 32)));
		} else if (strlen(argv[i]) == 2) {
			pair(pick(argv[i][0]), pick(argv[i][1]));
		}
	}
	return 0;
}
