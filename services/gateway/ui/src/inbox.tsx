import { useEffect, useState } from 'preact/hooks';
import { json, Problem } from './api.js';
import { chinaTime, countdown, t, type Lang } from './i18n.js';

interface Offer {
  offerId: string;
  referralId: string;
  bedType: string;
  urgency: 'routine' | 'green-channel';
  status: string;
  offeredAt: string;
  respondBy: string;
}

const REASONS = ['no-capacity', 'care-needs-exceed-capability', 'outside-service-area', 'payment-or-insurance', 'elder-or-family-refused', 'other'];

/**
 * Provider staff's inbox: offers to their institution, open first, with the time left to answer.
 * Reloads whenever `tick` changes (a live update of one of the institution's referrals).
 */
export function Inbox({ lang, institutionId, tick }: { lang: Lang; institutionId: string; tick: number }) {
  const [offers, setOffers] = useState<Offer[] | null>(null);
  const [now, setNow] = useState(Date.now());
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  const load = async () => setOffers(await json<Offer[]>('GET', `/api/referrals/inbox/${institutionId}`));
  useEffect(() => {
    void load();
  }, [institutionId, tick]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const answer = async (offer: Offer, kind: 'accept' | 'decline') => {
    if (kind === 'decline' && !reasons[offer.offerId]) {
      setErrors({ ...errors, [offer.offerId]: t(lang, 'chooseReason') });
      return;
    }
    setErrors({ ...errors, [offer.offerId]: '' });
    try {
      await json('POST', `/api/referrals/${offer.referralId}/offers/${offer.offerId}/${kind}`, kind === 'accept' ? {} : { reasonCode: reasons[offer.offerId] });
      await load();
    } catch (e) {
      setErrors({ ...errors, [offer.offerId]: e instanceof Problem ? (e.body.detail ?? e.message) : String(e) });
    }
  };

  return (
    <section class="inbox">
      <h3>{t(lang, 'inbox')}</h3>
      {offers === null ? (
        <p>{t(lang, 'loading')}</p>
      ) : offers.length === 0 ? (
        <p>{t(lang, 'emptyInbox')}</p>
      ) : (
        <ul class="offers">
          {offers.map((o) => (
            <li key={o.offerId} class={`offer${o.urgency === 'green-channel' ? ' urgent' : ''}`} data-offer={o.offerId} data-referral={o.referralId}>
              <div class="offer-head">
                <strong>{t(lang, o.bedType)}</strong>
                {o.urgency === 'green-channel' && <span class="badge">{t(lang, 'greenChannel')}</span>}
                <span class="status">{t(lang, `status_${o.status}`)}</span>
              </div>
              <p>
                {t(lang, 'respondBy')}: {chinaTime(lang, o.respondBy)} ·{' '}
                <span class="countdown">{countdown(lang, o.respondBy, now)}</span>
              </p>
              {o.status === 'open' && (
                <div class="actions">
                  <button type="button" onClick={() => void answer(o, 'accept')}>{t(lang, 'accept')}</button>
                  <label>
                    {t(lang, 'declineReason')}
                    <select value={reasons[o.offerId] ?? ''} onChange={(e) => setReasons({ ...reasons, [o.offerId]: (e.target as HTMLSelectElement).value })}>
                      <option value="">—</option>
                      {REASONS.map((r) => <option key={r} value={r}>{t(lang, `reason_${r}`)}</option>)}
                    </select>
                  </label>
                  <button type="button" class="secondary" onClick={() => void answer(o, 'decline')}>{t(lang, 'decline')}</button>
                </div>
              )}
              <p class="field-error" role="alert">{errors[o.offerId] ?? ''}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
