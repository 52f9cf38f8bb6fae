/* split_role_coupling.c's tree, and a real inversion between two of its
 * nodes: walk() takes mid -> leaf, couple() leaf -> mid. The node classes
 * are one role split by caller, so the cycle is found between instances. */
// expect: circular node_new
// stderr: Instances of one class in the cycle
#include "scenario.h"

struct node {
	pthread_mutex_t mu;
	struct node *child;
};

static __attribute__((noinline)) struct node *node_new(void)
{
	struct node *n = calloc(1, sizeof *n);
	CHECK(n && pthread_mutex_init(&n->mu, NULL) == 0);
	return n;
}

static __attribute__((noinline)) struct node *tree_root(void)
{
	return node_new();
}

static __attribute__((noinline)) struct node *tree_grow(struct node *parent)
{
	struct node *n = node_new();
	parent->child = n;
	return n;
}

static __attribute__((noinline)) void walk(struct node *n)
{
	L(&n->mu);
	while (n->child) {
		L(&n->child->mu);
		U(&n->mu);
		n = n->child;
	}
	U(&n->mu);
}

/* hand over hand: parent -> child, both held */
static __attribute__((noinline)) void couple(struct node *a, struct node *b)
{
	L(&a->mu);
	L(&b->mu);
	U(&b->mu);
	U(&a->mu);
}

int main(void)
{
	struct node *root = tree_root();
	struct node *mid = tree_grow(root);
	struct node *leaf = tree_root(); /* made by tree_root, hung below mid */
	mid->child = leaf;
	walk(root);
	/* the real inversion: mid -> leaf above, leaf -> mid here */
	couple(leaf, mid);
	return 0;
}
