import { Refusal } from '@fbl/contracts';
import { describe, expect, it } from 'vitest';
import { decidePacketUpdate } from '../src/application/packet-changes.js';
import { mayAttach, MAX_REFERRAL_ATTACHMENT_BYTES } from '../src/domain/attachments.js';

/* The decisions of the packet's and attachments' changes, without a database. */

describe('replacing a referral packet', () => {
  it('asks matching again only when an eligibility fact changed', () => {
    expect(decidePacketUpdate('escalated', { eligibility: { dementiaDiagnosis: false } }, { eligibility: { dementiaDiagnosis: true } })).toEqual({ rematch: true });
    expect(decidePacketUpdate('offering', { eligibility: { dementiaDiagnosis: true }, reason: '术后康复' }, { eligibility: { dementiaDiagnosis: true }, reason: '术后康复，需鼻饲' })).toEqual({ rematch: false });
  });

  it('refuses a finished referral as a conflict', () => {
    for (const state of ['closed', 'cancelled']) {
      expect(() => decidePacketUpdate(state, undefined, {})).toThrow(Refusal);
      expect(() => decidePacketUpdate(state, undefined, {})).toThrow(`the referral is ${state}`);
    }
  });
});

describe('attaching a document', () => {
  it('allows up to the referral’s total and refuses past it or once the referral ended', () => {
    expect(mayAttach('offering', MAX_REFERRAL_ATTACHMENT_BYTES - 10, 10)).toEqual({ ok: true });
    expect(mayAttach('offering', MAX_REFERRAL_ATTACHMENT_BYTES - 10, 11)).toEqual({ ok: false, because: 'over-total' });
    expect(mayAttach('closed', 0, 1)).toEqual({ ok: false, because: 'finished' });
    expect(mayAttach('cancelled', 0, 1)).toEqual({ ok: false, because: 'finished' });
  });
});
