/* Same-class nesting against the grain: a list of node locks from one
 * init site (node_alloc) is walked hand-over-hand forward (node i, then
 * node i+1), and one other path locks a node and then its PREDECESSOR
 * (tail node, then the node before it). Two instances of one class taken
 * in both orders: thread A holds n2 and waits for n3, thread B holds n3
 * and waits for n2. ulockdep orders instances, so this is one circular
 * report whose locks are the node class twice, listed as instances. The
 * walks run on separate threads that never overlap: nothing really hangs. */
// expect: circular node_alloc
// stderr: Instances of one class in the cycle:
// stderr: (node_alloc+0x
#include "scenario.h"

#define NNODES 4

struct node {
	pthread_mutex_t lock;
	struct node *next, *prev;
};

static struct node *nodes[NNODES];

static struct node *node_alloc(void)
{
	struct node *n = calloc(1, sizeof *n);
	CHECK(n != NULL);
	CHECK(pthread_mutex_init(&n->lock, NULL) == 0);
	return n;
}

static void *forward(void *arg)
{
	(void)arg;
	struct node *cur = nodes[0];
	CHECK(L(&cur->lock) == 0);
	while (cur->next) {
		CHECK(L(&cur->next->lock) == 0);
		CHECK(U(&cur->lock) == 0);
		cur = cur->next;
	}
	CHECK(U(&cur->lock) == 0);
	return NULL;
}

/* Unlink the tail: lock it, then its predecessor. */
static void *unlink_tail(void *arg)
{
	(void)arg;
	struct node *tail = nodes[NNODES - 1];
	CHECK(L(&tail->lock) == 0);
	CHECK(L(&tail->prev->lock) == 0);
	tail->prev->next = NULL;
	CHECK(U(&tail->prev->lock) == 0);
	CHECK(U(&tail->lock) == 0);
	return NULL;
}

int main(void)
{
	for (int i = 0; i < NNODES; i++)
		nodes[i] = node_alloc();
	for (int i = 0; i < NNODES; i++) {
		nodes[i]->next = i + 1 < NNODES ? nodes[i + 1] : NULL;
		nodes[i]->prev = i ? nodes[i - 1] : NULL;
	}
	on_thread(forward, NULL);
	on_thread(unlink_tail, NULL);
	return 0;
}
