/* Two members of one global struct, initialised at run time at two sites:
 * each is its own class, and each keeps its offset in the struct, so the
 * report does not read like recursion on "gs". */
// expect: circular gs+0x28 gs
// stderr: (gs+0x28){
// stderr: (gs){
#include "scenario.h"

struct { pthread_mutex_t first, second; } gs;

int main(void)
{
	pthread_mutex_init(&gs.first, NULL);
	pthread_mutex_init(&gs.second, NULL);
	struct pair ab = { &gs.first, &gs.second }, ba = { &gs.second, &gs.first };
	on_thread(ordered, &ab);
	on_thread(ordered, &ba);
	return 0;
}
