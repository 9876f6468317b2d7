/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dlib.h - optional shared libraries loaded with dlopen() when first needed.
 *
 * libdebuginfod (libcurl, gnutls, krb5, ldap... some forty objects) and
 * libmicrohttpd cost milliseconds of dynamic linking on every start, yet only
 * a debuginfod lookup or stat live --prometheus uses them.  Their users keep
 * the Debian -dev headers for prototypes and types, and resolve the few
 * functions they call into a table of function pointers through
 * dlib__open().  A library that stays loaded is never closed: its functions
 * may run on a thread (libmicrohttpd's) until exit.
 *
 * Each library may be replaced by a path or soname in an environment
 * variable (KVMPROF_DEBUGINFOD_LIB, KVMPROF_MICROHTTPD_LIB); the tests use it
 * to make the load fail.
 */
#ifndef KP_UTIL_DLIB_H
#define KP_UTIL_DLIB_H

#include <stddef.h>

/* the soname that a library's users want, and the Debian package holding it */
struct dlib {
	const char *soname; /* "libdebuginfod.so.1" */
	const char *env; /* overrides soname when set and not empty (tests) */
	const char *package; /* "libdebuginfod1" */
	const char *user; /* who needs it, for the message: "debuginfod" */
};

/* one function to resolve: its name and the function pointer to set */
struct dlib_sym {
	const char *name;
	void *slot; /* the address of a function pointer */
};

/* DLIB_SYM(tab, fn): resolve fn into tab.fn, declared "__typeof__(fn) *fn;" */
#define DLIB_SYM(tab, fn) { #fn, &(tab).fn }

/**
 * dlib__open - dlopen() @lib (or the file named by its environment variable)
 * and resolve every one of the @nr symbols of @syms into its slot.
 * Returns 0 with every slot set, else KP_ERR_UNSUPPORTED with a kp_error()
 * detail naming the file, the missing symbol if any, and the Debian package
 * to install; then no slot is changed and nothing stays loaded.
 * Not thread-safe for one table: its caller serialises the first use.
 */
int dlib__open(const struct dlib *lib, const struct dlib_sym *syms, size_t nr);

#endif
