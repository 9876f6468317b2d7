#!/usr/bin/env python3
# gen-seeds.py SEEDWORK_DIR - (re)build the seed corpus fuzz/corpus/<target>/
# from the test fixtures, the perf.data files in SEEDWORK_DIR (made with perf
# record / perf inject / kvmprof record, see fuzz/README.md), this machine's
# kallsyms/modules/notes and small ELF files compiled on the spot.
import glob, os, shutil, struct, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
src = os.path.dirname(here)
work = sys.argv[1] if len(sys.argv) > 1 else None
corpus = os.path.join(here, 'corpus')


def put(target, name, blob):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(blob)


def features(blob):
    """yield (feat, payload) of a little-endian file-mode perf.data"""
    if blob[:8] != b'PERFILE2' or struct.unpack_from('<Q', blob, 8)[0] != 104:
        return
    doff, dsize = struct.unpack_from('<QQ', blob, 40)
    bits = int.from_bytes(blob[72:104], 'little')
    off = doff + dsize
    for feat in range(256):
        if bits >> feat & 1:
            o, s = struct.unpack_from('<QQ', blob, off)
            off += 16
            yield feat, blob[o:o + s]


datafiles = sorted(glob.glob(os.path.join(src, 'tests/fixtures/*/*.data')))
# kvm stat files recorded by perf in the nested SVM lab (its fixtures)
for p in glob.glob(os.path.join(src, 'tests/nested/fixtures/svm-perf.data')):
    put('perf-data-file', 'nested-' + os.path.basename(p), open(p, 'rb').read())
if work:
    datafiles += sorted(glob.glob(os.path.join(work, '*.data')))
for p in datafiles:
    blob = open(p, 'rb').read()
    name = os.path.basename(p)
    if struct.unpack_from('<Q', blob, 8)[0] == 16:
        put('perf-data-pipe', name, blob)
        continue
    put('perf-data-file', name, blob)
    for feat, payload in features(blob):
        if feat == 1:
            put('tracing-data', name + '.tracing', payload)
        put('feature', '%s.feat%d' % (name, feat), bytes([feat, 0]) + payload)

for p in glob.glob(os.path.join(src, 'tests/fixtures/script/*kallsyms')):
    put('kallsyms', os.path.basename(p), open(p, 'rb').read())
with open('/proc/kallsyms', 'rb') as f:
    lines = f.read().splitlines(True)
put('kallsyms', 'proc-head', b''.join(lines[:150]))
put('kallsyms', 'proc-modules', b''.join([l for l in lines if b'\t[' in l][:80]))
if os.path.exists('/proc/modules'):
    with open('/proc/modules', 'rb') as f:
        put('modules', 'proc-modules', b''.join(f.read().splitlines(True)[:40]))
put('modules', 'handmade', b'kvm 1388544 1 kvm_pvm, Live 0xffffffffc0a00000\n'
    b'kvm_pvm 98304 0 - Live 0xffffffffc0b00000\n'
    b'x 16 0 - Loading 0x0000000000000000 (OE)\n'
    b'nvme_core 200704 3 nvme, Live 0xffffffffc0200000 (E)\n')
try:
    put('build-id', 'sys-kernel-notes', open('/sys/kernel/notes', 'rb').read())
except OSError:
    pass

with tempfile.TemporaryDirectory() as t:
    c = os.path.join(t, 'a.c')
    open(c, 'w').write('#include <stdio.h>\nstatic int s(int x) { return x * 3; }\n'
                       'int g = 4;\nint f(int x) { return s(x) + g; }\n'
                       'int main(void) { puts("x"); return f(1); }\n')
    builds = {
        'exe': ['-O1', '-Wl,--build-id'],
        'pie-so': ['-O1', '-shared', '-fPIC', '-Wl,--build-id'],
        'static-nopie': ['-O1', '-no-pie', '-Wl,--build-id=sha1'],
    }
    for name, flags in builds.items():
        out = os.path.join(t, name)
        subprocess.run(['gcc'] + flags + ['-o', out, c], check=True)
        subprocess.run(['strip', '--strip-debug', out], check=True)
        put('elf-symbols', name, open(out, 'rb').read())
        if name == 'exe':
            subprocess.run(['strip', '-s', '-o', out + '.s', out], check=True)
            put('elf-symbols', 'exe-stripped', open(out + '.s', 'rb').read())
            subprocess.run(['objcopy', '-O', 'binary', '--only-section=.note.gnu.build-id',
                            out, out + '.note'], check=True)
            put('build-id', 'note-gnu-build-id', open(out + '.note', 'rb').read())
    o = os.path.join(t, 'a.o')
    subprocess.run(['gcc', '-O1', '-c', '-o', o, c], check=True)
    put('elf-symbols', 'object', open(o, 'rb').read())

# callchains: [cpumode, max_stack, pad x6] then nr, ips (context markers as u64)
K, U, GK, GU, G = (2**64 - 128, 2**64 - 512, 2**64 - 2048, 2**64 - 2560, 2**64 - 2048 + 1)
chains = {
    'host-user': (2, 0, [U, 0x401000, 0x402000, 0x403000]),
    'host-kernel-user': (1, 0, [K, 0xffffffff81001000, U, 0x401000]),
    'guest-kernel': (4, 0, [GK, 0xffffffff81001000, GU, 0x401000]),
    'host-with-guest': (1, 3, [K, 0xffffffff81000100, GU, 0x400100, GK, 0xffffffff81000200]),
    'bad-marker': (2, 0, [U, 0x401000, 2**64 - 4095, 0x1]),
}
for name, (mode, maxs, ips) in chains.items():
    put('callchain', name, bytes([mode, maxs, 0, 0, 0, 0, 0, 0]) +
        struct.pack('<%dQ' % (len(ips) + 1), len(ips), *ips))
