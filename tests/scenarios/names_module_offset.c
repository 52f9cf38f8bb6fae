/* A static lock no symbol covers (as in a stripped binary) is named by
 * its module and offset, the same in every run and usable in a
 * suppression, not by its absolute address. */
// expect: circular names_module_offset+0x named_lock
// stderr: (names_module_offset+0x
#include "scenario.h"

/* 128 bytes of .bss behind a label that covers one byte */
__asm__(".section .bss\n.balign 64\nnosym_area:\n.zero 128\n.text\n");
extern char nosym_area[];

pthread_mutex_t named_lock = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	pthread_mutex_t *m = (pthread_mutex_t *)(nosym_area + 64);
	struct pair ab = { m, &named_lock }, ba = { &named_lock, m };
	on_thread(ordered, &ab);
	on_thread(ordered, &ba);
	return 0;
}
