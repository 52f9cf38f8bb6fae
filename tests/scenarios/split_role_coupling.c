/* A role split by caller must still order its locks by instance. Tree
 * nodes are made by node_new() from two functions (tree_root, tree_grow),
 * so node locks are two classes of one site. Hand-over-hand locking takes
 * parent then child: root (class 1) -> child (class 2), and child (class 2)
 * -> grandchild (class 1). As two unrelated classes that reads as a cycle;
 * as one role split in two (a family), it is instance order: x -> y -> z,
 * no cycle. split_role_inversion.c: a real inversion between two nodes is
 * still found. */
// expect: none
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
	(void)couple;
	return 0;
}
