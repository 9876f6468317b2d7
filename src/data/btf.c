// SPDX-License-Identifier: GPL-2.0
/*
 * btf.c - type names out of a raw BTF blob (see btf.h).
 *
 * Layout (include/uapi/linux/btf.h): a header { u16 magic 0xeb9f; u8 version,
 * flags; u32 hdr_len, type_off, type_len, str_off, str_len }, the section
 * offsets counted from the end of the header; type records of 12 bytes
 * { name_off, info (vlen bits 0-15, kind bits 24-28), size/type } followed by
 * kind-specific data; type ids count from 1 in record order.  Only blobs in
 * the host's byte order are read (the feature is written by the recording
 * host and perf itself skips foreign-endian ones).
 */
#include <string.h>

#include "data/btf.h"
#include "util/util.h"

#define BTF_MAGIC 0xeb9f
#define BTF_HDR_SIZE 24
#define BTF_TYPE_SIZE 12
#define BTF_MAX_STR_OFFSET 0x7fffffffU

struct btf_view {
	const u8 *types;
	u32 type_len;
	const char *strs;
	u32 str_len;
};

static u32 get32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return v;
}

/* bytes of kind-specific data after the 12-byte record, or -1 for an unknown kind */
static s64 btf_extra_size(u32 info)
{
	u32 vlen = info & 0xffff;

	switch ((info >> 24) & 0x1f) {
	case 2: /* PTR */
	case 7: /* FWD */
	case 8: /* TYPEDEF */
	case 9: /* VOLATILE */
	case 10: /* CONST */
	case 11: /* RESTRICT */
	case 12: /* FUNC */
	case 16: /* FLOAT */
	case 18: /* TYPE_TAG */
		return 0;
	case 1: /* INT */
	case 14: /* VAR */
	case 17: /* DECL_TAG */
		return 4;
	case 3: /* ARRAY */
		return 12;
	case 6: /* ENUM */
	case 13: /* FUNC_PROTO */
		return (s64)vlen * 8;
	case 4: /* STRUCT */
	case 5: /* UNION */
	case 15: /* DATASEC */
	case 19: /* ENUM64 */
		return (s64)vlen * 12;
	default:
		return -1;
	}
}

static int btf_view__init(struct btf_view *v, const u8 *data, u64 size)
{
	u16 magic;
	u32 hdr_len, type_off, type_len, str_off, str_len;
	u64 meta;

	if (size < BTF_HDR_SIZE || size > UINT32_MAX)
		return -1;
	memcpy(&magic, data, 2);
	hdr_len = get32(data + 4);
	type_off = get32(data + 8);
	type_len = get32(data + 12);
	str_off = get32(data + 16);
	str_len = get32(data + 20);
	if (magic != BTF_MAGIC || hdr_len < BTF_HDR_SIZE || hdr_len > size)
		return -1;
	meta = size - hdr_len;
	if ((u64)str_off + str_len > meta || (u64)type_off + type_len > str_off || type_off % 4)
		return -1;
	v->types = data + hdr_len + type_off;
	v->type_len = type_len;
	v->strs = (const char *)data + hdr_len + str_off;
	v->str_len = str_len;
	/* a stand-alone string section starts and ends with NUL */
	if (!str_len || str_len - 1 > BTF_MAX_STR_OFFSET || v->strs[0] || v->strs[str_len - 1])
		return -1;
	return 0;
}

int btf__type_name(const u8 *data, u64 size, u32 type_id, const char **name)
{
	struct btf_view v;
	u32 pos = 0, id = 0, name_off = 0;

	*name = NULL;
	if (btf_view__init(&v, data, size))
		return -1;
	/* every record is checked, as libbpf does before any lookup */
	while (v.type_len - pos >= BTF_TYPE_SIZE) {
		u32 info = get32(v.types + pos + 4);
		s64 extra = btf_extra_size(info);

		if (extra < 0 || (u64)extra > v.type_len - pos - BTF_TYPE_SIZE)
			return -1;
		if (++id == type_id)
			name_off = get32(v.types + pos);
		pos += BTF_TYPE_SIZE + (u32)extra;
	}
	if (type_id > id)
		return -1;
	/* type 0 is void: name offset 0, the empty string */
	if (name_off < v.str_len)
		*name = v.strs + name_off;
	return 0;
}
