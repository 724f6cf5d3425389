import { MAX_REFERRAL_ATTACHMENT_BYTES, type AttachmentMediaType } from '@fbl/contracts/packet-codes';

export { MAX_ATTACHMENT_BYTES, MAX_REFERRAL_ATTACHMENT_BYTES } from '@fbl/contracts/packet-codes';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);

/**
 * What a file is, read from its first bytes rather than from its name or the type the sender
 * declared: a PDF (`%PDF-`), a PNG (its eight-byte signature) or a JPEG (`FF D8 FF`); anything
 * else is undefined.
 */
export function sniffMediaType(bytes: Uint8Array): AttachmentMediaType | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  return undefined;
}

/** Why an upload is refused, or nothing when its content is what it claims to be. */
export function contentProblem(bytes: Uint8Array, declared: string): string | undefined {
  if (bytes.length === 0) return 'is empty';
  const found = sniffMediaType(bytes);
  if (!found) return 'is not a PDF, JPEG or PNG file';
  if (declared !== 'application/octet-stream' && declared !== found) return `is ${found}, not the ${declared} it was sent as`;
  return undefined;
}

/**
 * Whether a document may be attached to a referral in `state` whose kept attachments take
 * `keptBytes`: not once the referral ended, and not past the referral's total.
 */
export function mayAttach(state: string, keptBytes: number, size: number): { ok: true } | { ok: false; because: 'finished' | 'over-total' } {
  if (state === 'closed' || state === 'cancelled') return { ok: false, because: 'finished' };
  if (keptBytes + size > MAX_REFERRAL_ATTACHMENT_BYTES) return { ok: false, because: 'over-total' };
  return { ok: true };
}
