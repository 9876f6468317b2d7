#!/usr/bin/env python3
# fault-scan.py FILE - an independent count of what a killed recorder left in a
# perf.data file (little-endian, file mode): walks the data section from
# data.offset to the end of the file, stops at the first incomplete record, and
# prints "samples=N rounds=R round_end=0xO good_end=0xG size=S" and, for each
# event attr, "config<C>=N" (samples of the event whose attr.config is C).
# Used by the t10NN-fault-* tests as the ground truth for "no data lost".
import struct, sys

b = open(sys.argv[1], 'rb').read()
assert b[:8] == b'PERFILE2', 'not a little-endian perf.data file'
doff, dsize = struct.unpack_from('<QQ', b, 40)
end = doff + dsize if dsize else len(b)
attr_size = struct.unpack_from('<Q', b, 16)[0]
aoff, asize = struct.unpack_from('<QQ', b, 24)
by_id, configs, sample_types = {}, [], []
for a in range(aoff, aoff + asize, attr_size):
    config = struct.unpack_from('<Q', b, a + 8)[0]
    sample_type = struct.unpack_from('<Q', b, a + 24)[0]
    ioff, isize = struct.unpack_from('<QQ', b, a + attr_size - 16)
    for i in range(ioff, ioff + isize, 8):
        by_id[struct.unpack_from('<Q', b, i)[0]] = len(configs)
    configs.append(config)
    sample_types.append(sample_type)
st = sample_types[0]
if st & (1 << 16):  # IDENTIFIER: first u64
    id_pos = 0
elif st & (1 << 6):  # ID after IP, TID, TIME, ADDR
    id_pos = sum(1 for bit in (0, 1, 2, 3) if st & (1 << bit))
else:
    id_pos = None
counts = [0] * len(configs)
off, samples, rounds, round_end = doff, 0, 0, doff
while end - off >= 8:
    typ, misc, size = struct.unpack_from('<IHH', b, off)
    if size < 8 or size > end - off:
        break
    off += size
    if typ == 9:
        samples += 1
        if id_pos is None:
            counts[0] += 1
        else:
            sid = struct.unpack_from('<Q', b, off - size + 8 + 8 * id_pos)[0]
            counts[by_id.get(sid, 0)] += 1
    elif typ == 68:
        rounds += 1
        round_end = off
print('samples=%d rounds=%d round_end=%#x good_end=%#x size=%d' %
      (samples, rounds, round_end, off, len(b)) +
      ''.join(' config%d=%d' % (c, n) for c, n in zip(configs, counts)))
