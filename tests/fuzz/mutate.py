#!/usr/bin/python3
"""mutate.py IN SEED OUT - write IN with a few random damages to OUT.

Deterministic for a seed: deletions, inserted tokens that readers must
refuse or take (quotes, separators, NaN, inf, huge numbers, NUL, bad
UTF-8, impossible times), flipped bytes, a truncation, a repeated line,
a field replaced by a token.  Used by tests/cli/fuzz.sh.
"""
import random
import sys

TOKENS = [b'', b',', b'"', b'\n', b'\r\n', b'nan', b'inf', b'-1', b'1e308',
          b'99999999999999999999', b'\x00', b'\xff\xfe', b';', b'{', b'}',
          b'[', b']', b'null', b'true', b'0', b'-0', b'1e-320',
          b'2026-13-45T99:99:99Z', b'\\u0000', b'\xc3(']
STOPS = (b',', b'\n', b'"', b':', b';')


def field_end(b, pos):
    while pos < len(b) and b[pos:pos + 1] not in STOPS:
        pos += 1
    return pos


def mutate(data, seed):
    r = random.Random(seed)
    b = bytearray(data)
    for _ in range(r.randint(1, 4)):
        if not b:
            break
        k = r.randint(0, 5)
        pos = r.randrange(len(b))
        if k == 0:
            del b[pos:pos + r.randint(1, 20)]
        elif k == 1:
            b[pos:pos] = r.choice(TOKENS)
        elif k == 2:
            b[pos] = r.randrange(256)
        elif k == 3:
            del b[pos:]
        elif k == 4:
            s = b.rfind(b'\n', 0, pos) + 1
            e = b.find(b'\n', pos)
            e = len(b) if e < 0 else e
            b[s:s] = b[s:e + 1]
        else:
            b[pos:field_end(b, pos)] = r.choice(TOKENS)
    return bytes(b)


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: mutate.py in seed out')
    with open(sys.argv[1], 'rb') as f:
        data = f.read()
    with open(sys.argv[3], 'wb') as f:
        f.write(mutate(data, int(sys.argv[2])))


if __name__ == '__main__':
    main()
