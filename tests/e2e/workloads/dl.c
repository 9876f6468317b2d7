/*
 * dl.c - a profile workload whose maps change all through its samples:
 * dl [ROUNDS [WORK [FAULTS]]]
 * 4 threads, ROUNDS times each (300): dlopen() ./libhot<t>a.so or, every
 * other round, ./libhot<t>b.so (see hot.c), run its hot function for
 * WORK + WORK / 8 * t iterations (400000), dlclose() it.  Between them an
 * anonymous hole of a changing size moves where the next library lands:
 * with FAULTS 1 (the default 0: read-only, on two rounds of three) it is
 * written on every round, so page faults come from it too.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
static int rounds, faults;
static long work;
static void *run(void *arg)
{
	long t = (long)arg;
	char name[64];

	for (int r = 0; r < rounds; r++) {
		snprintf(name, sizeof(name), "./libhot%ld%c.so", t, r % 2 ? 'b' : 'a');
		void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
		if (!h) { fprintf(stderr, "%s\n", dlerror()); exit(1); }
		void (*fn)(long) = (void (*)(long))dlsym(h, r % 2 ? "hot_b" : "hot_a");
		size_t len = 4096 * (1 + r % 5);
		char *hole = MAP_FAILED;

		if (faults)
			hole = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				    -1, 0);
		else if (r % 3)
			hole = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (faults && hole != MAP_FAILED)
			memset(hole, 1, len); /* page faults */
		fn(work + work / 8 * t);
		dlclose(h);
		if (hole != MAP_FAILED)
			munmap(hole, len);
	}
	return NULL;
}
int main(int argc, char **argv)
{
	pthread_t th[4];
	rounds = argc > 1 ? atoi(argv[1]) : 300;
	work = argc > 2 ? atol(argv[2]) : 400000;
	faults = argc > 3 ? atoi(argv[3]) : 0;
	for (long t = 0; t < 4; t++)
		pthread_create(&th[t], NULL, run, (void *)t);
	for (int t = 0; t < 4; t++)
		pthread_join(th[t], NULL);
	return 0;
}
