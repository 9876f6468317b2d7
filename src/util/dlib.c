// SPDX-License-Identifier: GPL-2.0
/*
 * dlib.c - optional shared libraries loaded on first use (see dlib.h).
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "util/dlib.h"
#include "util/util.h"

int dlib__open(const struct dlib *lib, const struct dlib_sym *syms, size_t nr)
{
	const char *file = lib->soname, *env = lib->env ? getenv(lib->env) : NULL;
	void *handle, *addr[32];
	const char *why;

	if (env && *env)
		file = env;
	if (nr > ARRAY_SIZE(addr))
		return kp_error(KP_ERR_INTERNAL, "dlib: %zu symbols for '%s'", nr, file);
	/*
	 * RTLD_LAZY: a function resolved only if it is called; RTLD_LOCAL: its
	 * symbols never interpose on anything the binary links.
	 */
	handle = dlopen(file, RTLD_LAZY | RTLD_LOCAL);
	if (!handle) {
		why = dlerror();
		return kp_error(KP_ERR_UNSUPPORTED, "%s: cannot load %s (%s); install the Debian "
				"package %s: apt-get install %s", lib->user, file,
				why ? why : "unknown error", lib->package, lib->package);
	}
	for (size_t i = 0; i < nr; i++) {
		dlerror();
		addr[i] = dlsym(handle, syms[i].name);
		if (!addr[i]) {
			/* dlerror()'s text lives until the next dl call: format it first */
			why = dlerror();
			kp_error(KP_ERR_UNSUPPORTED, "%s: %s has no function %s (%s); install "
				 "this release's Debian package %s: apt-get install %s", lib->user,
				 file, syms[i].name, why ? why : "null symbol", lib->package,
				 lib->package);
			dlclose(handle);
			return KP_ERR_UNSUPPORTED;
		}
	}
	/* memcpy: the slots are function pointers, not void * objects */
	for (size_t i = 0; i < nr; i++)
		memcpy(syms[i].slot, &addr[i], sizeof(addr[i]));
	return 0;
}
