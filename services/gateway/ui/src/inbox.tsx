import { useEffect, useState } from 'preact/hooks';
import { json, page, problemText } from './api.js';
import { chinaTime, countdown, fill, t, type Lang } from './i18n.js';
import { levelText, PacketPanel, placeName } from './packet-view.js';
import { Pager } from './pager.js';
import { ReferralPrint } from './referral-print.js';

interface Summary {
  /** Why it may be shown: the elder's consent to share the packet, or an urgent transfer's emergency (no packet opens then). */
  basis: 'consent' | 'emergency';
  /** 转院原因 of an urgent transfer. */
  transferReason: string | null;
  ageBand: { from: number; to: number } | null;
  sex: string | null;
  countyCode: string | null;
  diagnoses: { code?: string; name: string }[];
  careNeeds: string[];
  abilityLevel: number | null;
  ltciGrade: number | null;
  reason: string | null;
}
interface Offer {
  offerId: string;
  referralId: string;
  reference: string;
  bedType: string;
  urgency: 'routine' | 'green-channel';
  status: string;
  chosen: boolean;
  offeredAt: string;
  respondBy: string;
  sendingInstitution: { id: string; name: string | null };
  summary: Summary | null;
  /** The elder is in a bed elsewhere and leaves it for this one (转床). */
  movesFrom?: { bedType: string; institutionName: string | null }[];
}

const VIEWS = ['pending', 'done', 'all'] as const;
type View = (typeof VIEWS)[number];
const PAGE_SIZE = 20;

const REASONS = ['no-capacity', 'care-needs-exceed-capability', 'outside-service-area', 'payment-or-insurance', 'elder-or-family-refused', 'other'];

/** What an inbox line says of the elder and the packet before it is opened. */
function SummaryLines({ lang, s }: { lang: Lang; s: Summary }) {
  const who = [s.ageBand ? fill(t(lang, 'ageBand'), s.ageBand) : '', s.sex ? t(lang, `sex_${s.sex}`) : '', placeName(s.countyCode)].filter(Boolean).join(' · ');
  const lines = (
    <dl class="summary">
      {(s.basis === 'emergency' || s.transferReason) && <div class="kv transfer-reason"><dt>{t(lang, 'urgentReason_label')}</dt><dd>{s.transferReason ?? t(lang, 'urgentReason_none')}</dd></div>}
      {who && <div class="kv"><dt>{t(lang, 'summaryElder')}</dt><dd>{who}</dd></div>}
      {s.diagnoses.length > 0 && <div class="kv"><dt>{t(lang, 'diagnosesShort')}</dt><dd>{s.diagnoses.map((d) => d.name).join('；')}</dd></div>}
      {s.careNeeds.length > 0 && <div class="kv"><dt>{t(lang, 'careNeedsShort')}</dt><dd>{s.careNeeds.map((c) => t(lang, `need_${c}`)).join('、')}</dd></div>}
      <div class="kv"><dt>{t(lang, 'abilityLevelShort')}</dt><dd>{levelText(lang, 'ability', s.abilityLevel)}</dd></div>
      <div class="kv"><dt>{t(lang, 'ltciGradeShort')}</dt><dd>{levelText(lang, 'ltci', s.ltciGrade)}</dd></div>
      {s.reason && <div class="kv"><dt>{t(lang, 'reason')}</dt><dd>{s.reason}</dd></div>}
    </dl>
  );
  if (s.basis !== 'emergency') return lines;
  return (
    <>
      {lines}
      <p class="hint urgent-basis">{t(lang, 'urgentReason_basis')}</p>
    </>
  );
}

/**
 * Provider staff's inbox: offers to their institution, those waiting for an answer or accepted
 * first, each with the sending institution, the referral's number, a summary of the packet (when
 * the elder consented; for an urgent transfer's hospital, the transfer's reason and what is known
 * of the elder, consent or not) and the time left to answer; the full packet and its attachments open in
 * place. A decline needs a reason and may carry the provider's own words. Reloads whenever `tick`
 * changes (a live update of one of the institution's referrals).
 */
export function Inbox({ lang, institutionId, tick }: { lang: Lang; institutionId: string; tick: number }) {
  const [offers, setOffers] = useState<Offer[] | null>(null);
  const [now, setNow] = useState(Date.now());
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [opened, setOpened] = useState<string | null>(null);
  const [printing, setPrinting] = useState<string | null>(null);
  const [view, setView] = useState<View>('pending');
  const [offset, setOffset] = useState(0);
  const [total, setTotal] = useState(0);

  const load = async () => {
    const found = await page<Offer>(`/api/referrals/inbox/${institutionId}?view=${view}&limit=${PAGE_SIZE}&offset=${offset}`);
    setOffers(found.items);
    setTotal(found.total);
  };
  useEffect(() => {
    void load();
  }, [institutionId, tick, view, offset]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const answer = async (offer: Offer, kind: 'accept' | 'decline') => {
    if (kind === 'decline' && !reasons[offer.offerId]) {
      setErrors({ ...errors, [offer.offerId]: t(lang, 'chooseReason') });
      return;
    }
    // A decline cannot be taken back: the referral goes on to other providers.
    if (kind === 'decline' && !confirm(t(lang, 'confirmDecline'))) return;
    setErrors({ ...errors, [offer.offerId]: '' });
    try {
      const note = (notes[offer.offerId] ?? '').trim();
      await json('POST', `/api/referrals/${offer.referralId}/offers/${offer.offerId}/${kind}`, kind === 'accept' ? {} : { reasonCode: reasons[offer.offerId], ...(note ? { note } : {}) });
      await load();
    } catch (e) {
      setErrors({ ...errors, [offer.offerId]: problemText(e) });
    }
  };

  if (printing) return <ReferralPrint lang={lang} id={printing} onClose={() => setPrinting(null)} />;
  return (
    <section class="inbox">
      <h3>{t(lang, 'inbox')}</h3>
      <div class="filters" role="group" aria-label={t(lang, 'inboxView')}>
        {VIEWS.map((v) => (
          <button key={v} type="button" class={view === v ? '' : 'secondary'} aria-pressed={view === v ? 'true' : 'false'} data-view={v} onClick={() => { setView(v); setOffset(0); }}>{t(lang, `inboxView_${v}`)}</button>
        ))}
      </div>
      {offers === null ? (
        <p>{t(lang, 'loading')}</p>
      ) : offers.length === 0 ? (
        <p class="empty">{t(lang, view === 'pending' ? 'emptyInboxPending' : 'emptyInbox')}</p>
      ) : (
        <ul class="offers">
          {offers.map((o) => (
            <li key={o.offerId} class={`offer${o.urgency === 'green-channel' ? ' urgent' : ''}`} data-offer={o.offerId} data-referral={o.referralId} data-status={o.status}>
              <div class="offer-head">
                <strong>{t(lang, o.bedType)}</strong>
                {o.urgency === 'green-channel' && <span class="badge">{t(lang, 'greenChannel')}</span>}
                <span class="status">{t(lang, `status_${o.status}`)}</span>
                {o.chosen && <span class="badge ok" data-chosen="true">{t(lang, 'chosenUs')}</span>}
                <span class="reference">{t(lang, 'reference')} {o.reference}</span>
              </div>
              <p>{t(lang, 'sendingInstitution')}：{o.sendingInstitution.name ?? ''}</p>
              {o.movesFrom && o.movesFrom.length > 0 && <p class="warning moves-from">{t(lang, 'movesFrom')}{lang === 'zh' ? '' : ' '}{o.movesFrom.map((m) => `${m.institutionName ?? ''}（${t(lang, m.bedType)}）`).join('；')}</p>}
              {o.summary ? <SummaryLines lang={lang} s={o.summary} /> : (o.status === 'open' || o.status === 'accepted') && <p class="warning">{t(lang, 'noSummary')}</p>}
              {o.status === 'open' && (
                <p>
                  {t(lang, 'respondBy')}{lang === 'zh' ? '：' : ': '}{chinaTime(lang, o.respondBy)} · <span class="countdown">{countdown(lang, o.respondBy, now)}</span>
                </p>
              )}
              {o.summary?.basis === 'consent' && <button type="button" class="secondary" data-action="open-packet" onClick={() => setOpened(opened === o.referralId ? null : o.referralId)}>{t(lang, opened === o.referralId ? 'closePacket' : 'openPacket')}</button>}
              {opened === o.referralId && <PacketPanel lang={lang} referralId={o.referralId} referrer={false} bedTypes={[o.bedType]} onPrint={() => setPrinting(o.referralId)} />}
              {o.status === 'open' && (
                <div class="actions">
                  <button type="button" onClick={() => void answer(o, 'accept')}>{t(lang, 'accept')}</button>
                  <label>
                    {t(lang, 'declineReason')}
                    <select value={reasons[o.offerId] ?? ''} onChange={(e) => setReasons({ ...reasons, [o.offerId]: (e.target as HTMLSelectElement).value })}>
                      <option value="">{t(lang, 'choose')}</option>
                      {REASONS.map((reason) => <option key={reason} value={reason}>{t(lang, `reason_${reason}`)}</option>)}
                    </select>
                  </label>
                  <label class="grow">
                    {t(lang, 'declineNote')}
                    <input name="declineNote" maxLength={500} value={notes[o.offerId] ?? ''} onInput={(e) => setNotes({ ...notes, [o.offerId]: (e.target as HTMLInputElement).value })} />
                  </label>
                  <button type="button" class="secondary" onClick={() => void answer(o, 'decline')}>{t(lang, 'decline')}</button>
                </div>
              )}
              <p class="field-error" role="alert">{errors[o.offerId] ?? ''}</p>
            </li>
          ))}
        </ul>
      )}
      <Pager lang={lang} offset={offset} size={PAGE_SIZE} total={total} onOffset={setOffset} />
    </section>
  );
}
