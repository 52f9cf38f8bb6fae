/* Built with -fsanitize=address: runs a child that is not (printenv) and
 * prints the LD_PRELOAD the child sees. The libasan the launcher added
 * for this program must not reach the child. */
#include <stdlib.h>

int main(void)
{
	return system("printenv LD_PRELOAD") == -1;
}
