/* Same-class nesting, one direction: hand-over-hand ("lock coupling")
 * traversal of a singly linked list. Every node's lock is made at one init
 * site (node_alloc), so all node locks are ONE class; a traversal holds
 * node i while it takes node i+1. The kernel would need
 * mutex_lock_nested() here; ulockdep instead orders the INSTANCES, and
 * instance order only ever goes from a node to its successor: a chain,
 * never a cycle. Four threads walk the list concurrently, from the head
 * and from the middle, many times: no report. */
// expect: none
#include "scenario.h"

#define NNODES 8
#define NWALKERS 4

struct node {
	pthread_mutex_t lock;
	int value;
	struct node *next;
};

static struct node *head;

static struct node *node_alloc(int value)
{
	struct node *n = calloc(1, sizeof *n);
	CHECK(n != NULL);
	CHECK(pthread_mutex_init(&n->lock, NULL) == 0);
	n->value = value;
	return n;
}

/* Walk from 'start' to the tail, holding at most two nodes at a time. */
static int walk(struct node *start)
{
	int sum = 0;
	struct node *cur = start;
	CHECK(L(&cur->lock) == 0);
	while (cur->next) {
		struct node *nx = cur->next;
		CHECK(L(&nx->lock) == 0);
		sum += cur->value;
		cur->value++;
		cur->value--;
		CHECK(U(&cur->lock) == 0);
		cur = nx;
	}
	sum += cur->value;
	CHECK(U(&cur->lock) == 0);
	return sum;
}

static void *walker(void *arg)
{
	long id = (long)arg;
	struct node *mid = head;
	for (int i = 0; i < NNODES / 2; i++)
		mid = mid->next;
	for (int i = 0; i < 300; i++) {
		CHECK(walk(head) == NNODES * (NNODES - 1) / 2);
		if (id & 1)
			CHECK(walk(mid) > 0);
	}
	return NULL;
}

int main(void)
{
	struct node **link = &head;
	for (int i = 0; i < NNODES; i++) {
		*link = node_alloc(i);
		link = &(*link)->next;
	}
	pthread_t t[NWALKERS];
	for (long i = 0; i < NWALKERS; i++)
		CHECK(pthread_create(&t[i], NULL, walker, (void *)i) == 0);
	for (int i = 0; i < NWALKERS; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	return 0;
}
