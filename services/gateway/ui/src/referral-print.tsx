import qrcode from 'qrcode-generator';
import { useEffect, useState } from 'preact/hooks';
import { json, Problem } from './api.js';
import { chinaTime, t, type Lang } from './i18n.js';
import { elderLine, PacketView, placeName, type AttachmentInfo, type ElderRecord, type PacketResponse } from './packet-view.js';
import { stateLabel, Timeline, type Step } from './timeline.js';

/** A referral as the print form reads it. */
export interface PrintableReferral {
  id: string;
  reference: string;
  state: string;
  urgency: string;
  elderRef: string | null;
  createdAt: string;
  origin: { name: string | null; divisionCode: string };
  requestedBedTypes: string[];
  requirements: Record<string, unknown>;
  hold: { institutionId: string } | null;
  offers: { institutionId: string; institutionName: string | null; status: string; chosen: boolean }[];
  timeline: Step[];
}

/** A QR code of a text, drawn as SVG squares (no image, no script). */
export function QrCode({ text, size = 112 }: { text: string; size?: number }) {
  const code = qrcode(0, 'M');
  code.addData(text);
  code.make();
  const n = code.getModuleCount();
  const cells: string[] = [];
  for (let r = 0; r < n; r += 1) for (let c = 0; c < n; c += 1) if (code.isDark(r, c)) cells.push(`M${c} ${r}h1v1h-1z`);
  return (
    <svg class="qr" width={size} height={size} viewBox={`-2 -2 ${n + 4} ${n + 4}`} role="img" aria-label={text} shape-rendering="crispEdges">
      <rect x={-2} y={-2} width={n + 4} height={n + 4} fill="#fff" />
      <path d={cells.join('')} fill="#000" />
    </svg>
  );
}

/**
 * The referral form (转诊单) on one page, printable from the browser: the parties, the elder, the
 * packet, the consent, the attachments and the timeline, with the referral's number and a QR
 * code that opens it. It shows what the reader may see and nothing more: the packet only where
 * it is shared with them, the elder's name only to those civil affairs lets know it.
 */
export function ReferralPrint({ lang, id, onClose }: { lang: Lang; id: string; onClose: () => void }) {
  const [referral, setReferral] = useState<PrintableReferral | null>(null);
  const [packet, setPacket] = useState<PacketResponse | null>(null);
  const [attachments, setAttachments] = useState<AttachmentInfo[]>([]);
  const [elder, setElder] = useState<ElderRecord | null>(null);
  const [withheld, setWithheld] = useState(false);
  useEffect(() => {
    void (async () => {
      const r = await json<PrintableReferral>('GET', `/api/referrals/${id}`);
      setReferral(r);
      try {
        setPacket(await json<PacketResponse>('GET', `/api/referrals/${id}/packet`));
        setAttachments(await json<AttachmentInfo[]>('GET', `/api/referrals/${id}/attachments`));
      } catch (e) {
        if (!(e instanceof Problem && e.status === 403)) throw e;
        setWithheld(true);
      }
      if (r.elderRef) setElder(await json<ElderRecord>('GET', `/api/civil-affairs/elders/${r.elderRef}`).catch(() => null));
    })();
  }, [id]);
  if (!referral) return <section class="print-page"><p>{t(lang, 'loading')}</p></section>;
  const receiver = referral.offers.find((o) => o.chosen) ?? (referral.hold ? referral.offers.find((o) => o.institutionId === referral.hold!.institutionId) : undefined);
  const requirement = Object.entries(referral.requirements).filter(([, v]) => v === true).map(([k]) => t(lang, `requirement_${k}`));
  const row = (label: string, value: string) => <tr><th scope="row">{label}</th><td>{value}</td></tr>;
  return (
    <section class="print-page">
      <div class="actions no-print">
        <button type="button" onClick={() => window.print()}>{t(lang, 'printNow')}</button>
        <button type="button" class="secondary" onClick={onClose}>{t(lang, 'closePrint')}</button>
      </div>
      <article class="print-sheet" data-referral={referral.id}>
        <header class="print-head">
          <div>
            <h2>{t(lang, 'printTitle')}</h2>
            <p>{t(lang, 'reference')}：<strong class="reference">{referral.reference}</strong></p>
            <p>{t(lang, 'state')}：{stateLabel(lang, referral.state)}</p>
          </div>
          <figure>
            <QrCode text={`${location.origin}/?referral=${referral.id}`} />
            <figcaption>{t(lang, 'scanToOpen')}</figcaption>
          </figure>
        </header>
        <table class="print-facts">
          <tbody>
            {row(t(lang, 'sendingInstitution'), `${referral.origin.name ?? ''} ${placeName(referral.origin.divisionCode)}`.trim())}
            {row(t(lang, 'requestedBeds'), [...referral.requestedBedTypes.map((b) => t(lang, b)), ...requirement].join('、'))}
            {row(t(lang, 'urgency'), t(lang, `urgency_${referral.urgency}`))}
            {row(t(lang, 'startedAt'), chinaTime(lang, referral.createdAt))}
            {row(t(lang, 'receivingInstitution'), receiver?.institutionName ?? t(lang, 'noneRecorded'))}
            {elder?.name
              ? row(t(lang, 'elderIdentity'), [elder.name, elder.idNumber, elder.birthDate, elder.phone, elder.address].filter(Boolean).join(' · '))
              : packet && row(t(lang, 'summaryElder'), elderLine(lang, packet.elder))}
          </tbody>
        </table>
        <section>
          <h3>{t(lang, 'packet')}</h3>
          {packet ? <PacketView lang={lang} data={packet} /> : <p class="warning">{withheld ? t(lang, 'notSharedWithYou') : t(lang, 'loading')}</p>}
          {packet && <p>{t(lang, 'consent')}：{packet.consent.granted ? `${t(lang, 'consentStatusGranted')} · ${t(lang, `consentGiver_${packet.consent.givenBy ?? 'elder'}`)} · ${t(lang, `consentMethod_${packet.consent.method ?? 'written'}`)}${packet.consent.recordedAt ? ` · ${chinaTime(lang, packet.consent.recordedAt)}` : ''}` : t(lang, 'consentStatusNone')}</p>}
          {attachments.length > 0 && <p>{t(lang, 'attachments')}：{attachments.map((a) => `${t(lang, `attachment_${a.kind}`)}（${a.name}）`).join('；')}</p>}
        </section>
        <section>
          <h3>{t(lang, 'timeline')}</h3>
          <Timeline lang={lang} steps={referral.timeline} />
        </section>
        <p class="printed-at">{t(lang, 'printedAt')}：{chinaTime(lang, new Date().toISOString())}</p>
      </article>
    </section>
  );
}
