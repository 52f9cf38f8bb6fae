/* A library that names locks of the program: one with a string of its own
 * (gone when it is unloaded), one with a buffer on its stack. */
#include <string.h>
#include <ulockdep.h>

void name_it(void *lock, void *lock2);
void name_it(void *lock, void *lock2)
{
	char buf[32];
	strcpy(buf, "lock named on a stack");
	ulockdep_set_name(lock2, buf); /* gone after return */
	ulockdep_set_class(lock, "key in the library", "class named by a library");
	memset(buf, 'x', sizeof buf - 1);
}
