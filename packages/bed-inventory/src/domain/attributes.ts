import type { FieldError } from '@fbl/contracts';
import type { BedTypePolicy } from './policy.js';

/** Attribute values of a unit or of a hold's requirements. */
export type Attributes = Record<string, string | boolean>;

/**
 * Check attributes against the policy: unknown names and values of the wrong type are refused,
 * each named by its JSON pointer under `base` (e.g. `/attributes/colour`).
 */
export function checkAttributes(policy: BedTypePolicy, attributes: Attributes, base: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    const spec = policy.attributes[name];
    const pointer = `${base}/${name}`;
    if (!spec) {
      errors.push({ pointer, reason: `is not an attribute of ${policy.title.en} units (known: ${Object.keys(policy.attributes).join(', ') || 'none'})` });
      continue;
    }
    switch (spec.type) {
      case 'boolean':
        if (typeof value !== 'boolean') errors.push({ pointer, reason: 'must be true or false' });
        break;
      case 'enum':
        if (typeof value !== 'string' || !spec.values.includes(value)) errors.push({ pointer, reason: `must be one of ${spec.values.join(', ')}` });
        break;
      case 'text':
        if (typeof value !== 'string' || value.length === 0 || value.length > spec.maxLength) errors.push({ pointer, reason: `must be text of 1 to ${spec.maxLength} characters` });
        break;
      default: {
        const unreachable: never = spec;
        throw new Error(`unknown attribute spec ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return errors;
}
