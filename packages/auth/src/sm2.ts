import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';

/**
 * SM2 digital signatures (GB/T 32918.2-2016) on the curve the standard recommends, sm2p256v1
 * (GB/T 32918.5-2017), with SM3 (GB/T 32905) from Node's OpenSSL. Node's own `crypto.sign` with
 * an SM2 key computes plain ECDSA on that curve (no Z value, ECDSA's equations), which other SM2
 * implementations refuse; this module follows the standard's equations instead.
 *
 * The arithmetic is JavaScript BigInt: correct, but not constant time (its running time depends
 * on the private key and the nonce). See packages/auth/README.md for what that means here.
 */

const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

/** The distinguishing identifier both sides use unless agreed otherwise (GM/T 0009): "1234567812345678". */
export const SM2_DEFAULT_ID = '1234567812345678';

/** A point of the curve in affine coordinates. */
export interface Sm2Point {
  readonly x: bigint;
  readonly y: bigint;
}

/** The curve's base point G. */
export const SM2_G: Sm2Point = Object.freeze({ x: GX, y: GY });

const mod = (a: bigint, m: bigint) => {
  const r = a % m;
  return r < 0n ? r + m : r;
};

/** a⁻¹ mod m (m prime, a ≠ 0 mod m), by the extended Euclidean algorithm. */
function invert(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('not invertible');
  return mod(s0, m);
}

// Jacobian coordinates (X, Y, Z) ↦ (X/Z², Y/Z³); Z = 0 is the point at infinity.
type Jacobian = readonly [bigint, bigint, bigint];
const INFINITY: Jacobian = [1n, 1n, 0n];

function double([x, y, z]: Jacobian): Jacobian {
  if (z === 0n || y === 0n) return INFINITY;
  const yy = mod(y * y, P);
  const s = mod(4n * x * yy, P);
  const zz = mod(z * z, P);
  const m = mod(3n * x * x + A * zz * zz, P);
  const x3 = mod(m * m - 2n * s, P);
  const y3 = mod(m * (s - x3) - 8n * yy * yy, P);
  const z3 = mod(2n * y * z, P);
  return [x3, y3, z3];
}

function add(p: Jacobian, q: Jacobian): Jacobian {
  if (p[2] === 0n) return q;
  if (q[2] === 0n) return p;
  const [x1, y1, z1] = p;
  const [x2, y2, z2] = q;
  const z1z1 = mod(z1 * z1, P);
  const z2z2 = mod(z2 * z2, P);
  const u1 = mod(x1 * z2z2, P);
  const u2 = mod(x2 * z1z1, P);
  const s1 = mod(y1 * z2 * z2z2, P);
  const s2 = mod(y2 * z1 * z1z1, P);
  if (u1 === u2) return s1 === s2 ? double(p) : INFINITY;
  const h = mod(u2 - u1, P);
  const r = mod(s2 - s1, P);
  const hh = mod(h * h, P);
  const hhh = mod(h * hh, P);
  const v = mod(u1 * hh, P);
  const x3 = mod(r * r - hhh - 2n * v, P);
  const y3 = mod(r * (v - x3) - s1 * hhh, P);
  const z3 = mod(z1 * z2 * h, P);
  return [x3, y3, z3];
}

const jacobian = (p: Sm2Point): Jacobian => [p.x, p.y, 1n];

function affine([x, y, z]: Jacobian): Sm2Point | undefined {
  if (z === 0n) return undefined;
  const zi = invert(z, P);
  const zi2 = mod(zi * zi, P);
  return { x: mod(x * zi2, P), y: mod(y * zi2 * zi, P) };
}

/** [k1]P1 + [k2]P2 (Shamir's trick); undefined for the point at infinity. */
function combination(k1: bigint, p1: Sm2Point, k2: bigint, p2: Sm2Point): Sm2Point | undefined {
  const a = jacobian(p1);
  const b = jacobian(p2);
  const ab = add(a, b);
  let acc = INFINITY;
  const bits = Math.max(k1.toString(2).length, k2.toString(2).length);
  for (let i = bits - 1; i >= 0; i--) {
    acc = double(acc);
    const b1 = (k1 >> BigInt(i)) & 1n;
    const b2 = (k2 >> BigInt(i)) & 1n;
    if (b1 && b2) acc = add(acc, ab);
    else if (b1) acc = add(acc, a);
    else if (b2) acc = add(acc, b);
  }
  return affine(acc);
}

/** [k]P; undefined for the point at infinity. */
export function multiply(k: bigint, point: Sm2Point): Sm2Point | undefined {
  return combination(mod(k, N), point, 0n, point);
}

/** Whether a point lies on the curve with both coordinates in [0, p−1] (the curve's cofactor is 1, so it is in the group of G). */
export function onCurve(point: Sm2Point): boolean {
  const { x, y } = point;
  if (x < 0n || x >= P || y < 0n || y >= P) return false;
  return mod(y * y - (x * x * x + A * x + B), P) === 0n;
}

const bytes32 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
const integer = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);
const sm3 = (...parts: Uint8Array[]) => {
  const hash = createHash('sm3');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2 §5.5). */
export function userHash(publicKey: Sm2Point, id: string = SM2_DEFAULT_ID): Buffer {
  const idBytes = Buffer.from(id, 'utf8');
  const entl = idBytes.length * 8;
  if (entl > 0xffff) throw new Error('the SM2 identifier is too long');
  return sm3(Buffer.from([entl >> 8, entl & 0xff]), idBytes, bytes32(A), bytes32(B), bytes32(GX), bytes32(GY), bytes32(publicKey.x), bytes32(publicKey.y));
}

/** An SM2 key pair: the private scalar d in [1, n−2] and P = [d]G. */
export interface Sm2KeyPair {
  readonly privateKey: bigint;
  readonly publicKey: Sm2Point;
}

/** The key pair of a private scalar; throws when d is outside [1, n−2]. */
export function sm2KeyPair(privateKey: bigint): Sm2KeyPair {
  if (privateKey < 1n || privateKey > N - 2n) throw new Error('an SM2 private key is a number from 1 to n−2');
  return Object.freeze({ privateKey, publicKey: multiply(privateKey, SM2_G)! });
}

/** A fresh key pair, its scalar from the system's random source. */
export function generateSm2KeyPair(): Sm2KeyPair {
  for (;;) {
    const d = integer(randomBytes(32));
    if (d >= 1n && d <= N - 2n) return sm2KeyPair(d);
  }
}

/** A nonce k in [1, n−1], uniformly from the system's random source (rejection sampling). */
function randomNonce(): bigint {
  for (;;) {
    const k = integer(randomBytes(32));
    if (k >= 1n && k < N) return k;
  }
}

/**
 * The signature (r, s) of a message with a given nonce source (GB/T 32918.2 §6.1, steps A1–A7).
 * Exported for the standard's known-answer test, which fixes k; tokens use `sm2Sign`.
 */
export function sm2SignWith(message: Uint8Array, key: Sm2KeyPair, nonce: () => bigint, id: string = SM2_DEFAULT_ID): { r: bigint; s: bigint } {
  const d = key.privateKey;
  const e = integer(sm3(userHash(key.publicKey, id), message));
  for (;;) {
    const k = nonce();
    if (k < 1n || k >= N) throw new Error('an SM2 nonce is a number from 1 to n−1');
    const x1 = multiply(k, SM2_G)!.x;
    const r = mod(e + x1, N);
    if (r === 0n || r + k === N) continue;
    const s = mod(invert(1n + d, N) * (k - r * d), N);
    if (s === 0n) continue;
    return { r, s };
  }
}

/** Sign a message: the signature r ‖ s, 64 bytes (each big-endian, 32 bytes). k is random for every signature. */
export function sm2Sign(message: Uint8Array, key: Sm2KeyPair, id: string = SM2_DEFAULT_ID): Buffer {
  const { r, s } = sm2SignWith(message, key, randomNonce, id);
  return Buffer.concat([bytes32(r), bytes32(s)]);
}

/** Verify r ‖ s (64 bytes) over a message with a public key (GB/T 32918.2 §7.1, steps B1–B7). */
export function sm2Verify(message: Uint8Array, signature: Uint8Array, publicKey: Sm2Point, id: string = SM2_DEFAULT_ID): boolean {
  if (signature.length !== 64 || !onCurve(publicKey)) return false;
  const r = integer(signature.subarray(0, 32));
  const s = integer(signature.subarray(32));
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const e = integer(sm3(userHash(publicKey, id), message));
  const t = mod(r + s, N);
  if (t === 0n) return false;
  const point = combination(s, SM2_G, t, publicKey);
  if (!point) return false;
  return mod(e + point.x, N) === r;
}

/** A public key as 04 ‖ x ‖ y in hex (130 characters), the form other SM2 implementations take. */
export const publicKeyHex = (point: Sm2Point) => `04${bytes32(point.x).toString('hex')}${bytes32(point.y).toString('hex')}`;

// The curve's object identifier 1.2.156.10197.1.301 (DER), which a PEM key on it names.
const SM2_CURVE_OID = Buffer.from('06082a811ccf5501822d', 'hex');

/**
 * A private key from text: 64 hex digits (the scalar d), or a PEM PKCS#8 "PRIVATE KEY" / SEC1
 * "EC PRIVATE KEY" on the SM2 curve (as `openssl genpkey` or Node's `generateKeyPairSync('ec',
 * { namedCurve: 'SM2' })` write). Throws on anything else.
 */
export function parseSm2PrivateKey(text: string): Sm2KeyPair {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return sm2KeyPair(BigInt(`0x${value}`));
  if (!value.startsWith('-----BEGIN')) throw new Error('an SM2 private key is 64 hex digits or a PEM');
  const der = createPrivateKey(value).export({ format: 'der', type: 'pkcs8' });
  if (!der.includes(SM2_CURVE_OID)) throw new Error('the PEM is not a key on the SM2 curve');
  // PKCS#8 wraps SEC1's ECPrivateKey: version 1 (02 01 01), then the scalar as a 32-byte OCTET STRING (04 20).
  const at = der.indexOf(Buffer.from([0x02, 0x01, 0x01, 0x04, 0x20]));
  if (at < 0) throw new Error('the PEM holds no SM2 private scalar');
  return sm2KeyPair(integer(der.subarray(at + 5, at + 37)));
}

/** A public key from text: 04 ‖ x ‖ y in hex (130 digits), or a PEM "PUBLIC KEY" on the SM2 curve. Throws when not on the curve. */
export function parseSm2PublicKey(text: string): Sm2Point {
  const value = text.trim();
  let raw: Buffer;
  if (/^04[0-9a-fA-F]{128}$/.test(value)) raw = Buffer.from(value, 'hex');
  else if (value.startsWith('-----BEGIN')) {
    const der = createPublicKey(value).export({ format: 'der', type: 'spki' });
    if (!der.includes(SM2_CURVE_OID)) throw new Error('the PEM is not a key on the SM2 curve');
    raw = der.subarray(-65);
  } else throw new Error('an SM2 public key is 04 followed by 128 hex digits, or a PEM');
  if (raw[0] !== 0x04) throw new Error('an SM2 public key must be uncompressed (04 ‖ x ‖ y)');
  const point = { x: integer(raw.subarray(1, 33)), y: integer(raw.subarray(33)) };
  if (!onCurve(point)) throw new Error('the SM2 public key is not a point of the curve');
  return Object.freeze(point);
}
