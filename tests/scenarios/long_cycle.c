/* A six-class cycle, each edge seen on its own thread: reported with the
 * whole chain ("Chain exists of") and a stack for every edge. */
// expect: circular stage0 stage1 stage2 stage3 stage4 stage5
// stderr: Chain exists of:
// stderr: -> #5
#include "scenario.h"

pthread_mutex_t stage0 = PTHREAD_MUTEX_INITIALIZER, stage1 = PTHREAD_MUTEX_INITIALIZER,
		stage2 = PTHREAD_MUTEX_INITIALIZER, stage3 = PTHREAD_MUTEX_INITIALIZER,
		stage4 = PTHREAD_MUTEX_INITIALIZER, stage5 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t *stages[] = { &stage0, &stage1, &stage2, &stage3, &stage4, &stage5 };

static void *edge(void *arg)
{
	int i = (int)(long)arg;
	L(stages[i]);
	L(stages[(i + 1) % 6]);
	U(stages[(i + 1) % 6]);
	U(stages[i]);
	return NULL;
}

int main(void)
{
	for (long i = 0; i < 6; i++)
		on_thread(edge, (void *)i);
	return 0;
}
