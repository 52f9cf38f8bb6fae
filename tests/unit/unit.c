/* Unit tests for the core's data structures, built plain and with
 * ASan+UBSan: the hash table (with concurrent readers and writers), the
 * option parser, and the strong-cycle search over typed dependencies. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>

#include "../../src/core/core.h"
#include "../../src/common/outfile.h"

struct ul_runtime ul_rt;
__thread struct ul_thread *ul_self UL_TLS;
void ul_notice_limit(enum ul_limit which) { (void)which; }
struct ul_class *ul_class_get(uint32_t id) { (void)id; return NULL; }
uint32_t ul_class_family(uint32_t id) { return id; } /* no classes here: each its own family */

static int passed, failed;
#define EXPECT(c)                                                                  \
	do {                                                                       \
		if (c) {                                                           \
			passed++;                                                  \
		} else {                                                           \
			failed++;                                                  \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);        \
		}                                                                  \
	} while (0)

static struct ul_htab h;

static void *writer(void *arg)
{
	uint64_t base = (uint64_t)(uintptr_t)arg;
	for (uint64_t i = 1; i <= 20000; i++) {
		uint64_t v[3] = { base + i, i, 0 };
		ul_htab_put(&h, base + i, v, false);
	}
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	long bad = 0;
	for (int round = 0; round < 20; round++)
		for (uint64_t i = 1; i <= 20000; i++) {
			uint64_t v[3];
			if (ul_htab_get(&h, (1u << 20) + i, v) && v[0] != (1u << 20) + i)
				bad++;
		}
	return (void *)bad;
}

static void test_htab(void)
{
	ul_htab_init(&h, 4, 0);
	uint64_t v[3] = { 7, 8, 9 }, out[3];
	EXPECT(!ul_htab_get(&h, 42, out));
	EXPECT(ul_htab_put(&h, 42, v, false) == 1);
	EXPECT(ul_htab_get(&h, 42, out) && out[0] == 7 && out[2] == 9);
	v[0] = 1;
	EXPECT(ul_htab_put(&h, 42, v, false) == 0);
	EXPECT(ul_htab_get(&h, 42, out) && out[0] == 7); /* no replace */
	EXPECT(ul_htab_put(&h, 42, v, true) == 0);
	EXPECT(ul_htab_get(&h, 42, out) && out[0] == 1);
	EXPECT(ul_htab_set(&h, 42, 1, 55) && ul_htab_get(&h, 42, out) && out[1] == 55);
	/* growth while readers run: no torn or wrong entry is ever seen */
	pthread_t w[2], r[2];
	pthread_create(&w[0], NULL, writer, (void *)(uintptr_t)(1u << 20));
	pthread_create(&w[1], NULL, writer, (void *)(uintptr_t)(2u << 20));
	for (int i = 0; i < 2; i++)
		pthread_create(&r[i], NULL, reader, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(w[i], NULL);
	long bad = 0;
	for (int i = 0; i < 2; i++) {
		void *b;
		pthread_join(r[i], &b);
		bad += (long)b;
	}
	EXPECT(bad == 0);
	long missing = 0;
	for (uint64_t i = 1; i <= 20000; i++)
		missing += !ul_htab_has(&h, (1u << 20) + i) + !ul_htab_has(&h, (2u << 20) + i);
	EXPECT(missing == 0);
	EXPECT(atomic_load(&h.count) == 40001);
	struct ul_htab small;
	memset(&small, 0, sizeof small);
	ul_htab_init(&small, 4, 3);
	for (uint64_t k = 1; k <= 3; k++)
		EXPECT(ul_htab_put(&small, k, v, false) == 1);
	EXPECT(ul_htab_put(&small, 99, v, false) == -1 && small.full);
}

static void test_options(void)
{
	struct ul_options o;
	char err[1200];
	ul_options_defaults(&o);
	EXPECT(o.deadlock_timeout_ms == 2000 && o.summary && !o.abort_on_report);
	char s1[] = "json=/tmp/a:b.json deadlock_action=exit:3:exitcode=9 suppressions=x suppressions=y";
	EXPECT(ul_options_parse(&o, s1, err, sizeof err) == 0);
	EXPECT(!strcmp(o.json, "/tmp/a:b.json"));
	EXPECT(!strcmp(o.deadlock_action, "exit:3"));
	EXPECT(o.exitcode == 9);
	EXPECT(o.suppressions_count == 2 && !strcmp(o.suppressions[1], "y"));
	char s2[] = "nonsense=1";
	EXPECT(ul_options_parse(&o, s2, err, sizeof err) == -1 && strstr(err, "valid options") &&
	       strstr(err, "deadlock_timeout_ms"));
	char s3[] = "exitcode=twelve";
	EXPECT(ul_options_parse(&o, s3, err, sizeof err) == -1 && strstr(err, "bad value"));
	char s4[] = "summary";
	EXPECT(ul_options_parse(&o, s4, err, sizeof err) == -1 && strstr(err, "no '=value'"));
	char s5[] = "abort_on_report=yes";
	EXPECT(ul_options_parse(&o, s5, err, sizeof err) == 0 && o.abort_on_report);

	/* typed values: each rejected one names the option, the value and what is allowed */
	const char *badv[][2] = {
		{ "deadlock_action", "explode" }, { "deadlock_action", "exit:0" }, { "deadlock_action", "exit:256" },
		{ "deadlock_action", "exit:" }, { "dump_signal", "SIGFOO" }, { "dump_signal", "SIGKILL" },
		{ "dump_signal", "19" }, { "dump_signal", "0" }, { "exitcode", "256" }, { "exitcode", "-1" },
		{ "deadlock_timeout_ms", "-5" }, { "deadlock_timeout_ms", "0" }, { "max_locks", "-1" },
		{ "max_classes", "99999999999999999999" }, { "summary", "maybe" }, { "verbosity", "0x1" },
		{ "exitcode", "+5" }, { "exitcode", " 5" }, { "dump_signal", "SEGV" }, { "dump_signal", "SIGBUS" },
		{ "dump_signal", "fpe" }, { "dump_signal", "ILL" }, { "dump_signal", "TRAP" }, { "dump_signal", "SYS" },
		{ "dump_signal", "11" },
	};
	for (size_t i = 0; i < sizeof badv / sizeof badv[0]; i++) {
		EXPECT(ul_option_set(&o, badv[i][0], badv[i][1], err, sizeof err) == -1);
		EXPECT(strstr(err, badv[i][0]) && strstr(err, badv[i][1]) && strstr(err, "allowed: "));
	}
	EXPECT(ul_option_set(&o, "deadlock_action", "exit:255", err, sizeof err) == 0);
	EXPECT(ul_option_set(&o, "deadlock_action", "abort", err, sizeof err) == 0);
	ul_option_set(&o, "deadlock_action", "x", err, sizeof err);
	EXPECT(strstr(err, "one of report, abort or exit:N with N in 1..255"));
	EXPECT(ul_option_set(&o, "dump_signal", "SIGUSR2", err, sizeof err) == 0 && o.dump_signal == SIGUSR2);
	EXPECT(ul_option_set(&o, "dump_signal", "winch", err, sizeof err) == 0 && o.dump_signal == SIGWINCH);
	EXPECT(ul_option_set(&o, "dump_signal", "RTMIN+2", err, sizeof err) == 0 && o.dump_signal == SIGRTMIN + 2);
	EXPECT(ul_option_set(&o, "dump_signal", "10", err, sizeof err) == 0 && o.dump_signal == 10);
	EXPECT(ul_option_set(&o, "dump_signal", "", err, sizeof err) == 0 && o.dump_signal == 0);
	EXPECT(ul_option_set(&o, "exitcode", "255", err, sizeof err) == 0 && o.exitcode == 255);
	char wr[300] = "my_init,";
	memset(wr + 8, 'x', 200);
	EXPECT(ul_option_set(&o, "init_wrappers", wr, err, sizeof err) == -1 && strstr(err, "at most 127"));
	EXPECT(ul_option_set(&o, "init_wrappers", "a_*,b_init", err, sizeof err) == 0);
	for (int i = 0; i < UL_MAX_LIST; i++)
		ul_option_set(&o, "suppressions", "f", err, sizeof err);
	EXPECT(ul_option_set(&o, "suppressions", "f", err, sizeof err) == -1 && strstr(err, "at most 16"));
	char longp[5000];
	memset(longp, 'a', sizeof longp - 1);
	longp[sizeof longp - 1] = 0;
	EXPECT(ul_option_set(&o, "graph", longp, err, sizeof err) == -1 && strstr(err, "'graph'"));

	/* encoding: spaces, colons, quotes and backslashes come back exactly */
	const char *vals[] = { "my file.json", "/a:b=c:json=x", "it's \"q\" \\ end", "", "tab\there" };
	char enc[1024] = "";
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
		EXPECT(ul_option_encode(enc, sizeof enc, i % 2 ? "log_file" : "json", vals[i]) == 0);
	ul_option_encode(enc, sizeof enc, "symbolizer", "x y");
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		char one[256] = "";
		ul_option_encode(one, sizeof one, "json", vals[i]);
		EXPECT(ul_options_parse(&o, one, err, sizeof err) == 0 && !strcmp(o.json, vals[i]));
	}
	EXPECT(ul_options_parse(&o, enc, err, sizeof err) == 0 && !strcmp(o.symbolizer, "x y"));
	char s6[] = "::exitcode=3::  summary=0:";
	EXPECT(ul_options_parse(&o, s6, err, sizeof err) == 0 && o.exitcode == 3 && !o.summary);
	char s7[] = "json=\"open";
	EXPECT(ul_options_parse(&o, s7, err, sizeof err) == -1 && strstr(err, "closing"));
	char s8[] = "status_file=/tmp/x";
	EXPECT(ul_options_parse(&o, s8, err, sizeof err) == -1 && strstr(err, "unknown option"));
	char s9[] = "json='a \"b'";
	EXPECT(ul_options_parse(&o, s9, err, sizeof err) == 0 && !strcmp(o.json, "a \"b"));
}

/* Per-process names and the never-truncate rule. */
static void test_paths(void)
{
	char out[64];
	EXPECT(ul_path_make("/t/r.sarif", 42, ".42", NULL, out, sizeof out) == 0 && !strcmp(out, "/t/r.42.sarif"));
	EXPECT(ul_path_make("/t.d/g", 42, NULL, ".42.dot", out, sizeof out) == 0 && !strcmp(out, "/t.d/g.42.dot"));
	EXPECT(ul_path_make("/t/.hidden", 7, ".7", NULL, out, sizeof out) == 0 && !strcmp(out, "/t/.hidden.7"));
	EXPECT(ul_path_make("/t/log.%p", 1234, NULL, NULL, out, sizeof out) == 0 && !strcmp(out, "/t/log.1234"));
	EXPECT(ul_path_make("/t/%p/%p", 5, NULL, NULL, out, sizeof out) == 0 && !strcmp(out, "/t/5/5"));
	EXPECT(ul_path_make("/t/100%%.%%p.%p", 9, NULL, NULL, out, sizeof out) == 0 && !strcmp(out, "/t/100%.%p.9"));
	EXPECT(!ul_path_has_pid("/t/%%p") && ul_path_has_pid("/t/%%%p") && ul_path_has_pid("%p") && !ul_path_has_pid("/t/x"));
	char small[12];
	EXPECT(ul_path_make("/t/abcdefgh", 1, NULL, NULL, small, sizeof small) == 0);
	EXPECT(ul_path_make("/t/abcdefghi", 1, NULL, NULL, small, sizeof small) == -ENAMETOOLONG);
	EXPECT(ul_path_make("/t/abcdefg", 1, NULL, ".json", small, sizeof small) == -ENAMETOOLONG);
	EXPECT(ul_path_make("/t/%p", 123456789, NULL, NULL, small, sizeof small) == -ENAMETOOLONG);
	EXPECT(ul_path_make("rel", 1, NULL, NULL, out, sizeof out) == 0 && out[0] == '/' &&
	       !strcmp(out + strlen(out) - 4, "/rel"));
}

/* Nodes 1..n; add an edge and ask for a cycle closed by it. */
static int cycle_if_added(uint32_t from, uint32_t to, uint8_t type)
{
	uint32_t path[32];
	int n = ul_graph_find_cycle(to, from, type, path, 32);
	bool added;
	ul_edge_add(from, to, type, 0, &added);
	return n;
}

static void test_graph(void)
{
	uint32_t n[8], e0 = ul_graph_nedges();
	for (int i = 0; i < 8; i++)
		n[i] = ul_node_new((uint32_t)i + 100, 0, 0);
	/* A->B->C, then C->A closes a 3-cycle */
	EXPECT(cycle_if_added(n[0], n[1], UL_DEP_EN) == 0);
	EXPECT(cycle_if_added(n[1], n[2], UL_DEP_EN) == 0);
	EXPECT(cycle_if_added(n[2], n[0], UL_DEP_EN) == 2);
	/* read-lock rule: X -SN-> Y, Y -ER-> X is weak (xR then Sx): no cycle */
	EXPECT(cycle_if_added(n[3], n[4], UL_DEP_SN) == 0);
	EXPECT(cycle_if_added(n[4], n[3], UL_DEP_ER) == 0);
	/* ... but Y -EN-> X makes it strong */
	EXPECT(cycle_if_added(n[4], n[3], UL_DEP_EN) == 1);
	/* three-lock ring with one weak junction, then a strong alternative */
	EXPECT(cycle_if_added(n[5], n[6], UL_DEP_ER) == 0);
	EXPECT(cycle_if_added(n[6], n[7], UL_DEP_SN) == 0);
	EXPECT(cycle_if_added(n[7], n[5], UL_DEP_EN) == 0); /* 5-ER->6-SN->7: weak at 6 */
	EXPECT(cycle_if_added(n[5], n[6], UL_DEP_EN) == 2); /* now 5-EN->6-SN->7-EN->5 */
	EXPECT(ul_graph_nedges() - e0 == 8); /* widening a pair adds no edge */
}

/* Every edge goes forward in the order. */
static bool order_ok(const uint32_t *n, int nn)
{
	for (int i = 0; i < nn; i++)
		for (uint32_t e = ul_node_get(n[i])->first_out; e; e = ul_edge_get(e)->next_out)
			if (ul_node_get(ul_edge_get(e)->from)->ord >= ul_node_get(ul_edge_get(e)->to)->ord)
				return false;
	return true;
}

static uint64_t rnd = 88172645463325252ULL;
static uint32_t next_rand(void)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return (uint32_t)rnd;
}

/* The online topological order: edges of a DAG, added in any order, never
 * need a search, and the order stays valid. */
static void test_graph_order(void)
{
	enum { N = 300 };
	ul_htab_init(&ul_rt.edges, 16, 0);
	uint32_t n[N], rank[N];
	for (int i = 0; i < N; i++) {
		n[i] = ul_node_new(1000, (uint32_t)i + 1, 0x1000 + (uintptr_t)i); /* instance nodes */
		rank[i] = next_rand(); /* a hidden order the edges follow */
	}
	int searched = 0, bad = 0;
	for (int k = 0; k < 3000; k++) {
		int a = (int)(next_rand() % N), b = (int)(next_rand() % N);
		if (rank[a] == rank[b])
			continue;
		if (rank[a] > rank[b]) {
			int t = a;
			a = b;
			b = t;
		}
		uint32_t path[32];
		if (ul_graph_may_reach(n[b], n[a]))
			searched++;
		if (ul_graph_find_cycle(n[b], n[a], UL_DEP_EN, path, 32))
			bad++; /* a DAG has no cycle */
		bool added;
		ul_edge_add(n[a], n[b], UL_DEP_EN, 0, &added);
	}
	EXPECT(searched == 0 && bad == 0);
	EXPECT(ul_graph_ordered());
	EXPECT(order_ok(n, N));
	/* a path b -> a is always seen: may_reach never says no wrongly */
	int missed = 0;
	for (int k = 0; k < 2000; k++) {
		int a = (int)(next_rand() % N), b = (int)(next_rand() % N);
		uint32_t path[32];
		if (a != b && ul_graph_find_cycle(n[b], n[a], UL_DEP_EN, path, 32) && ul_node_get(n[a])->ord < ul_node_get(n[b])->ord)
			missed++;
	}
	EXPECT(missed == 0);
	/* instance churn: freeing nodes frees their edges, ids are reused */
	uint32_t edges0 = ul_graph_nedges(), ids0 = ul_graph_node_ids();
	for (int round = 0; round < 50; round++)
		for (int i = 0; i < N; i++) {
			ul_node_free(n[i]);
			n[i] = ul_node_new(1000, (uint32_t)(round * N + i + 1000), 0x1000 + (uintptr_t)i);
			if (i) {
				bool added;
				ul_graph_may_reach(n[i], n[i - 1]);
				ul_edge_add(n[i - 1], n[i], UL_DEP_EN, 0, &added);
			}
		}
	EXPECT(edges0 > 1000 && ul_graph_nedges() == N - 1);
	EXPECT(ul_graph_node_ids() == ids0); /* no new node ids under churn */
	EXPECT(order_ok(n, N));
	/* an edge added without the order check (history seeds edges that
	 * way) still updates the order */
	uint32_t x = ul_node_new(1000, 99999, 0x9000), y = ul_node_new(1000, 99998, 0x9008);
	bool added;
	ul_edge_add(y, x, UL_DEP_EN, 0, &added);
	EXPECT(ul_graph_ordered() && ul_node_get(y)->ord < ul_node_get(x)->ord);
	/* closing a cycle is seen, and then the search runs for every edge */
	EXPECT(ul_graph_may_reach(y, x));
	EXPECT(!ul_graph_ordered());
	/* ... of that component only: class nodes (another component) keep
	 * their order, and need no search for an edge that agrees with it */
	uint32_t ca = ul_node_new(3001, 0, 0), cb = ul_node_new(3002, 0, 0), cc = ul_node_new(3003, 0, 0);
	ul_edge_add(ca, cb, UL_DEP_EN, 0, &added);
	EXPECT(!ul_graph_may_reach(cc, cb)); /* reorders, no search */
	ul_edge_add(cb, cc, UL_DEP_EN, 0, &added);
	EXPECT(ul_node_get(ca)->ord < ul_node_get(cb)->ord && ul_node_get(cb)->ord < ul_node_get(cc)->ord);
	/* positions that run out are numbered again, in the same order */
	ul_graph_skip_positions(UINT32_MAX - 2);
	uint32_t cd[6];
	for (int i = 0; i < 6; i++) {
		cd[i] = ul_node_new(3010 + (uint32_t)i, 0, 0);
		if (i) {
			EXPECT(!ul_graph_may_reach(cd[i], cd[i - 1]));
			ul_edge_add(cd[i - 1], cd[i], UL_DEP_EN, 0, &added);
		}
	}
	ul_edge_add(cc, cd[0], UL_DEP_EN, 0, &added);
	uint32_t all[9] = { ca, cb, cc, cd[0], cd[1], cd[2], cd[3], cd[4], cd[5] };
	EXPECT(order_ok(all, 9));
	EXPECT(ul_node_get(cd[5])->ord < UINT32_MAX / 2 + 1000000); /* renumbered from the middle */
}

/* Dense instance nesting (accounts locked in address order): every edge
 * of a node with a hundred others is found without the lock, and edges of
 * freed nodes are gone. A walk of adjacency lists gave up after 64. */
static void test_graph_dense(void)
{
	enum { N = 100 };
	uint32_t x[N], y[N], id[N][N];
	for (int i = 0; i < N; i++) {
		x[i] = ul_node_new(2000, (uint32_t)i + 500000, 0x20000 + (uintptr_t)i);
		y[i] = ul_node_new(2000, (uint32_t)i + 600000, 0x30000 + (uintptr_t)i);
	}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			bool added;
			id[i][j] = ul_edge_add(x[i], y[j], UL_DEP_EN, 0, &added);
		}
	int found = 0;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			found += id[i][j] && ul_edge_find(x[i], y[j]) == id[i][j];
	EXPECT(found == N * N);
	for (int i = 0; i < N; i += 2)
		ul_node_free(x[i]);
	int gone = 0, kept = 0;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			uint32_t e = ul_edge_find(x[i], y[j]);
			if (i % 2 == 0)
				gone += e == 0 || ul_edge_get(e)->from != x[i];
			else
				kept += e == id[i][j];
		}
	EXPECT(gone == N * N / 2 && kept == N * N / 2);
	for (int i = 0; i < N; i++) {
		if (i % 2)
			ul_node_free(x[i]);
		ul_node_free(y[i]);
	}
}

static void test_chain_key(void)
{
	uint64_t a = 1, b = 1, c = 1, d = 1;
	ul_chain_key_next(&a, 5, UL_WRITE, 0, 0);
	ul_chain_key_next(&b, 5, UL_RREAD, 0, 0);
	ul_chain_key_next(&c, 5, UL_WRITE, UL_ACQ_TRY, 0);
	ul_chain_key_next(&d, 5, UL_WRITE, 0, 77);
	/* read mode, trylock and the signal mask are all in the key */
	EXPECT(a != b && a != c && b != c && d != a);
	EXPECT(a && b && c && d);
}

/* Is class c (taken at ip) in the thread's producer window? */
static bool in_window(const struct ul_thread *t, uint32_t c, uintptr_t ip)
{
	uint32_t k = t->nrecent < 16 ? t->nrecent : 16;
	for (uint32_t i = 0; i < k; i++) {
		uint32_t j = (uint8_t)(t->nrecent - 1 - i) & 15;
		if ((t->recent[j] & 0x3fffffffu) == c && t->recent_ip[j] == ip)
			return true;
	}
	return false;
}

static void test_event_window(void)
{
	static struct ul_thread t;
	ul_event_note(&t, 3, UL_WRITE, 0, 0x300);
	ul_event_note(&t, 4, UL_WRITE, 0, 0x400);
	ul_event_note(&t, 3, UL_WRITE, 0, 0x301); /* among the last three: kept once */
	ul_event_note(&t, 9, UL_WRITE, UL_ACQ_TRY, 0x900); /* a trylock is never waited for */
	EXPECT(t.nrecent == 2 && in_window(&t, 3, 0x300) && in_window(&t, 4, 0x400) && !in_window(&t, 9, 0x900));
	t.ctx = 1; /* a signal handler's locks are not on the way to an event */
	ul_event_note(&t, 5, UL_WRITE, 0, 0x500);
	t.ctx = 0;
	EXPECT(!in_window(&t, 5, 0x500));
	/* the ring keeps the last 16 across any number of acquisitions */
	for (uint32_t i = 0; i < 300; i++)
		ul_event_note(&t, 100 + i, UL_WRITE, 0, 0x1000 + i);
	EXPECT(t.nrecent >= 16 && in_window(&t, 399, 0x1000 + 299) && in_window(&t, 384, 0x1000 + 284));
	EXPECT(!in_window(&t, 383, 0x1000 + 283) && !in_window(&t, 3, 0x300));
	ul_event_window_reset(&t); /* a wait: the window starts empty */
	EXPECT(t.nrecent == 0);
	ul_event_note(&t, 399, UL_WRITE, 0, 0x2000);
	EXPECT(t.nrecent == 1 && in_window(&t, 399, 0x2000));
}

int main(void)
{
	test_htab();
	test_options();
	test_paths();
	test_graph_order();
	test_graph_dense();
	test_graph();
	test_chain_key();
	test_event_window();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
