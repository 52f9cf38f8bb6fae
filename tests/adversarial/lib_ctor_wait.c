/* A library whose constructor waits for a lock the program holds (while the
 * dynamic loader's lock is held by dlopen). */
void ctor_hook(void);
__attribute__((constructor)) static void init(void)
{
	ctor_hook();
}
