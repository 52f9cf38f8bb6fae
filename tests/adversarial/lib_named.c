/* A library that names a lock of the program with its own string. */
#include <ulockdep.h>

void name_it(void *lock);
void name_it(void *lock)
{
	char buf[32] = "lock named by a library";
	ulockdep_set_name(lock, buf); /* a stack buffer, gone after return */
	ulockdep_set_class((char *)lock + 0, "key in the library", "class named by a library");
}
