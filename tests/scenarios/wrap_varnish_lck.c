/* varnish's pattern: every lock is made in Lck__New(), a generic
 * allocator-wrapper (the mutex lives in memory it allocates), reached
 * through the Lck_New(lck, class) macro from each role's code. Keyed by
 * the init call inside Lck__New, all 400+ locks of varnish were one class:
 *     exp lock -> ban_mtx   and   ban_mtx -> session lock
 * read as a cycle. Lck__New is detected by its name (a lock word and a
 * make word), so each role is classed by its Lck_New site: no false
 * report. A real inversion between the session role and the wstat lock
 * (other session objects) is reported, each named after its Lck_New site
 * (the mutex is in Lck__New's memory, not in the global). */
// expect: circular ses_new wrap_varnish_lck.c:54
// stderr: (ses_new+0x
#include "scenario.h"

struct ilck {
	unsigned magic;
	pthread_mutex_t mtx;
	const char *w;
	unsigned long held;
};
struct lock { struct ilck *priv; };

static void Lck__New(struct lock *lck, const char *w)
{
	struct ilck *ilck = calloc(1, sizeof *ilck);
	CHECK(ilck && !lck->priv);
	ilck->magic = 0x7b86c8a5;
	ilck->w = w;
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	CHECK(pthread_mutex_init(&ilck->mtx, &a) == 0);
	pthread_mutexattr_destroy(&a);
	lck->priv = ilck;
}
#define Lck_New(l, c) Lck__New(l, #c)
#define Lck_Lock(l) CHECK(pthread_mutex_lock(&(l)->priv->mtx) == 0)
#define Lck_Unlock(l) CHECK(pthread_mutex_unlock(&(l)->priv->mtx) == 0)

static struct lock ban_mtx, exp_mtx, wstat_mtx;
struct sess { struct lock mtx; int fd; };

static struct sess *ses_new(void)
{
	struct sess *s = calloc(1, sizeof *s);
	Lck_New(&s->mtx, lck_sess);
	return s;
}

int main(void)
{
	Lck_New(&ban_mtx, lck_ban);
	Lck_New(&exp_mtx, lck_exp);
	Lck_New(&wstat_mtx, lck_wstat);
	struct sess *s1 = ses_new(), *s2 = ses_new(), *s3 = ses_new();
	/* exp -> ban, ban -> session: no cycle between roles */
	Lck_Lock(&exp_mtx);
	Lck_Lock(&ban_mtx);
	Lck_Unlock(&ban_mtx);
	Lck_Unlock(&exp_mtx);
	Lck_Lock(&ban_mtx);
	Lck_Lock(&s1->mtx);
	Lck_Unlock(&s1->mtx);
	Lck_Unlock(&ban_mtx);
	/* session -> wstat, wstat -> another session: a real inversion */
	Lck_Lock(&s2->mtx);
	Lck_Lock(&wstat_mtx);
	Lck_Unlock(&wstat_mtx);
	Lck_Unlock(&s2->mtx);
	Lck_Lock(&wstat_mtx);
	Lck_Lock(&s3->mtx);
	Lck_Unlock(&s3->mtx);
	Lck_Unlock(&wstat_mtx);
	return 0;
}
