/* SPDX-License-Identifier: GPL-2.0 */
/*
 * btf.h - the little of BTF (BPF Type Format) kvmprof needs: the name of a
 * type in a raw, stand-alone BTF blob as the BPF_BTF feature stores it.
 *
 * The blob is checked the way libbpf's btf__new() checks it (header, section
 * layout, string section, the size of every type record); nothing is kept
 * between calls and nothing is allocated.
 */
#ifndef KP_DATA_BTF_H
#define KP_DATA_BTF_H

#include "util/types.h"

/**
 * btf__type_name - look type @type_id up in the BTF blob @data of @size bytes.
 * Returns 0 and the type's name in *@name (pointing into @data; NULL when the
 * name offset lies outside the string section, type 0 is "void" with name ""),
 * or -1 when the blob does not parse or has no type @type_id.
 */
int btf__type_name(const u8 *data, u64 size, u32 type_id, const char **name);

#endif
