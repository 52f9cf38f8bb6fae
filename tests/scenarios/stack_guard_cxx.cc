/* A C++ guard (constructor locks) around stack locals: b1 takes its local
 * then pg, b2 (same frame, same address) pg then its local. Both locals are
 * first taken in Guard::Guard, so the taking frame is the same; the frame
 * owning the address differs (b1, b2): new identity, no cycle. */
// expect: none
#include <pthread.h>

void *volatile sink;
static pthread_mutex_t pg = PTHREAD_MUTEX_INITIALIZER;

struct Guard {
	pthread_mutex_t *m;
	explicit Guard(pthread_mutex_t *x) : m(x) { pthread_mutex_lock(m); }
	~Guard() { pthread_mutex_unlock(m); }
};

__attribute__((noinline)) void b1()
{
	pthread_mutex_t l = PTHREAD_MUTEX_INITIALIZER;
	sink = &l;
	Guard x(&l);
	Guard y(&pg);
}

__attribute__((noinline)) void b2()
{
	pthread_mutex_t l = PTHREAD_MUTEX_INITIALIZER;
	sink = &l;
	Guard y(&pg);
	Guard x(&l);
}

int main()
{
	b1();
	b2();
	return 0;
}
