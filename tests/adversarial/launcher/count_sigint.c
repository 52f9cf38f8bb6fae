/* Counts SIGINTs: prints "ready", waits for the first, gives a duplicate
 * time to arrive, prints the count. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t n;

static void on_int(int sig)
{
	(void)sig;
	n++;
}

int main(void)
{
	signal(SIGINT, on_int);
	puts("ready");
	fflush(stdout);
	while (!n)
		pause();
	usleep(300000);
	printf("SIGINT count: %d\n", (int)n);
	return 0;
}
