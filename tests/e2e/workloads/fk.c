/*
 * fk.c - a profile workload that forks all through its samples:
 * fk [ROUNDS [CHILD_WORK [PARENT_WORK]]]
 * ROUNDS times (60): fork a child that execs /bin/true (after CHILD_WORK
 * iterations of mid() every third round; 0, the default: none), and run
 * PARENT_WORK (6000000) iterations of mid() meanwhile.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static volatile unsigned long x;
__attribute__((noinline)) void leaf(long n) { for (long i = 0; i < n; i++) x += i * 3; }
__attribute__((noinline)) void mid(long n) { leaf(n); leaf(n / 2); }
int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 60;
	long child = argc > 2 ? atol(argv[2]) : 0;
	long parent = argc > 3 ? atol(argv[3]) : 6000000;

	for (int r = 0; r < rounds; r++) {
		pid_t p = fork();

		if (p == 0) {
			if (child && r % 3 == 0)
				mid(child);
			execl("/bin/true", "true", (char *)NULL);
			_exit(1);
		}
		mid(parent);
		if (p > 0)
			waitpid(p, NULL, 0);
	}
	return 0;
}
