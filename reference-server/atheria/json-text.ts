// Fast JSON text of a frame. JSON.stringify spends most of a frame's serialisation on the grids
// (65 536 numbers at 256×256, ~7 ms); grid values are rounded to 3 decimals in [-1, 1], so their
// digits are written straight into one Buffer (~3× faster). Any other number falls back to
// String(x), which is what JSON.stringify writes for a finite number, so the output is
// byte-for-byte JSON.stringify's (tested).

class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  text(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.write(s, this.pos);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  number(x: number): void {
    const k = Math.round(x * 1000);
    if (k >= -1000 && k <= 1000 && k / 1000 === x) {
      // x = k/1000: write the digits directly (a Buffer.copy per number costs more than the digits)
      this.ensure(6);
      const b = this.buf;
      let m = k;
      if (m < 0) {
        b[this.pos++] = 0x2d; // -
        m = -m;
      }
      if (m === 1000)
        b[this.pos++] = 0x31; // 1
      else if (m === 0)
        b[this.pos++] = 0x30; // 0 (also for -0, as JSON.stringify)
      else {
        const d1 = (m / 100) | 0;
        const d2 = ((m / 10) | 0) % 10;
        const d3 = m % 10;
        b[this.pos++] = 0x30;
        b[this.pos++] = 0x2e; // .
        b[this.pos++] = 0x30 + d1;
        if (d2 !== 0 || d3 !== 0) b[this.pos++] = 0x30 + d2;
        if (d3 !== 0) b[this.pos++] = 0x30 + d3;
      }
    } else {
      // JSON has no NaN/Infinity: JSON.stringify writes null for them
      this.text(Number.isFinite(x) ? String(x) : 'null');
    }
  }

  /** Reserve a row's worth up front so the per-number ensure() calls do not reallocate. */
  reserve(n: number): void {
    this.ensure(n);
  }

  done(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** JSON.stringify(value) as UTF-8 bytes, for the plain data of a frame (no toJSON, no cycles). */
export function jsonBytes(value: unknown, sizeHint = 4096): Buffer {
  const w = new ByteWriter(sizeHint);
  write(w, value);
  return w.done();
}

function write(w: ByteWriter, v: unknown): void {
  if (Array.isArray(v)) {
    w.reserve(v.length * 7 + 2); // "-0.123," per number of a grid row
    w.byte(0x5b); // [
    for (let i = 0; i < v.length; i++) {
      if (i > 0) w.byte(0x2c); // ,
      const item: unknown = v[i];
      if (typeof item === 'number') w.number(item);
      // JSON.stringify writes null for undefined (and function) array items
      else if (item === undefined || typeof item === 'function') w.text('null');
      else write(w, item);
    }
    w.byte(0x5d); // ]
  } else if (typeof v === 'object' && v !== null) {
    w.byte(0x7b); // {
    let first = true;
    for (const [key, item] of Object.entries(v)) {
      if (item === undefined || typeof item === 'function') continue;
      if (!first) w.byte(0x2c);
      first = false;
      w.text(JSON.stringify(key));
      w.byte(0x3a); // :
      write(w, item);
    }
    w.byte(0x7d); // }
  } else if (typeof v === 'number') {
    w.number(v);
  } else {
    // strings, booleans, null: rare and small
    w.text(JSON.stringify(v) ?? 'null');
  }
}
