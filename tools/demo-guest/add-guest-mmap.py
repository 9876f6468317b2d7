#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""add-guest-mmap.py IN OUT --elf GUEST_ELF --pid VMM_PID [--comm NAME]

Copy the perf.data file IN to OUT with a GUEST_USER (misc cpumode 5)
PERF_RECORD_MMAP2 inserted in front of the data: it maps the demo guest's user
segment (the executable PT_LOAD below the kernel half of GUEST_ELF) for pid
VMM_PID, so Linux perf (and kvmprof) resolve the GUEST_USER samples of that VMM
to demo_hot, demo_warm, ... .  With --comm, a GUEST_USER PERF_RECORD_COMM per
vCPU thread seen in the samples names the guest threads.

This is what `kvmprof record` synthesizes by itself for the demo guest; the
script exists so `make demo` and the tests can show named guest samples from a
file recorded by Linux perf.  Needs: one sample_type for all events (what perf
writes), sample_id_all set when records carry sample ids.
"""
import argparse
import struct
import sys

PERF_MAGIC = b'PERFILE2'
REC_MMAP2, REC_COMM, REC_SAMPLE = 10, 3, 9
GUEST_USER = 5
S_IDENTIFIER, S_IP, S_TID, S_TIME, S_ADDR = 1 << 16, 1, 2, 4, 8
S_ID, S_CPU, S_STREAM_ID = 0x40, 0x80, 0x200


def die(msg):
    sys.stderr.write('add-guest-mmap: %s\n' % msg)
    sys.exit(1)


def user_segment(path):
    try:
        elf = open(path, 'rb').read()
    except OSError as e:
        die("cannot read '%s': %s" % (path, e.strerror))
    if len(elf) < 64 or elf[:4] != b'\x7fELF' or elf[4] != 2:
        die("'%s' is not a 64-bit ELF file" % path)
    phoff, = struct.unpack_from('<Q', elf, 32)
    phentsize, phnum = struct.unpack_from('<HH', elf, 54)
    for i in range(phnum):
        off = phoff + i * phentsize
        if off + 56 > len(elf):
            die("'%s': program header %d is past the end of the file" % (path, i))
        p_type, p_flags, p_offset, p_vaddr, _, _, p_memsz, _ = \
            struct.unpack_from('<IIQQQQQQ', elf, off)
        if p_type == 1 and p_flags & 1 and p_vaddr < 1 << 47:
            start = p_vaddr & ~0xfff
            pgoff = p_offset & ~0xfff
            return start, (p_vaddr + p_memsz - start + 0xfff) & ~0xfff, pgoff
    die("'%s' has no executable user-space segment" % path)


def sample_id(sample_type, pid, tid, time, ident, cpu):
    """the sample_id_all trailer, in the kernel's field order"""
    out = b''
    if sample_type & S_TID:
        out += struct.pack('<II', pid, tid)
    if sample_type & S_TIME:
        out += struct.pack('<Q', time)
    if sample_type & S_ID:
        out += struct.pack('<Q', ident)
    if sample_type & S_STREAM_ID:
        out += struct.pack('<Q', ident)
    if sample_type & S_CPU:
        out += struct.pack('<II', cpu, 0)
    if sample_type & S_IDENTIFIER:
        out += struct.pack('<Q', ident)
    return out


def padded(name):
    b = name.encode() + b'\0'
    return b + b'\0' * (-len(b) % 8)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[1])
    ap.add_argument('input')
    ap.add_argument('output')
    ap.add_argument('--elf', required=True)
    ap.add_argument('--pid', type=int, required=True)
    ap.add_argument('--comm')
    a = ap.parse_args()

    try:
        d = bytearray(open(a.input, 'rb').read())
    except OSError as e:
        die("cannot read '%s': %s" % (a.input, e.strerror))
    if len(d) < 104 or d[:8] != PERF_MAGIC:
        die("'%s' is not a perf.data file (file is %d bytes)" % (a.input, len(d)))
    attr_size, attrs_off, attrs_sz, data_off, data_sz = struct.unpack_from('<QQQQQ', d, 16)
    features = struct.unpack_from('<4Q', d, 72)
    if attrs_sz < attr_size or data_off + data_sz > len(d):
        die("'%s': bad header (file is %d bytes)" % (a.input, len(d)))
    # perf_event_attr: sample_type at 24, flag bits at 40 (sample_id_all = bit 18)
    sample_type, = struct.unpack_from('<Q', d, attrs_off + 24)
    flags, = struct.unpack_from('<Q', d, attrs_off + 40)
    id_all = bool(flags & (1 << 18))

    # the first GUEST_USER sample of the VMM gives time, id, cpu; collect vCPU tids
    first = None
    tids = []
    off = data_off
    while off + 8 <= data_off + data_sz:
        typ, misc, size = struct.unpack_from('<IHH', d, off)
        if size < 8:
            die("'%s': bad record size %d at offset %#x" % (a.input, size, off))
        if typ == REC_SAMPLE and misc & 7 == GUEST_USER:
            p = off + 8
            f = {}
            if sample_type & S_IDENTIFIER:
                f['id'], = struct.unpack_from('<Q', d, p); p += 8
            if sample_type & S_IP:
                p += 8
            if sample_type & S_TID:
                f['pid'], f['tid'] = struct.unpack_from('<II', d, p); p += 8
            if sample_type & S_TIME:
                f['time'], = struct.unpack_from('<Q', d, p); p += 8
            if sample_type & S_ADDR:
                p += 8
            if sample_type & S_ID:
                f['id'], = struct.unpack_from('<Q', d, p); p += 8
            if sample_type & S_STREAM_ID:
                p += 8
            if sample_type & S_CPU:
                f['cpu'], = struct.unpack_from('<I', d, p); p += 8
            if f.get('pid', a.pid) == a.pid:
                if first is None:
                    first = f
                if f.get('tid') is not None and f['tid'] not in tids:
                    tids.append(f['tid'])
        off += size
    if first is None:
        die("'%s' has no GUEST_USER samples of pid %d" % (a.input, a.pid))

    time = max(first.get('time', 1) - 1, 0)
    trailer = b''
    if id_all:
        trailer = sample_id(sample_type, a.pid, a.pid, time, first.get('id', 0),
                            first.get('cpu', 0))
    start, length, pgoff = user_segment(a.elf)
    body = struct.pack('<IIQQQIIQQII', a.pid, a.pid, start, length, pgoff, 0, 0, 0, 0,
                       5, 2) + padded(a.elf) + trailer
    new = struct.pack('<IHH', REC_MMAP2, GUEST_USER, 8 + len(body)) + body
    if a.comm:
        for tid in tids:
            t = sample_id(sample_type, a.pid, tid, time, first.get('id', 0),
                          first.get('cpu', 0)) if id_all else b''
            body = struct.pack('<II', a.pid, tid) + padded(a.comm) + t
            new += struct.pack('<IHH', REC_COMM, GUEST_USER, 8 + len(body)) + body

    n = len(new)
    d[data_off:data_off] = new
    struct.pack_into('<Q', d, 48, data_sz + n)
    # the feature section table follows the data; its offsets move by n
    table = data_off + data_sz + n
    for i in range(sum(bin(x).count('1') for x in features)):
        o, = struct.unpack_from('<Q', d, table + 16 * i)
        if o >= data_off + data_sz:
            struct.pack_into('<Q', d, table + 16 * i, o + n)
    try:
        open(a.output, 'wb').write(d)
    except OSError as e:
        die("cannot write '%s': %s" % (a.output, e.strerror))


main()
